#pragma once
// Reads a tile's operands from the global buffer and injects them into the array's edges, one
// flit per array step: for weight-stationary first the weights row by row (deepest row first),
// then one input vector per output pixel; for output-stationary one input and one weight
// vector per reduction step. Zero padding is generated here and never read from the buffer.
#include <utility>
#include <vector>

#include <systemc>

#include "sim/edge_port.hpp"
#include "sim/global_buffer.hpp"
#include "sim/tally.hpp"
#include "sim/tile_context.hpp"
#include "spec/actions.hpp"

namespace enos::sim {

class Streamer : public sc_core::sc_module {
 public:
  Streamer(sc_core::sc_module_name name, GlobalBuffer& glb, EdgePort& inputs, EdgePort& weights);

  void start(const TileContext& tile);
  bool waiting_on_glb() const { return waiting_on_glb_; }
  spec::ActionCounts& actions() { return actions_; }

 private:
  void run();
  void stream_weight_stationary();
  void stream_output_stationary();
  // Books the buffer reads, then pushes the flit (the push may block on a full link).
  void send(EdgePort& port, DataFlit&& flit, int64_t glb_bits, int flit_bits);

  DataFlit ws_weights(int row) const;
  DataFlit ws_inputs(int pixel, int64_t& buffer_reads) const;
  DataFlit os_inputs(int64_t step, int64_t& buffer_reads) const;
  DataFlit os_weights(int64_t step) const;
  // Top-left input coordinate of a tile pixel's receptive field (may lie in the padding).
  std::pair<int, int> window_origin(int pixel) const;
  // Activation at reduction index j of the window at (h0, w0); false in the zero padding.
  bool input_at(int64_t j, int h0, int w0, int32_t& value) const;
  int32_t weight_at(int64_t j, int column) const;

  GlobalBuffer& glb_;
  EdgePort& inputs_;
  EdgePort& weights_;
  TileContext tile_;
  std::vector<dataflow::ReductionIndex> reduction_;  // (c, r, s) of every reduction index j
  sc_core::sc_event start_event_;
  bool work_pending_ = false;
  bool waiting_on_glb_ = false;
  spec::ActionCounts actions_;
  Tally tally_;
  int read_weight_, read_input_;
};

}  // namespace enos::sim
