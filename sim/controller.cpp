#include "sim/controller.hpp"

namespace enos::sim {

Controller::Controller(sc_core::sc_module_name name, DmaEngine& dma, Streamer& streamer,
                       PeArray& array, PsumCollector& collector, GlobalBuffer& glb,
                       sc_core::sc_time cycle)
    : sc_core::sc_module(name),
      dma_(dma),
      streamer_(streamer),
      array_(array),
      collector_(collector),
      glb_(glb),
      cycle_(cycle) {
  SC_HAS_PROCESS(Controller);
  SC_THREAD(run);
}

void Controller::submit(const LayerJob& job, LayerResult& result) {
  finished_ = false;
  inbox_.give({&job, &result});
}

void Controller::run() {
  for (;;) {
    std::tie(job_, result_) = inbox_.take();
    run_layer();
    finished_ = true;
  }
}

void Controller::wait_dma(int64_t sequence) {
  const sc_core::sc_time t0 = sc_core::sc_time_stamp();
  dma_.wait_for(sequence);
  const int64_t waited = int64_t((sc_core::sc_time_stamp() - t0) / cycle_);
  cycles_.stall_dram += waited;
  if (job_->trace && waited > 0) {
    const int64_t end = int64_t(sc_core::sc_time_stamp() / cycle_);
    job_->trace->push_back({"dram_wait", "array waits for DRAM", end - waited, end});
  }
}

Controller::TileSlots Controller::prepare(const dataflow::GlbTile& tile, int index) {
  const bool two = job_->plan.mapping.double_buffer;
  if (tile.fetch_weights) {
    weight_slot_ = two ? 1 - weight_slot_ : 0;
    dma_.issue(DmaKind::LoadWeights, tile, weight_slot_);
  }
  if (tile.fetch_inputs) {
    input_slot_ = two ? 1 - input_slot_ : 0;
    dma_.issue(DmaKind::LoadInputs, tile, input_slot_);
  }
  TileSlots slots;
  slots.weight = weight_slot_;
  slots.input = input_slot_;
  slots.psum = two ? index % 2 : 0;
  // Transfers complete in issue order, so waiting for the latest one issued also waits for
  // the write-back still draining the partial-sum slot this tile is about to reuse.
  slots.ready_sequence = dma_.last_issued();
  return slots;
}

void Controller::compute(const dataflow::GlbTile& tile, const TileSlots& slots) {
  glb_.slot(slots.psum).psums.assign(std::size_t(tile.output_words), pe::Psum{});
  const std::vector<dataflow::ArrayTile> passes = dataflow::array_tiles(job_->plan, tile);
  const TileWork work{&job_->plan, &tile, &passes, slots.weight, slots.input, slots.psum, job_->trace};
  const int64_t accounted_before = array_.cycles().total();
  const sc_core::sc_time t0 = sc_core::sc_time_stamp();
  streamer_.start(work);
  array_.start(work);
  collector_.start(work);
  sc_core::wait(collector_.done_event());
  // Cycles after the array let go of its last flit, until the collector stored it.
  const int64_t elapsed = int64_t((sc_core::sc_time_stamp() - t0) / cycle_);
  cycles_.fill_drain += elapsed - (array_.cycles().total() - accounted_before);
}

void Controller::run_layer() {
  const dataflow::LayerPlan& plan = job_->plan;
  const std::vector<dataflow::GlbTile> tiles = dataflow::glb_tiles(plan);
  result_->outputs.assign(std::size_t(plan.shape.output_count()), pe::Psum{});
  dma_.bind_layer({&plan, job_->data, &result_->outputs});
  dma_.set_trace(job_->trace);
  weight_slot_ = input_slot_ = 1;
  const bool two = plan.mapping.double_buffer;
  std::vector<TileSlots> slots(tiles.size());
  slots[0] = prepare(tiles[0], 0);
  for (std::size_t n = 0; n < tiles.size(); ++n) {
    if (two && n + 1 < tiles.size()) slots[n + 1] = prepare(tiles[n + 1], int(n + 1));
    wait_dma(slots[n].ready_sequence);
    compute(tiles[n], slots[n]);
    const int64_t stored = dma_.issue(DmaKind::StoreOutputs, tiles[n], slots[n].psum);
    if (!two) {
      wait_dma(stored);
      if (n + 1 < tiles.size()) slots[n + 1] = prepare(tiles[n + 1], int(n + 1));
    }
  }
  wait_dma(dma_.last_issued());
}

}  // namespace enos::sim
