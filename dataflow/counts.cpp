#include "dataflow/counts.hpp"

#include <algorithm>

#include "dataflow/pass_model.hpp"

namespace enos::dataflow {
namespace {

int64_t floor_div(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }
int64_t ceil_div(int64_t a, int64_t b) { return -floor_div(-a, b); }

// Inclusive range of output indices; empty when lo > hi.
struct Range {
  int64_t lo, hi;
};

// Outputs o in [0, n) whose input o·stride − pad + k lies in [0, size) for kernel offset k.
Range valid_outputs(int k, int size, int stride, int pad, int n) {
  return {std::max<int64_t>(0, ceil_div(pad - k, stride)),
          std::min<int64_t>(n - 1, floor_div(size - 1 + pad - k, stride))};
}

// |[a, b) ∩ r|
int64_t overlap(const Range& r, int64_t a, int64_t b) {
  return std::max<int64_t>(0, std::min(b - 1, r.hi) - std::max(a, r.lo) + 1);
}

// Valid pixels among tile pixels [a, b): the partial first row, the whole rows between and
// the partial last row, each an overlap of intervals.
int64_t valid_pixels(const Range& pv, const Range& qv, int p0, int Q, int64_t a, int64_t b) {
  if (a >= b) return 0;
  const int64_t first = a / Q, last = (b - 1) / Q;
  const auto row_valid = [&](int64_t row) { return p0 + row >= pv.lo && p0 + row <= pv.hi; };
  if (first == last) return row_valid(first) ? overlap(qv, a % Q, (b - 1) % Q + 1) : 0;
  int64_t n = overlap(pv, p0 + first + 1, p0 + last) * overlap(qv, 0, Q);
  if (row_valid(first)) n += overlap(qv, a % Q, Q);
  if (row_valid(last)) n += overlap(qv, 0, (b - 1) % Q + 1);
  return n;
}

namespace action = spec::action;

struct ActionInfo {
  const char* name;  // nullptr: pe.op.<candidate>
  char tensor;       // w(eight), i(nput), p(sum), o(utput activation), '-' (no bits)
  // The SystemC modules create these entries on every add, even of zero; the streamer, array
  // and collector flush per-pass counters that skip zeros.
  bool kept_at_zero;
};

constexpr ActionInfo kInfo[kActions] = {
    {action::kDramReadWeight, 'w', true},
    {action::kDramReadInput, 'i', true},
    {action::kDramWriteOutput, 'o', true},
    {action::kGlbWriteWeight, 'w', true},
    {action::kGlbWriteInput, 'i', true},
    {action::kGlbReadWeight, 'w', false},
    {action::kGlbReadInput, 'i', false},
    {action::kGlbReadPsum, 'p', false},
    {action::kGlbWritePsum, 'p', false},
    {action::kGlbWriteOutput, 'p', false},
    {action::kGlbReadOutput, 'p', true},
    {action::kSpadWriteWeight, 'w', false},
    {action::kSpadReadWeight, 'w', false},
    {action::kSpadWriteInput, 'i', false},
    {action::kSpadReadInput, 'i', false},
    {action::kSpadReadPsum, 'p', false},
    {action::kSpadWritePsum, 'p', false},
    {action::kNocHopInput, 'i', false},
    {action::kNocHopWeight, 'w', false},
    {action::kNocHopPsum, 'p', false},
    {nullptr, '-', true},
};

int bits_of(char tensor, const WordBits& b) {
  switch (tensor) {
    case 'w': return b.weight;
    case 'i': return b.input;
    case 'p': return b.psum;
    case 'o': return b.output;
    default: return 0;
  }
}

}  // namespace

int64_t valid_input_reads(const pe::ConvShape& s, int p0, int64_t j0, int64_t j_count,
                          int64_t pix0, int64_t pix_count) {
  const int64_t rs = int64_t(s.R) * s.S;
  const int64_t cg = s.channels_per_group();
  const int P = s.P(), Q = s.Q();
  int64_t total = 0;
  for (int r = 0; r < s.R; ++r) {
    const Range pv = valid_outputs(r, s.H, s.stride, s.pad, P);
    if (pv.lo > pv.hi) continue;
    for (int k = 0; k < s.S; ++k) {
      // Channels c whose j = c·R·S + r·S + k falls in [j0, j0 + j_count).
      const int64_t off = int64_t(r) * s.S + k;
      const int64_t c_lo = std::max<int64_t>(0, ceil_div(j0 - off, rs));
      const int64_t c_hi = std::min<int64_t>(cg - 1, floor_div(j0 + j_count - 1 - off, rs));
      if (c_lo > c_hi) continue;
      const Range qv = valid_outputs(k, s.W, s.stride, s.pad, Q);
      total += (c_hi - c_lo + 1) * valid_pixels(pv, qv, p0, Q, pix0, pix0 + pix_count);
    }
  }
  return total;
}

void Tally::add(const Tally& o, int64_t times) {
  for (std::size_t i = 0; i < kActions; ++i) {
    count[i] += o.count[i] * times;
    touched[i] = touched[i] || o.touched[i];
  }
}

spec::ActionCounts Tally::to_actions(const pe::Candidate& c) const {
  const WordBits b = word_bits(c);
  spec::ActionCounts out;
  for (std::size_t i = 0; i < kActions; ++i) {
    if (count[i] == 0 && !(touched[i] && kInfo[i].kept_at_zero)) continue;
    const std::string name = kInfo[i].name ? kInfo[i].name : action::op(c);
    out.add(name, count[i], bits_of(kInfo[i].tensor, b));
  }
  return out;
}

void count_pass(const LayerPlan& plan, const ArrayTile& pass, int64_t input_reads, Tally& out) {
  pass_model(plan.mapping.dataflow).count(plan, pass, input_reads, out);
}

void count_transfers(const LayerPlan& plan, const GlbTile& tile, Tally& out) {
  const Residency& r = plan.residency;
  if (tile.fetch_weights && !r.weights) {
    out.add(Action::DramReadWeight, tile.weight_words);
    out.add(Action::GlbWriteWeight, tile.weight_words);
  }
  if (tile.fetch_inputs && !r.inputs) {
    out.add(Action::DramReadInput, tile.input_words);
    out.add(Action::GlbWriteInput, tile.input_words);
  }
  out.add(Action::GlbReadOutput, tile.output_words);
  out.add(r.outputs ? Action::GlbWriteInput : Action::DramWriteOutput, tile.output_words);
}

}  // namespace enos::dataflow
