// Weight- and input-stationary (docs/dataflow.md): the array's rows hold a chunk of the
// reduction (`lanes` elements per PE), one operand is preloaded into the PEs row by row
// through the north edge, deepest row first, and the other streams in from the west, one
// vector per step, skewed by row; partial sums flow down the columns to the south edge and
// accumulate in the global buffer across reduction chunks. The two dataflows differ only in
// which operand is which, and so in what the columns and the stream index:
//   weight-stationary: weights preloaded, columns = output channels, stream = the tile's pixels
//   input-stationary:  inputs preloaded,  columns = output pixels,   stream = the tile's channels
#include <algorithm>
#include <cmath>

#include "dataflow/pass_model.hpp"

namespace enos::dataflow {
namespace {

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

bool inputs_preloaded(spec::Dataflow d) { return d == spec::Dataflow::InputStationary; }

std::vector<ArrayTile> passes(const LayerPlan& plan, const GlbTile& tile) {
  const bool is = inputs_preloaded(plan.mapping.dataflow);
  const int pixels = tile.p_count * plan.shape.Q();
  const int64_t J = plan.shape.reduction();
  const int64_t j_step = int64_t(plan.rows) * plan.lanes;
  const int columns = is ? pixels : tile.k_count;  // what the array's columns fold over
  const bool whole = plan.mapping.pass_span == spec::PassSpan::WholeArray;
  std::vector<ArrayTile> out;
  const auto add = [&](int c0, int64_t j) {
    ArrayTile a;
    const int width = std::min(plan.cols, columns - c0);
    a.k0 = is ? tile.k0 : tile.k0 + c0;
    a.k_count = is ? tile.k_count : width;
    a.pix0 = is ? c0 : 0;
    a.pix_count = is ? width : pixels;
    a.stream_len = is ? tile.k_count : pixels;
    a.j0 = j;
    a.j_count = std::min(j_step, J - j);
    a.rows_used = int(ceil_div(a.j_count, plan.lanes));
    a.cols_used = width;
    a.span_rows = whole ? plan.rows : a.rows_used;
    a.span_cols = whole ? plan.cols : a.cols_used;
    a.first_partial = j == 0;
    a.last_partial = j + j_step >= J;
    out.push_back(a);
  };
  if (spec::pass_order_of(plan.mapping) == spec::PassOrder::ColsOuter) {
    for (int c = 0; c < columns; c += plan.cols)
      for (int64_t j = 0; j < J; j += j_step) add(c, j);
  } else {
    for (int64_t j = 0; j < J; j += j_step)
      for (int c = 0; c < columns; c += plan.cols) add(c, j);
  }
  return out;
}

int64_t input_reads(const LayerPlan& plan, const GlbTile& tile, const ArrayTile& a) {
  return valid_input_reads(plan.shape, tile.p0, a.j0, a.j_count, a.pix0, a.pix_count);
}

// The actions of an operand in its role.
struct RoleActions {
  Action glb_read, spad_write, spad_read, hop;
};
constexpr RoleActions kWeights{Action::GlbReadWeight, Action::SpadWriteWeight, Action::SpadReadWeight, Action::NocHopWeight};
constexpr RoleActions kInputs{Action::GlbReadInput, Action::SpadWriteInput, Action::SpadReadInput, Action::NocHopInput};

void count(const LayerPlan& plan, const ArrayTile& a, int64_t reads, Tally& t) {
  const bool is = inputs_preloaded(plan.mapping.dataflow);
  const RoleActions& preloaded = is ? kInputs : kWeights;
  const RoleActions& streamed = is ? kWeights : kInputs;
  const int64_t L = plan.lanes, ru = a.rows_used, cu = a.cols_used, jc = a.j_count;
  const int64_t n = a.stream_len;
  const int64_t last_lanes = jc - (ru - 1) * L;  // the deepest row may hold fewer lanes
  // Preload: cu·jc words into the PEs (input padding zeros too: generated, never read); row
  // r's words travel r+1 links down the column.
  t.add(preloaded.glb_read, is ? reads : cu * jc);
  t.add(preloaded.spad_write, cu * jc);
  t.add(preloaded.hop, cu * (L * (ru - 1) * ru / 2 + last_lanes * ru));
  // Stream: every vector (input padding zeros included) crosses all used columns; every
  // vector's partial sums cross all used rows.
  t.add(streamed.glb_read, is ? n * jc : reads);
  t.add(streamed.hop, n * jc * cu);
  t.add(Action::NocHopPsum, n * cu * ru);
  const int64_t macs = n * cu * jc;
  t.add(preloaded.spad_read, macs);
  t.add(Action::PeOp, macs);
  if (!a.first_partial) t.add(Action::GlbReadPsum, n * cu);
  t.add(a.last_partial ? Action::GlbWriteOutput : Action::GlbWritePsum, n * cu);
}

struct Rates {
  double bp1, sp1;  // first (deepest) preload row, which may hold fewer lanes: booking, serialization
  double bp, sp;    // a full preload row
  double bs, ss;    // streamed vector (average booked bits): booking, serialization
  double bc, so;    // psum vector: collector booking, south-link serialization
  double overlap;   // port cycles per vector while the streamer and the collector both book
};

// Preload: ru rows through booking → north link → array, one per cycle, then one cycle per
// zero row when the pass spans the whole array. Stream: n vectors through booking → west link
// → array, each leaving span_rows + span_cols − 2 steps later as a psum vector through the
// south link into the collector's booking. A chain of servers with fixed service times
// finishes its last item after the first item's latency plus (n−1) times the slowest period.
PassPhases phases(const Rates& r, const ArrayTile& a, int depth, Slow s) {
  const double ru = a.rows_used, n = double(a.stream_len);
  const double lat = a.span_rows + a.span_cols - 2;
  const double bpp = period(r.bp, s.glb);
  const double pp = std::max(bpp, period(r.sp, s.noc));
  PassPhases x;
  x.lead = r.bp1 + r.sp1;
  const double preload_done = x.lead + 1 + (ru - 1) * pp + (a.span_rows - a.rows_used);
  // The streamer turns to the streamed operand after booking the last preload row, later if
  // the north link is full and that row waits for a slot.
  double stream_from = ru * bpp;
  if (ru - 1 - depth >= 0) stream_from = std::max(stream_from, x.lead + (ru - 1 - depth) * pp);
  const double first = std::max(preload_done, stream_from + r.bs + r.ss);
  const double p1 = std::max({period(r.bs, s.glb), period(r.ss, s.noc), period(r.so, s.noc), period(r.bc, s.glb)});
  // Vectors the streamer still books once the collector has started booking too.
  const double overlapped = std::max(0.0, n - (lat + 1 + r.so) / p1);
  const double p_both = s.glb ? std::max(p1, r.overlap) : p1;
  const double elapsed = first + lat + 1 + r.so + r.bc + (n - 1) * p1 + overlapped * (p_both - p1);
  x.tail = r.so + r.bc;
  x.occupancy = elapsed - x.lead - x.tail;
  // The preload comes first: up to `depth` of its rows can wait in the north link's FIFO.
  x.run_ahead = lat;
  x.prefetched = std::min<double>(depth, ru) * std::max(0.0, pp - 1);
  return x;
}

PassTiming timing(const Machine& m, const ArrayTile& a, int64_t reads) {
  const bool is = inputs_preloaded(m.dataflow);
  const int pre_bits = is ? m.bits.input : m.bits.weight, stream_bits = is ? m.bits.weight : m.bits.input;
  const int64_t B = m.glb_bits_per_cycle, cu = a.cols_used, jc = a.j_count;
  const int64_t row = cu * std::min<int64_t>(m.lanes, jc) * pre_bits;
  const int64_t deepest = cu * (jc - (a.rows_used - 1) * m.lanes) * pre_bits;
  // The streamer books only the words it reads: every weight, the inputs outside the padding
  // (on average over the pass: padding makes them vary from vector to vector).
  const double preload_read = is ? double(reads) / double(cu * jc) : 1.0;
  const double stream_booked = is ? double(jc * stream_bits) : double(reads) * stream_bits / double(a.stream_len);
  const int64_t psum_bits = cu * m.bits.psum;
  const double c_bits = double(psum_bits) * (a.first_partial ? 1 : 2);
  Rates r;
  r.bp = booking(double(row) * preload_read, B);
  r.sp = serialize(row, m.north_link_bits);
  r.bp1 = booking(double(deepest) * preload_read, B);
  r.sp1 = serialize(deepest, m.north_link_bits);
  r.bs = booking(stream_booked, B);
  r.ss = serialize(jc * stream_bits, m.west_link_bits);
  r.bc = booking(c_bits, B);
  r.so = serialize(psum_bits, m.south_link_bits);
  // Two bookers on one port: in bits the port needs (x + c)/B cycles per vector, but a
  // booking that starts mid-cycle behind the other's ends one cycle later than it would
  // alone; about every other vector does (docs/dataflow.md, "Bandwidth-bound estimates").
  const double both = (stream_booked + c_bits) / double(B);
  r.overlap = both > 1 ? (both + std::ceil(both)) / 2 : both;
  PassTiming t;
  t.busy = a.stream_len;
  for (int v = 0; v < kVariants; ++v) t.phases[v] = phases(r, a, m.fifo_depth, slow_of(Variant(v)));
  return t;
}

}  // namespace

PassModel preloaded_operand_model() { return {passes, input_reads, count, timing}; }

}  // namespace enos::dataflow
