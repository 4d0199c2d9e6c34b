#include "sim/streamer.hpp"

namespace enos::sim {

Streamer::Streamer(sc_core::sc_module_name name, GlobalBuffer& glb, EdgePort& west, EdgePort& north)
    : sc_core::sc_module(name), glb_(glb), west_(west), north_(north) {
  read_weight_ = tally_.action(spec::action::kGlbReadWeight);
  read_input_ = tally_.action(spec::action::kGlbReadInput);
  SC_HAS_PROCESS(Streamer);
  SC_THREAD(run);
}

void Streamer::run() {
  for (;;) {
    work_ = inbox_.take();
    // Decompose reduction indices once per tile, not once per operand.
    const pe::ConvShape& shape = work_.plan->shape;
    taps_.resize(std::size_t(shape.reduction()));
    for (int64_t j = 0; j < shape.reduction(); ++j) {
      const dataflow::ReductionIndex idx = dataflow::split_reduction(shape, j);
      taps_[std::size_t(j)] = {idx.r, idx.s, (int64_t(idx.c) * work_.glb->in_rows + idx.r) * shape.W + idx.s};
    }
    for (std::size_t i = 0; i < work_.size(); ++i) {
      tile_ = work_.pass(i);
      // The windows of the output-stationary rows are the same at every step of the pass.
      window_origins_.clear();
      if (tile_.output_stationary())
        for (int r = 0; r < tile_.array->rows_used; ++r) window_origins_.push_back(window_origin(tile_.array->pix0 + r));
      if (tile_.output_stationary())
        stream_output_stationary();
      else
        stream_preloaded();
      tally_.flush_into(actions_);
    }
  }
}

void Streamer::send(EdgePort& port, DataFlit&& flit, int64_t glb_bits, int flit_bits) {
  waiting_on_glb_ = true;
  sc_core::wait(glb_.ports().book(glb_bits));
  waiting_on_glb_ = false;
  port.push(std::move(flit), flit_bits);
}

void Streamer::stream_preloaded() {
  const dataflow::ArrayTile& a = *tile_.array;
  const dataflow::WordBits bits = dataflow::word_bits(tile_.plan->candidate);
  const bool inputs = tile_.inputs_preloaded();
  for (int row = a.rows_used - 1; row >= 0; --row) {
    int64_t reads = 0;
    DataFlit flit = inputs ? input_row(row, reads) : weight_row(row);
    const int64_t words = int64_t(flit.values.size());
    if (!inputs) reads = words;
    const int word_bits = inputs ? bits.input : bits.weight;
    tally_.add(inputs ? read_input_ : read_weight_, reads, word_bits);
    send(north_, std::move(flit), reads * word_bits, int(words * word_bits));
  }
  for (int64_t item = 0; item < a.stream_len; ++item) {
    int64_t reads = 0;
    DataFlit flit = inputs ? channel_weights(item) : pixel_inputs(int(item), reads);
    const int64_t words = int64_t(flit.values.size());
    if (inputs) reads = words;
    const int word_bits = inputs ? bits.weight : bits.input;
    tally_.add(inputs ? read_weight_ : read_input_, reads, word_bits);
    send(west_, std::move(flit), reads * word_bits, int(words * word_bits));
  }
}

void Streamer::stream_output_stationary() {
  const dataflow::ArrayTile& a = *tile_.array;
  const dataflow::WordBits bits = dataflow::word_bits(tile_.plan->candidate);
  for (int64_t step = 0; step < a.stream_len; ++step) {
    int64_t reads = 0;
    DataFlit in = os_inputs(step, reads);
    DataFlit w = os_weights(step);
    const int64_t w_words = int64_t(w.values.size());
    tally_.add(read_input_, reads, bits.input);
    tally_.add(read_weight_, w_words, bits.weight);
    // One booking for both operands: they leave the banks in the same cycle.
    waiting_on_glb_ = true;
    sc_core::wait(glb_.ports().book(reads * bits.input + w_words * bits.weight));
    waiting_on_glb_ = false;
    const int in_bits = int(in.values.size()) * bits.input;
    west_.push(std::move(in), in_bits);
    north_.push(std::move(w), int(w_words * bits.weight));
  }
}

DataFlit Streamer::weight_row(int row) const {
  const dataflow::ArrayTile& a = *tile_.array;
  const int lanes = tile_.active_lanes(row);
  const int64_t k0 = a.k0 - tile_.glb->k0;
  DataFlit flit;
  flit.values.reserve(std::size_t(a.cols_used) * lanes);
  for (int c = 0; c < a.cols_used; ++c)
    for (int l = 0; l < lanes; ++l)
      flit.values.push_back(weight_at(a.j0 + int64_t(row) * tile_.plan->lanes + l, k0 + c));
  return flit;
}

DataFlit Streamer::input_row(int row, int64_t& buffer_reads) const {
  const dataflow::ArrayTile& a = *tile_.array;
  const int lanes = tile_.active_lanes(row);
  DataFlit flit;
  flit.values.reserve(std::size_t(a.cols_used) * lanes);
  for (int c = 0; c < a.cols_used; ++c) {
    const auto [h0, w0] = window_origin(a.pix0 + c);
    for (int l = 0; l < lanes; ++l) {
      int32_t v = 0;
      if (input_at(a.j0 + int64_t(row) * tile_.plan->lanes + l, h0, w0, v)) ++buffer_reads;
      flit.values.push_back(v);
    }
  }
  return flit;
}

DataFlit Streamer::pixel_inputs(int pixel, int64_t& buffer_reads) const {
  const dataflow::ArrayTile& a = *tile_.array;
  DataFlit flit;
  flit.values.reserve(std::size_t(a.j_count));
  const auto [h0, w0] = window_origin(pixel);
  for (int64_t j = a.j0; j < a.j0 + a.j_count; ++j) {
    int32_t v = 0;
    if (input_at(j, h0, w0, v)) ++buffer_reads;
    flit.values.push_back(v);
  }
  return flit;
}

DataFlit Streamer::channel_weights(int64_t item) const {
  const dataflow::ArrayTile& a = *tile_.array;
  const int64_t k = a.k0 - tile_.glb->k0 + item;
  const auto& w = glb_.slot(tile_.weight_slot).weights;
  const auto first = w.begin() + (k * tile_.plan->shape.reduction() + a.j0);
  DataFlit flit;
  flit.values.assign(first, first + a.j_count);
  return flit;
}

DataFlit Streamer::os_inputs(int64_t step, int64_t& buffer_reads) const {
  // input_at, with what stays the same across the step's rows looked up once.
  const dataflow::ArrayTile& a = *tile_.array;
  const pe::ConvShape& s = tile_.plan->shape;
  const int lanes = tile_.active_lanes(step);
  const Tap* taps = taps_.data() + step * tile_.plan->lanes;
  const int32_t* in = glb_.slot(tile_.input_slot).inputs.data();
  DataFlit flit;
  flit.values.resize(std::size_t(a.rows_used) * lanes);
  int32_t* out = flit.values.data();
  for (int r = 0; r < a.rows_used; ++r) {
    const auto [h0, w0] = window_origins_[std::size_t(r)];
    const int64_t origin = int64_t(h0 - tile_.glb->in_row0) * s.W + w0;
    for (int l = 0; l < lanes; ++l, ++out) {
      const Tap& t = taps[l];
      const int h = h0 + t.r, w = w0 + t.s;
      const bool inside = h >= 0 && h < s.H && w >= 0 && w < s.W;
      *out = inside ? in[t.offset + origin] : 0;
      buffer_reads += inside;
    }
  }
  return flit;
}

DataFlit Streamer::os_weights(int64_t step) const {
  const dataflow::ArrayTile& a = *tile_.array;
  const int lanes = tile_.active_lanes(step);
  const int64_t k0 = a.k0 - tile_.glb->k0;
  const int64_t J = tile_.plan->shape.reduction();
  const int32_t* w = glb_.slot(tile_.weight_slot).weights.data() + k0 * J + step * tile_.plan->lanes;
  DataFlit flit;
  flit.values.resize(std::size_t(a.cols_used) * lanes);
  int32_t* out = flit.values.data();
  for (int c = 0; c < a.cols_used; ++c, w += J)
    for (int l = 0; l < lanes; ++l) *out++ = w[l];
  return flit;
}

std::pair<int, int> Streamer::window_origin(int pixel) const {
  const pe::ConvShape& s = tile_.plan->shape;
  const int Q = s.Q();
  return {(tile_.glb->p0 + pixel / Q) * s.stride - s.pad, (pixel % Q) * s.stride - s.pad};
}

bool Streamer::input_at(int64_t j, int h0, int w0, int32_t& value) const {
  const pe::ConvShape& s = tile_.plan->shape;
  const dataflow::GlbTile& g = *tile_.glb;
  const Tap& tap = taps_[std::size_t(j)];
  const int h = h0 + tap.r;
  const int w = w0 + tap.s;
  if (h < 0 || h >= s.H || w < 0 || w >= s.W) return false;
  const auto& in = glb_.slot(tile_.input_slot).inputs;
  value = in[std::size_t(tap.offset + int64_t(h0 - g.in_row0) * s.W + w0)];
  return true;
}

int32_t Streamer::weight_at(int64_t j, int64_t k) const {
  const auto& w = glb_.slot(tile_.weight_slot).weights;
  return w[std::size_t(k * tile_.plan->shape.reduction() + j)];
}

}  // namespace enos::sim
