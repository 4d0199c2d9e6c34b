// Output-stationary (docs/dataflow.md): the array's rows hold output pixels of the tile
// (row-major over its rows × Q), the columns output channels; each PE keeps its output's
// accumulator while the whole reduction streams past, input vectors from the west and weight
// vectors from the north (skewed by row and column on systolic links, delivered to every PE at
// once on multicast buses). Finished outputs leave one array row per cycle through the south
// edge while the next pass already computes.
#include <algorithm>

#include "dataflow/pass_model.hpp"

namespace enos::dataflow {
namespace {

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

std::vector<ArrayTile> passes(const LayerPlan& plan, const GlbTile& tile) {
  const int pixels = tile.p_count * plan.shape.Q();
  const int64_t J = plan.shape.reduction();
  const bool whole = plan.mapping.pass_span == spec::PassSpan::WholeArray;
  std::vector<ArrayTile> out;
  const auto add = [&](int pix, int k) {
    ArrayTile a;
    a.k0 = tile.k0 + k;
    a.k_count = std::min(plan.cols, tile.k_count - k);
    a.j0 = 0;
    a.j_count = J;
    a.pix0 = pix;
    a.pix_count = std::min(plan.rows, pixels - pix);
    a.rows_used = a.pix_count;
    a.cols_used = a.k_count;
    a.span_rows = whole ? plan.rows : a.rows_used;
    a.span_cols = whole ? plan.cols : a.cols_used;
    a.stream_len = ceil_div(J, plan.lanes);
    out.push_back(a);
  };
  if (spec::pass_order_of(plan.mapping) == spec::PassOrder::RowsOuter) {
    for (int pix = 0; pix < pixels; pix += plan.rows)
      for (int k = 0; k < tile.k_count; k += plan.cols) add(pix, k);
  } else {
    for (int k = 0; k < tile.k_count; k += plan.cols)
      for (int pix = 0; pix < pixels; pix += plan.rows) add(pix, k);
  }
  return out;
}

int64_t input_reads(const LayerPlan& plan, const GlbTile& tile, const ArrayTile& a) {
  return valid_input_reads(plan.shape, tile.p0, 0, a.j_count, a.pix0, a.pix_count);
}

void count(const LayerPlan& plan, const ArrayTile& a, int64_t reads, Tally& t) {
  const int64_t ru = a.rows_used, cu = a.cols_used, J = a.j_count;
  const bool multicast = plan.topology == spec::NocTopology::MulticastBus;
  t.add(Action::GlbReadInput, reads);
  t.add(Action::GlbReadWeight, cu * J);
  // Each word reaches every PE of its row (inputs) or column (weights).
  t.add(Action::NocHopInput, ru * J * cu);
  t.add(Action::NocHopWeight, cu * J * ru);
  t.add(Action::SpadReadPsum, a.stream_len * ru * cu);
  t.add(Action::SpadWritePsum, a.stream_len * ru * cu);
  t.add(Action::PeOp, ru * cu * J);
  // Drain: row r's outputs leave down ru−r links (systolic) or in one bus hop.
  t.add(Action::NocHopPsum, multicast ? cu * ru : cu * ru * (ru + 1) / 2);
  t.add(Action::GlbWriteOutput, ru * cu);
}

struct Rates {
  double b;                 // one booking for both operand vectors of a step (average valid words)
  double si, sw;            // input and weight vector serialization (edge links or buses)
  double si_last, sw_last;  // the same for the last step, which may carry fewer lanes
  double bc, sp;            // psum row: collector booking, link serialization
  bool multicast;
};

// Steps: operand pairs through booking → links (systolic: two edge wires; multicast: a source
// FIFO, then the input bus and the filter bus side by side) → array; systolic adds the
// wavefront's span_rows + span_cols − 2 steps; then ru rows drain one per cycle through the
// south link to the collector.
PassPhases phases(const Rates& r, const ArrayTile& a, int depth, Slow s) {
  const double steps = double(a.stream_len), ru = a.rows_used;
  // The array takes the input first: waiting for it is fill, waiting for the weight after it
  // a NoC stall (the ideal variant leaves that wait out). A bus adds the cycle its source FIFO
  // takes before the arbiter sees the flit.
  const bool one = steps == 1;
  const double si1 = one ? r.si_last : r.si, sw1 = one ? r.sw_last : r.sw;
  const double ps = std::max({period(r.b, s.glb), period(r.si, s.noc), period(r.sw, s.noc)});
  const double ps_last = std::max({period(r.b, s.glb), period(r.si_last, s.noc), period(r.sw_last, s.noc)});
  const double skew = r.multicast ? 0 : a.span_rows + a.span_cols - 2;
  PassPhases x;
  x.lead = r.b + (r.multicast ? 1 : 0) + (s.noc ? std::max(si1, sw1) : si1);
  x.occupancy = (one ? 0 : (steps - 2) * ps + ps_last) + 1 + skew;
  x.drain = 1 + (ru - 1) * std::max(period(r.sp, s.noc), period(r.bc, s.glb));
  x.tail = r.sp + r.bc;
  // Up to `depth` steps can wait in the links' FIFOs.
  x.run_ahead = skew;
  x.prefetched = std::min<double>(depth, steps) * std::max(0.0, ps - 1);
  return x;
}

PassTiming timing(const Machine& m, const ArrayTile& a, int64_t reads) {
  const int64_t B = m.glb_bits_per_cycle;
  const int64_t lanes = std::min<int64_t>(m.lanes, a.j_count);
  const double step_bits =
      (double(reads) * m.bits.input + double(a.cols_used) * a.j_count * m.bits.weight) / double(a.stream_len);
  const int64_t psum_bits = int64_t(a.cols_used) * m.bits.psum;
  Rates r;
  r.b = booking(step_bits, B);  // a booker alone waits whole cycles: ceil per booking
  r.si = serialize(a.rows_used * lanes * m.bits.input, m.west_link_bits);
  r.sw = serialize(a.cols_used * lanes * m.bits.weight, m.north_link_bits);
  const int64_t last_lanes = a.j_count - (a.stream_len - 1) * m.lanes;
  r.si_last = serialize(a.rows_used * last_lanes * m.bits.input, m.west_link_bits);
  r.sw_last = serialize(a.cols_used * last_lanes * m.bits.weight, m.north_link_bits);
  r.bc = booking(double(psum_bits), B);
  r.sp = serialize(psum_bits, m.south_link_bits);
  r.multicast = m.multicast;
  PassTiming t;
  t.busy = a.stream_len;
  for (int v = 0; v < kVariants; ++v) t.phases[v] = phases(r, a, m.fifo_depth, slow_of(Variant(v)));
  return t;
}

}  // namespace

PassModel output_stationary_model() { return {passes, input_reads, count, timing}; }

}  // namespace enos::dataflow
