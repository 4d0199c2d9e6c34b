#include "sim/dma_engine.hpp"

#include <algorithm>
#include <cmath>

#include "dataflow/timing.hpp"

namespace enos::sim {

DmaEngine::DmaEngine(sc_core::sc_module_name name, const spec::DramSpec& dram, GlobalBuffer& glb,
                     sc_core::sc_time cycle)
    : sc_core::sc_module(name), dram_(dram), glb_(glb), cycle_(cycle) {
  SC_HAS_PROCESS(DmaEngine);
  SC_THREAD(run);
}

int64_t DmaEngine::issue(DmaKind kind, const dataflow::GlbTile& tile, int slot) {
  if (resident(kind)) {
    place_resident(kind, tile, slot);
    return issued_;  // nothing crosses DRAM: no transfer to wait for
  }
  DmaCommand cmd{kind, tile, slot, ++issued_, sc_core::sc_time_stamp()};
  queue_.push_back(cmd);
  issued_event_.notify(sc_core::SC_ZERO_TIME);
  return cmd.sequence;
}

void DmaEngine::wait_for(int64_t sequence) {
  while (completed_ < sequence) sc_core::wait(completed_event_);
}

sc_core::sc_time DmaEngine::transfer_time(int64_t bits) const {
  // The analytical model's arithmetic, checked: the mapper has run it on every transfer of
  // this plan already, so it cannot fail here.
  return cycle_ * double(dataflow::dram_transfer_cycles(dram_, bits));
}

void DmaEngine::move(int64_t bits, const sc_core::sc_time& issued_at) {
  const sc_core::sc_time start = std::max(issued_at, channel_free_);
  channel_free_ = start + transfer_time(bits);
  const sc_core::sc_time done = channel_free_ + cycle_ * double(dram_.latency_cycles);
  if (done > sc_core::sc_time_stamp()) sc_core::wait(done - sc_core::sc_time_stamp());
}

void DmaEngine::run() {
  for (;;) {
    while (queue_.empty()) sc_core::wait(issued_event_);
    const DmaCommand cmd = queue_.front();
    queue_.pop_front();
    const int64_t start = int64_t(sc_core::sc_time_stamp() / cycle_);
    switch (cmd.kind) {
      case DmaKind::LoadWeights: load_weights(cmd); break;
      case DmaKind::LoadInputs: load_inputs(cmd); break;
      case DmaKind::StoreOutputs: store_outputs(cmd); break;
    }
    if (trace_) {
      static const char* const kNames[] = {"load weights", "load inputs", "store outputs"};
      trace_->push_back({"dma", kNames[int(cmd.kind)], start, int64_t(sc_core::sc_time_stamp() / cycle_)});
    }
    completed_ = cmd.sequence;
    completed_event_.notify(sc_core::SC_ZERO_TIME);
  }
}

bool DmaEngine::resident(DmaKind kind) const {
  const dataflow::Residency& r = image_.plan->residency;
  switch (kind) {
    case DmaKind::LoadWeights: return r.weights;
    case DmaKind::LoadInputs: return r.inputs;
    case DmaKind::StoreOutputs: return r.outputs;
  }
  return false;
}

void DmaEngine::place_resident(DmaKind kind, const dataflow::GlbTile& tile, int slot) {
  switch (kind) {
    case DmaKind::LoadWeights: copy_weights(tile, slot); break;
    case DmaKind::LoadInputs: copy_inputs(tile, slot); break;
    case DmaKind::StoreOutputs: {
      const dataflow::WordBits bits = dataflow::word_bits(image_.plan->candidate);
      copy_outputs(tile, slot);
      actions_.add(spec::action::kGlbReadOutput, tile.output_words, bits.psum);
      actions_.add(spec::action::kGlbWriteInput, tile.output_words, bits.output);
      break;
    }
  }
}

void DmaEngine::load_weights(const DmaCommand& cmd) {
  const dataflow::WordBits bits = dataflow::word_bits(image_.plan->candidate);
  const dataflow::GlbTile& t = cmd.tile;
  move(t.weight_words * bits.weight, cmd.issued_at);
  copy_weights(t, cmd.slot);
  actions_.add(spec::action::kDramReadWeight, t.weight_words, bits.weight);
  actions_.add(spec::action::kGlbWriteWeight, t.weight_words, bits.weight);
}

void DmaEngine::load_inputs(const DmaCommand& cmd) {
  const dataflow::WordBits bits = dataflow::word_bits(image_.plan->candidate);
  const dataflow::GlbTile& t = cmd.tile;
  move(t.input_words * bits.input, cmd.issued_at);
  copy_inputs(t, cmd.slot);
  actions_.add(spec::action::kDramReadInput, t.input_words, bits.input);
  actions_.add(spec::action::kGlbWriteInput, t.input_words, bits.input);
}

void DmaEngine::store_outputs(const DmaCommand& cmd) {
  const dataflow::WordBits bits = dataflow::word_bits(image_.plan->candidate);
  const dataflow::GlbTile& t = cmd.tile;
  move(t.output_words * bits.output, cmd.issued_at);
  copy_outputs(t, cmd.slot);
  actions_.add(spec::action::kGlbReadOutput, t.output_words, bits.psum);
  actions_.add(spec::action::kDramWriteOutput, t.output_words, bits.output);
}

void DmaEngine::copy_weights(const dataflow::GlbTile& t, int slot) {
  const pe::ConvShape& s = image_.plan->shape;
  const int64_t J = s.reduction();
  std::vector<int32_t>& dst = glb_.slot(slot).weights;
  dst.resize(std::size_t(t.weight_words));
  const int64_t first_k = int64_t(t.group) * s.outputs_per_group() + t.k0;
  const auto& src = image_.data->weight_codes;
  std::copy(src.begin() + first_k * J, src.begin() + (first_k + t.k_count) * J, dst.begin());
}

void DmaEngine::copy_inputs(const dataflow::GlbTile& t, int slot) {
  const pe::ConvShape& s = image_.plan->shape;
  std::vector<int32_t>& dst = glb_.slot(slot).inputs;
  dst.resize(std::size_t(t.input_words));
  const int cg = s.channels_per_group();
  const auto& src = image_.data->inputs;
  for (int c = 0; c < cg; ++c) {
    const int64_t channel = int64_t(t.group) * cg + c;
    const auto row0 = src.begin() + (channel * s.H + t.in_row0) * s.W;
    std::copy(row0, row0 + int64_t(t.in_rows) * s.W, dst.begin() + int64_t(c) * t.in_rows * s.W);
  }
}

void DmaEngine::copy_outputs(const dataflow::GlbTile& t, int slot) {
  const pe::ConvShape& s = image_.plan->shape;
  const std::vector<pe::Psum>& src = glb_.slot(slot).psums;
  const int Q = s.Q();
  for (int k = 0; k < t.k_count; ++k) {
    const int64_t channel = int64_t(t.group) * s.outputs_per_group() + t.k0 + k;
    for (int p = 0; p < t.p_count; ++p)
      for (int q = 0; q < Q; ++q)
        (*image_.outputs)[std::size_t((channel * s.P() + t.p0 + p) * Q + q)] =
            src[std::size_t((int64_t(k) * t.p_count + p) * Q + q)];
  }
}

}  // namespace enos::sim
