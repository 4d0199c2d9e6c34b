#pragma once
// Walks a layer's schedule: orders tile transfers from the DMA engine (the next tile's while
// this one computes, when double-buffered), hands each tile's array passes to the streamer,
// array and collector (which run them back to back), and accounts the cycles nobody else
// does (waiting for DRAM, draining the psum path after a tile's last pass).
#include <tuple>
#include <utility>

#include <systemc>

#include "sim/dma_engine.hpp"
#include "sim/handoff.hpp"
#include "sim/layer_job.hpp"
#include "sim/pe_array.hpp"
#include "sim/psum_collector.hpp"
#include "sim/streamer.hpp"

namespace enos::sim {

class Controller : public sc_core::sc_module {
 public:
  Controller(sc_core::sc_module_name name, DmaEngine& dma, Streamer& streamer, PeArray& array,
             PsumCollector& collector, GlobalBuffer& glb, sc_core::sc_time cycle);

  // Starts the layer; it runs during the next sc_start().
  void submit(const LayerJob& job, LayerResult& result);
  bool finished() const { return finished_; }
  CycleBreakdown& cycles() { return cycles_; }

 private:
  struct TileSlots {
    int weight = 0, input = 0, psum = 0;
    int64_t ready_sequence = 0;  // DMA sequence that must be done before computing
  };

  void run();
  void run_layer();
  TileSlots prepare(const dataflow::GlbTile& tile, int index);
  void compute(const dataflow::GlbTile& tile, const TileSlots& slots);
  void wait_dma(int64_t sequence);

  DmaEngine& dma_;
  Streamer& streamer_;
  PeArray& array_;
  PsumCollector& collector_;
  GlobalBuffer& glb_;
  sc_core::sc_time cycle_;

  const LayerJob* job_ = nullptr;
  LayerResult* result_ = nullptr;
  Handoff<std::pair<const LayerJob*, LayerResult*>> inbox_;
  bool finished_ = true;
  int weight_slot_ = 1, input_slot_ = 1;  // slot of the last fetch of each tensor
  CycleBreakdown cycles_;
};

}  // namespace enos::sim
