#include "sim/pe_array.hpp"

#include <algorithm>

#include "pe/semantics.hpp"
#include "pe/vector_clones.hpp"
#include "sim/array_math.hpp"

namespace enos::sim {

PeArray::PeArray(sc_core::sc_module_name name, int rows, int cols, int max_lanes, bool multicast, bool zero_gating,
                 sc_core::sc_time cycle, ArrayPorts ports)
    : sc_core::sc_module(name),
      rows_(rows),
      cols_(cols),
      max_lanes_(max_lanes),
      multicast_(multicast),
      cycle_(cycle),
      ports_(std::move(ports)),
      zero_gating_(zero_gating) {
  held_stride_ = int64_t(rows_) * max_lanes_;
  held_.resize(std::size_t(cols_ * held_stride_));
  acc_main_.resize(std::size_t(rows_) * cols_);
  acc_aux_.resize(std::size_t(rows_) * cols_);
  hop_input_ = tally_.action(spec::action::kNocHopInput);
  hop_weight_ = tally_.action(spec::action::kNocHopWeight);
  hop_psum_ = tally_.action(spec::action::kNocHopPsum);
  spad_write_weight_ = tally_.action(spec::action::kSpadWriteWeight);
  spad_read_weight_ = tally_.action(spec::action::kSpadReadWeight);
  spad_write_input_ = tally_.action(spec::action::kSpadWriteInput);
  spad_read_input_ = tally_.action(spec::action::kSpadReadInput);
  spad_read_psum_ = tally_.action(spec::action::kSpadReadPsum);
  spad_write_psum_ = tally_.action(spec::action::kSpadWritePsum);
  SC_HAS_PROCESS(PeArray);
  SC_THREAD(run);
}

void PeArray::start(const TileWork& work) {
  busy_ = true;
  inbox_.give(work);
}

void PeArray::reset_counters() {
  cycles_ = {};
  actions_ = {};
  macs_ = 0;
}

void PeArray::run() {
  for (;;) {
    work_ = inbox_.take();
    first_flit_ = true;
    decode_.emplace(work_.plan->candidate);
    for (std::size_t i = 0; i < work_.size(); ++i) {
      tile_ = work_.pass(i);
      const int64_t start = int64_t(sc_core::sc_time_stamp() / cycle_);
      if (tile_.output_stationary())
        run_output_stationary();
      else
        run_preloaded();
      log_pass(start);
    }
    while (!output_rows_.empty()) output_register_cycle();  // the tile's last outputs
    busy_ = false;
    done_event_.notify(sc_core::SC_ZERO_TIME);
  }
}

void PeArray::log_pass(int64_t start_cycle) const {
  if (!work_.trace) return;
  const dataflow::ArrayTile& a = *tile_.array;
  const int64_t end = int64_t(sc_core::sc_time_stamp() / cycle_);
  work_.trace->push_back({"array", "pass: " + std::to_string(a.rows_used) + "x" + std::to_string(a.cols_used) +
                                       " PEs, " + std::to_string(a.stream_len) + " steps",
                          start_cycle, end});
}

void PeArray::next_cycle() {
  sc_core::wait(cycle_);
  if (!output_rows_.empty()) push_output_row();
}

bool PeArray::push_output_row() {
  const int bits = int(output_rows_.front().values.size()) * dataflow::word_bits(tile_.plan->candidate).psum;
  if (!ports_.south->nb_push(output_rows_.front(), bits)) return false;
  output_rows_.pop_front();
  return true;
}

void PeArray::output_register_cycle() {
  sc_core::wait(cycle_);
  if (push_output_row())
    ++cycles_.fill_drain;
  else
    add_stall(cycles_, ports_.output_stall(), 1);
}

void PeArray::tick(bool busy_cycle) {
  if (busy_cycle)
    ++cycles_.busy;
  else
    ++cycles_.fill_drain;
  next_cycle();
}

DataFlit PeArray::take(noc::Link<DataFlit>& link) {
  DataFlit flit;
  while (!link.nb_pop(flit)) {
    add_stall(cycles_, first_flit_ ? StallCause::FillDrain : ports_.operand_stall(), 1);
    next_cycle();
  }
  first_flit_ = false;
  return flit;
}

void PeArray::deliver(PsumFlit&& flit) {
  const int bits = int(flit.values.size()) * dataflow::word_bits(tile_.plan->candidate).psum;
  while (!ports_.south->nb_push(flit, bits)) {
    add_stall(cycles_, ports_.output_stall(), 1);
    next_cycle();
  }
}

// ---- weight- and input-stationary ----------------------------------------------------------

void PeArray::preload() {
  const dataflow::ArrayTile& a = *tile_.array;
  const pe::Candidate& cand = tile_.plan->candidate;
  const int L = tile_.plan->lanes;
  const bool inputs = tile_.inputs_preloaded();
  const int bits = inputs ? cand.act_bits : cand.weight_bits;
  const pe::WeightDecoder& decode = *decode_;
  // The first flit shifts down furthest: it ends in the deepest row.
  for (int k = 0; k < a.rows_used; ++k) {
    const DataFlit flit = take(*ports_.north);
    const int row = a.rows_used - 1 - k;
    const int lanes = tile_.active_lanes(row);
    for (int c = 0; c < a.cols_used; ++c) {
      int32_t* column = held_.data() + c * held_stride_ + row * L;
      for (int l = 0; l < lanes; ++l) {
        const int32_t v = flit.values[std::size_t(c * lanes + l)];
        column[l] = inputs ? v : decode(v);
      }
    }
    tally_.add(inputs ? spad_write_input_ : spad_write_weight_, int64_t(a.cols_used) * lanes, bits);
    tally_.add(inputs ? hop_input_ : hop_weight_, int64_t(a.cols_used) * lanes * (row + 1), bits);
    tick(false);
  }
  // An array without bypasses also shifts zeros into the rows the pass leaves unused.
  for (int row = a.rows_used; row < a.span_rows; ++row) tick(false);
}

template <pe::OpKind K>
void PeArray::reduce_item(const DataFlit& streamed, pe::Psum* out) {
  const dataflow::ArrayTile& a = *tile_.array;
  const int32_t* s = streamed.values.data();
  const bool inputs = tile_.inputs_preloaded();
  for (int c = 0; c < a.cols_used; ++c) {
    const int32_t* held = held_.data() + c * held_stride_;
    // pe::mac's operands are (weight, input): held weights (WS) or held inputs (IS).
    out[c] = inputs ? dot<K>(s, held, a.j_count) : dot<K>(held, s, a.j_count);
  }
  macs_ += int64_t(a.cols_used) * a.j_count;
}

ENOS_VECTOR_CLONES
void PeArray::dispatch_reduce_item(const DataFlit& streamed, pe::Psum* out) {
  switch (tile_.plan->candidate.kind) {
    case pe::OpKind::Int: reduce_item<pe::OpKind::Int>(streamed, out); break;
    case pe::OpKind::Bin: reduce_item<pe::OpKind::Bin>(streamed, out); break;
    case pe::OpKind::Mf: reduce_item<pe::OpKind::Mf>(streamed, out); break;
    case pe::OpKind::Shift: reduce_item<pe::OpKind::Shift>(streamed, out); break;
  }
}

void PeArray::run_preloaded() {
  const dataflow::ArrayTile& a = *tile_.array;
  const pe::Candidate& cand = tile_.plan->candidate;
  const dataflow::WordBits bits = dataflow::word_bits(cand);
  const bool inputs = tile_.inputs_preloaded();
  const int stream_bits = inputs ? bits.weight : bits.input;
  const pe::WeightDecoder& decode = *decode_;
  const int64_t n = a.stream_len;
  const int64_t macs_before = macs_;
  gated_ = 0;
  preload();
  // Input-stationary: a zero held input gates its operation with every streamed weight.
  if (zero_gating_ && inputs) gated_ = held_input_zeros() * n;
  // An item's partial sums leave the far corner span_rows + span_cols − 2 steps after it
  // entered; they wait in a ring of that many slots.
  ring_ = a.span_rows + a.span_cols;
  results_.resize(std::size_t(ring_ * cols_));
  const int64_t steps = n + a.span_rows + a.span_cols - 2;
  for (int64_t t = 0; t < steps; ++t) {
    if (t < n) {
      DataFlit flit = take(*ports_.west);
      if (inputs)
        for (int32_t& code : flit.values) code = decode(code);
      tally_.add(inputs ? hop_weight_ : hop_input_, a.j_count * a.cols_used, stream_bits);
      if (zero_gating_ && !inputs) count_streamed_zeros(flit);
      dispatch_reduce_item(flit, results_.data() + (t % ring_) * cols_);
    }
    tick(t < n);
    const int64_t done_item = t - (a.span_rows - 1) - (a.span_cols - 1);
    if (done_item >= 0) {
      PsumFlit out;
      out.index = done_item;
      const pe::Psum* row = results_.data() + (done_item % ring_) * cols_;
      out.values.assign(row, row + a.cols_used);
      tally_.add(hop_psum_, int64_t(a.cols_used) * a.rows_used, bits.psum);
      deliver(std::move(out));
    }
  }
  const int64_t pass_macs = macs_ - macs_before;
  // Weight-stationary: a gated operation does not read its held weight either.
  tally_.add(inputs ? spad_read_input_ : spad_read_weight_, inputs ? pass_macs : pass_macs - gated_,
             inputs ? bits.input : bits.weight);
  tally_.flush_into(actions_);
  add_op_counts(cand, pass_macs);
}

void PeArray::add_op_counts(const pe::Candidate& cand, int64_t pass_macs) {
  actions_.add(spec::action::op(cand), pass_macs - gated_);
  actions_.add(spec::action::gated(cand), gated_);
}

void PeArray::count_streamed_zeros(const DataFlit& streamed) {
  const int64_t zeros = std::count(streamed.values.begin(), streamed.values.end(), 0);
  gated_ += zeros * tile_.array->cols_used;
}

int64_t PeArray::held_input_zeros() const {
  const dataflow::ArrayTile& a = *tile_.array;
  const int L = tile_.plan->lanes;
  int64_t zeros = 0;
  for (int c = 0; c < a.cols_used; ++c)
    for (int row = 0; row < a.rows_used; ++row) {
      const int32_t* held = held_.data() + c * held_stride_ + row * L;
      zeros += std::count(held, held + tile_.active_lanes(row), 0);
    }
  return zeros;
}

// Output-stationary: a zero input gates its operation in every column of its row, and a PE
// whose inputs of the step are all zero skips its accumulator read and write.
void PeArray::count_os_zeros(const DataFlit& in, int lanes) {
  const dataflow::ArrayTile& a = *tile_.array;
  int64_t zeros = 0, idle_rows = 0;
  for (int r = 0; r < a.rows_used; ++r) {
    const auto first = in.values.begin() + int64_t(r) * lanes;
    const int64_t z = std::count(first, first + lanes, 0);
    zeros += z;
    idle_rows += z == lanes;
  }
  gated_ += zeros * a.cols_used;
  skipped_psum_ += idle_rows * a.cols_used;
}

// ---- output-stationary ---------------------------------------------------------------------

ENOS_VECTOR_CLONES
void PeArray::dispatch_os_step(const DataFlit& in, const DataFlit& w, int lanes) {
  const dataflow::ArrayTile& a = *tile_.array;
  const int32_t* x = in.values.data();
  const int32_t* wv = w.values.data();
  uint32_t* m = acc_main_.data();
  uint32_t* aux = acc_aux_.data();
  const int ru = a.rows_used, cu = a.cols_used;
  switch (tile_.plan->candidate.kind) {
    case pe::OpKind::Int: outer_step<pe::OpKind::Int>(x, wv, ru, cu, lanes, m, aux, cols_); break;
    case pe::OpKind::Bin: outer_step<pe::OpKind::Bin>(x, wv, ru, cu, lanes, m, aux, cols_); break;
    case pe::OpKind::Mf: outer_step<pe::OpKind::Mf>(x, wv, ru, cu, lanes, m, aux, cols_); break;
    case pe::OpKind::Shift: outer_step<pe::OpKind::Shift>(x, wv, ru, cu, lanes, m, aux, cols_); break;
  }
  macs_ += int64_t(ru) * cu * lanes;
}

void PeArray::run_output_stationary() {
  const dataflow::ArrayTile& a = *tile_.array;
  const pe::Candidate& cand = tile_.plan->candidate;
  const dataflow::WordBits bits = dataflow::word_bits(cand);
  const int64_t steps = a.stream_len;
  const int64_t macs_before = macs_;
  gated_ = skipped_psum_ = 0;
  std::fill(acc_main_.begin(), acc_main_.end(), 0u);
  std::fill(acc_aux_.begin(), acc_aux_.end(), 0u);
  const int64_t total = multicast_ ? steps : steps + a.span_rows + a.span_cols - 2;
  const pe::WeightDecoder& decode = *decode_;
  for (int64_t t = 0; t < total; ++t) {
    if (t < steps) {
      const DataFlit in = take(*ports_.west);
      DataFlit w = take(*ports_.north);
      for (int32_t& code : w.values) code = decode(code);
      // Each word reaches every PE of its row (inputs) or column (weights): by forwarding
      // across the links of a systolic array, by one delivery per PE on a multicast bus.
      tally_.add(hop_input_, int64_t(in.values.size()) * a.cols_used, bits.input);
      tally_.add(hop_weight_, int64_t(w.values.size()) * a.rows_used, bits.weight);
      dispatch_os_step(in, w, tile_.active_lanes(t));
      if (zero_gating_) count_os_zeros(in, tile_.active_lanes(t));
      // Every used PE reads and writes its accumulator once per step (unless gated).
      tally_.add(spad_read_psum_, int64_t(a.rows_used) * a.cols_used, bits.psum);
      tally_.add(spad_write_psum_, int64_t(a.rows_used) * a.cols_used, bits.psum);
    }
    tick(t < steps);
  }
  // The output registers still hold the previous pass's rows when this pass was shorter than
  // their drain: the array waits before it overwrites them.
  while (!output_rows_.empty()) output_register_cycle();
  // Drain: one row of finished outputs leaves per cycle towards the south edge.
  for (int r = 0; r < a.rows_used; ++r) {
    PsumFlit out;
    out.index = r;
    out.values.resize(std::size_t(a.cols_used));
    for (int c = 0; c < a.cols_used; ++c)
      out.values[std::size_t(c)] = {int32_t(acc_main_[std::size_t(r * cols_ + c)]),
                                    int32_t(acc_aux_[std::size_t(r * cols_ + c)])};
    tally_.add(hop_psum_, int64_t(a.cols_used) * (multicast_ ? 1 : a.rows_used - r), bits.psum);
    output_rows_.push_back(std::move(out));
  }
  // Gated accumulator accesses come off the per-step counts above.
  tally_.add(spad_read_psum_, -skipped_psum_, bits.psum);
  tally_.add(spad_write_psum_, -skipped_psum_, bits.psum);
  tally_.flush_into(actions_);
  add_op_counts(cand, macs_ - macs_before);
}

}  // namespace enos::sim
