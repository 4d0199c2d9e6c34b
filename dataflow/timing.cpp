#include "dataflow/timing.hpp"

#include <algorithm>
#include <cmath>

namespace enos::dataflow {
namespace {

// Cycles one booking of `bits` holds the global-buffer ports when nobody else books (the
// BandwidthResource rounds up and takes at least a cycle).
double booking(double bits, int64_t per_cycle) {
  return std::max(1.0, std::ceil(bits / double(per_cycle)));
}
// Cycles a flit of `bits` occupies a link of `width` bits: ceil, at least one.
double serialize(int64_t bits, int64_t width) {
  return std::max(1.0, std::ceil(double(bits) / double(width)));
}

// Which slow-downs a variant of the model applies. The real elapsed time applies both; the
// ideal one neither (every stream moves one flit per cycle, first-flit latencies kept); the
// two in between tell the stall cycles apart by cause.
struct Slow {
  bool glb, noc;
};
double period(double p, bool apply) { return apply ? std::max(1.0, p) : 1.0; }

struct WsRates {
  double bw1, sw1;     // first (deepest) weight row, which may hold fewer lanes
  double bw, sw;       // weight row: port booking, link serialization
  double bi, si;       // input vector (average valid words): port booking, serialization
  double bc, sp;       // psum vector: collector booking, link serialization
  double overlap;      // port cycles per pixel while streamer and collector both book
};

// Preload: ru weight rows through booking → north link → array (one per cycle). Stream: n
// input vectors through booking → west link → array, each leaving ru+cu−2 steps later as a
// psum vector through the south link into the collector's booking. A chain of servers with
// fixed service times finishes its last item after the first item's latency plus (n−1)
// times the slowest period.
double ws_elapsed(const WsRates& r, const ArrayTile& a, int depth, Slow s) {
  const double ru = a.rows_used, n = double(a.stream_len);
  const double lat = a.rows_used + a.cols_used - 2;
  const double bwp = period(r.bw, s.glb);
  const double pw = std::max(bwp, period(r.sw, s.noc));
  const double preload_done = r.bw1 + r.sw1 + 1 + (ru - 1) * pw;
  // The streamer turns to inputs after booking the last weight row, later if the weight
  // link is full and that row waits for a slot.
  double inputs_from = ru * bwp;
  if (ru - 1 - depth >= 0) inputs_from = std::max(inputs_from, r.bw1 + r.sw1 + (ru - 1 - depth) * pw);
  const double first = std::max(preload_done, inputs_from + r.bi + r.si);
  const double p1 = std::max({period(r.bi, s.glb), period(r.si, s.noc), period(r.sp, s.noc),
                              period(r.bc, s.glb)});
  // Pixels the streamer still books once the collector has started booking too.
  const double overlapped = std::max(0.0, n - (lat + 1 + r.sp) / p1);
  const double p_both = s.glb ? std::max(p1, r.overlap) : p1;
  return first + lat + 1 + r.sp + r.bc + (n - 1) * p1 + overlapped * (p_both - p1);
}

struct OsRates {
  double b;        // one booking for both operand vectors of a step (average valid words)
  double si, sw;   // input and weight vector serialization (edge links or buses)
  double si_last, sw_last;  // the same for the last step, which may carry fewer lanes
  double bc, sp;   // psum row: collector booking, link serialization
  bool multicast;
};

// Steps: operand pairs through booking → links (systolic: two edge wires; multicast: a
// source FIFO, then the input bus and the filter bus side by side) → array; systolic adds the skew
// of ru+cu−2 steps; then ru rows drain one per cycle through the south link to the collector.
double os_elapsed(const OsRates& r, const ArrayTile& a, Slow s) {
  const double steps = double(a.stream_len), ru = a.rows_used;
  // The array takes the input first: waiting for it is fill, waiting for the weight after
  // it a NoC stall (the ideal variant leaves that wait out). A bus adds the cycle its source
  // FIFO takes before the arbiter sees the flit.
  const bool one = steps == 1;
  const double si1 = one ? r.si_last : r.si, sw1 = one ? r.sw_last : r.sw;
  const double first = r.b + (r.multicast ? 1 : 0) + (s.noc ? std::max(si1, sw1) : si1);
  const double ps = std::max({period(r.b, s.glb), period(r.si, s.noc), period(r.sw, s.noc)});
  const double ps_last =
      std::max({period(r.b, s.glb), period(r.si_last, s.noc), period(r.sw_last, s.noc)});
  const double skew = r.multicast ? 0 : a.rows_used + a.cols_used - 2;
  const double steps_done = first + (one ? 0 : (steps - 2) * ps + ps_last) + 1 + skew;
  return steps_done + 1 + r.sp + r.bc + (ru - 1) * std::max(period(r.sp, s.noc), period(r.bc, s.glb));
}

// Splits elapsed − ideal between the two causes in proportion to what each alone adds.
PassCycles split(double real, double ideal, double glb_only, double noc_only, int64_t busy) {
  PassCycles c;
  c.busy = busy;
  const int64_t total = std::llround(real), base = std::llround(ideal);
  c.fill_drain = base - busy;
  const int64_t excess = std::max<int64_t>(0, total - base);
  const double g = std::max(0.0, glb_only - ideal), q = std::max(0.0, noc_only - ideal);
  c.stall_glb_ports = g + q > 0 ? std::llround(double(excess) * g / (g + q)) : 0;
  c.stall_noc = excess - c.stall_glb_ports;
  return c;
}

PassCycles ws_cycles(const Machine& m, const ArrayTile& a, int64_t reads) {
  const int64_t B = m.glb_bits_per_cycle;
  const int64_t cu = a.cols_used;
  const int64_t w_bits = cu * std::min<int64_t>(m.lanes, a.j_count) * m.bits.weight;
  const double in_bits = double(reads) * m.bits.input / double(a.stream_len);
  const int64_t psum_bits = cu * m.bits.psum;
  const double c_bits = double(psum_bits) * (a.first_partial ? 1 : 2);
  WsRates r;
  r.bw = booking(double(w_bits), B);
  r.sw = serialize(w_bits, m.weight_link_bits);
  const int64_t deepest = cu * (a.j_count - (a.rows_used - 1) * m.lanes) * m.bits.weight;
  r.bw1 = booking(double(deepest), B);
  r.sw1 = serialize(deepest, m.weight_link_bits);
  r.bi = booking(in_bits, B);
  r.si = serialize(a.j_count * m.bits.input, m.input_link_bits);
  r.bc = booking(c_bits, B);
  r.sp = serialize(psum_bits, m.psum_link_bits);
  // Two bookers on one port: in bits the port needs (x + c)/B cycles per pixel, but a
  // booking that starts mid-cycle behind the other's ends one cycle later than it would
  // alone; about every other pixel does (docs/dataflow.md, "Bandwidth-bound estimates").
  const double both = (in_bits + c_bits) / double(B);
  r.overlap = both > 1 ? (both + std::ceil(both)) / 2 : both;
  const int d = m.fifo_depth;
  return split(ws_elapsed(r, a, d, {true, true}), ws_elapsed(r, a, d, {false, false}),
               ws_elapsed(r, a, d, {true, false}), ws_elapsed(r, a, d, {false, true}),
               a.stream_len);
}

PassCycles os_cycles(const Machine& m, const ArrayTile& a, int64_t reads) {
  const int64_t B = m.glb_bits_per_cycle;
  const int64_t lanes = std::min<int64_t>(m.lanes, a.j_count);
  const double step_bits =
      (double(reads) * m.bits.input + double(a.cols_used) * a.j_count * m.bits.weight) /
      double(a.stream_len);
  const int64_t psum_bits = int64_t(a.cols_used) * m.bits.psum;
  OsRates r;
  r.b = booking(step_bits, B);  // a booker alone waits whole cycles: ceil per booking
  r.si = serialize(a.rows_used * lanes * m.bits.input, m.input_link_bits);
  r.sw = serialize(a.cols_used * lanes * m.bits.weight, m.weight_link_bits);
  const int64_t last_lanes = a.j_count - (a.stream_len - 1) * m.lanes;
  r.si_last = serialize(a.rows_used * last_lanes * m.bits.input, m.input_link_bits);
  r.sw_last = serialize(a.cols_used * last_lanes * m.bits.weight, m.weight_link_bits);
  r.bc = booking(double(psum_bits), B);
  r.sp = serialize(psum_bits, m.psum_link_bits);
  r.multicast = m.multicast;
  return split(os_elapsed(r, a, {true, true}), os_elapsed(r, a, {false, false}),
               os_elapsed(r, a, {true, false}), os_elapsed(r, a, {false, true}), a.stream_len);
}

}  // namespace

Machine machine_of(const LayerPlan& plan, const spec::ArchSpec& arch) {
  Machine m;
  m.glb_bits_per_cycle = arch.glb.bits_per_cycle();
  m.multicast = plan.topology == spec::NocTopology::MulticastBus;
  const int64_t link = arch.noc.link_width_bits;
  m.input_link_bits = m.multicast ? link : plan.rows * link;
  m.weight_link_bits = m.multicast ? link : plan.cols * link;
  m.psum_link_bits = plan.cols * link;
  m.fifo_depth = arch.noc.fifo_depth;
  m.weight_stationary = plan.mapping.dataflow == spec::Dataflow::WeightStationary;
  m.lanes = plan.lanes;
  m.bits = word_bits(plan.candidate);
  return m;
}

PassCycles pass_cycles(const Machine& m, const ArrayTile& pass, int64_t input_reads) {
  return m.weight_stationary ? ws_cycles(m, pass, input_reads) : os_cycles(m, pass, input_reads);
}

int64_t dram_transfer_cycles(const spec::DramSpec& dram, int64_t bits) {
  // The same arithmetic as the DMA engine, so the two round alike.
  const double bytes = double(bits) / 8.0;
  return int64_t(std::ceil(bytes / dram.bytes_per_cycle));
}

int64_t dram_cycles(const spec::DramSpec& dram, int64_t bits) {
  return dram.latency_cycles + dram_transfer_cycles(dram, bits);
}

int64_t dram_stall_cycles(const std::vector<TileSteps>& tiles, bool double_buffer, int latency) {
  int64_t channel_free = 0;  // when the DRAM channel has moved everything issued so far
  int64_t done = 0;          // when everything issued so far has completed
  const auto issue = [&](int64_t now, int64_t cycles) {
    if (cycles < 0) return;
    channel_free = std::max(now, channel_free) + cycles;
    done = std::max(done, channel_free + latency);
  };
  // Issues a tile's loads; the tile may compute once everything issued so far is done
  // (transfers complete in order, so this also covers a store still draining its slot).
  const auto load = [&](int64_t now, const TileSteps& t) {
    issue(now, t.load_weights);
    issue(now, t.load_inputs);
    return done;
  };
  if (tiles.empty()) return 0;
  int64_t now = 0, stall = 0;
  int64_t ready = load(0, tiles[0]);
  for (std::size_t n = 0; n < tiles.size(); ++n) {
    const bool more = n + 1 < tiles.size();
    const int64_t next_ready = double_buffer && more ? load(now, tiles[n + 1]) : 0;
    const int64_t start = std::max(now, ready);
    stall += start - now;
    now = start + tiles[n].compute;
    issue(now, tiles[n].store);
    if (double_buffer) {
      ready = next_ready;
      continue;
    }
    stall += done - now;  // single-buffered: the store completes before the next load
    now = done;
    if (more) ready = load(now, tiles[n + 1]);
  }
  return stall + std::max<int64_t>(0, done - now);
}

}  // namespace enos::dataflow
