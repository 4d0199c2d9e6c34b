#include "dataflow/timing.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "dataflow/limits.hpp"
#include "spec/limits.hpp"

namespace enos::dataflow {
namespace {

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

// One variant of a tile: the streamer runs ahead of the array, so a pass's lead hides behind
// the previous pass and its tail behind the next; an output-stationary drain moves the
// finished outputs while the next pass computes and holds the array only when it is longer.
double tile_elapsed(const std::vector<PassTiming>& passes, Variant v) {
  double t = passes.front().phases[v].lead, drain_left = 0, run_ahead = 0;
  for (const PassTiming& p : passes) {
    const PassPhases& x = p.phases[v];
    const double occupancy = x.occupancy - std::min(x.prefetched, run_ahead);
    t += std::max(0.0, drain_left - occupancy) + occupancy;
    drain_left = x.drain;
    run_ahead = x.run_ahead;
  }
  return t + drain_left + passes.back().phases[v].tail;
}

}  // namespace

double booking(double bits, int64_t per_cycle) {
  return std::max(1.0, std::ceil(bits / double(per_cycle)));
}

double serialize(int64_t bits, int64_t width) {
  return std::max(1.0, std::ceil(double(bits) / double(width)));
}

PassCycles tile_cycles(const std::vector<PassTiming>& passes) {
  if (passes.empty()) return {};
  int64_t busy = 0;
  for (const PassTiming& p : passes) busy += p.busy;
  return split(tile_elapsed(passes, kReal), tile_elapsed(passes, kIdeal), tile_elapsed(passes, kPortsOnly),
               tile_elapsed(passes, kLinksOnly), busy);
}

Machine machine_of(const LayerPlan& plan, const spec::ArchSpec& arch) {
  Machine m;
  m.glb_bits_per_cycle = arch.glb.bits_per_cycle();
  m.multicast = plan.topology == spec::NocTopology::MulticastBus;
  const int64_t link = arch.noc.link_width_bits;
  m.west_link_bits = m.multicast ? link : plan.rows * link;
  m.north_link_bits = m.multicast ? link : plan.cols * link;
  m.south_link_bits = plan.cols * link;
  m.fifo_depth = arch.noc.fifo_depth;
  m.dataflow = plan.mapping.dataflow;
  m.lanes = plan.lanes;
  m.bits = word_bits(plan.candidate);
  return m;
}

int64_t dram_transfer_cycles(const spec::DramSpec& dram, int64_t bits) {
  // The DMA engine calls this too, so the two round alike. A tiny bytes_per_cycle makes the
  // quotient too large for an int64 (the cast would wrap): checked against the layer limit.
  const double bytes = double(bits) / 8.0;
  if (const auto cycles = spec::cycles_within(bytes / dram.bytes_per_cycle)) return *cycles;
  char text[160];
  std::snprintf(text, sizeof text, "a DRAM transfer of %.0f bytes at %g bytes per cycle takes %.3g cycles", bytes,
                dram.bytes_per_cycle, bytes / dram.bytes_per_cycle);
  throw CycleLimitError(std::string(text) + ", more than 2^40, the limit of one layer (arch.dram.bytes_per_cycle)");
}

int64_t dram_cycles(const spec::DramSpec& dram, int64_t bits) {
  return dram.latency_cycles + dram_transfer_cycles(dram, bits);
}

int64_t dram_stall_cycles(const std::vector<TileSteps>& tiles, bool double_buffer, int latency) {
  int64_t channel_free = 0;  // when the DRAM channel has moved everything issued so far
  int64_t done = 0;          // when everything issued so far has completed
  // Each term is at most spec::kMaxLayerCycles (dram_transfer_cycles), and every sum is
  // checked against it as it grows, so nothing here can overflow.
  const auto issue = [&](int64_t now, int64_t cycles) {
    if (cycles < 0) return;
    channel_free = std::max(now, channel_free) + cycles;
    done = std::max(done, channel_free + latency);
    if (done > spec::kMaxLayerCycles)
      throw CycleLimitError("with its DRAM transfers the layer takes more than 2^40 cycles, the limit of one "
                            "layer (arch.dram.bytes_per_cycle, and arch.dram.latency_cycles per transfer)");
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
    // Single-buffered: the store (when there is one) completes before the next load.
    stall += std::max<int64_t>(0, done - now);
    now = std::max(now, done);
    if (more) ready = load(now, tiles[n + 1]);
  }
  return stall + std::max<int64_t>(0, done - now);
}

}  // namespace enos::dataflow
