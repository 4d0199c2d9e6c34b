#pragma once
// Closed-form cycles of the pieces of a schedule (docs/dataflow.md, "Timing"): the phases of
// one array pass through streamer → edge links → PE array → psum link → collector (each
// dataflow's file computes them), the passes of a global-buffer tile run back to back, and
// the controller's walk over the tiles with its DRAM transfers.
#include <array>
#include <cstdint>
#include <vector>

#include "dataflow/schedule.hpp"
#include "spec/arch.hpp"

namespace enos::dataflow {

// What the timing of a pass depends on besides its own sizes.
struct Machine {
  int64_t glb_bits_per_cycle = 64;  // all banks together
  // Bits per cycle into the array's west edge (the streamed operand: inputs, weights under
  // input-stationary), north edge (the preloaded operand of weight- and input-stationary,
  // weights under output-stationary) and out of its south edge (psums): one NoC link per row
  // or column of a systolic edge, one link-wide bus for each operand on a multicast network.
  int64_t west_link_bits = 64, north_link_bits = 64, south_link_bits = 64;
  int fifo_depth = 4;  // flits each link buffers
  bool multicast = false;
  spec::Dataflow dataflow = spec::Dataflow::WeightStationary;
  int lanes = 1;
  WordBits bits{8, 8, 32, 8};
};
Machine machine_of(const LayerPlan& plan, const spec::ArchSpec& arch);

struct PassCycles {
  int64_t busy = 0, fill_drain = 0, stall_glb_ports = 0, stall_noc = 0;
  int64_t total() const { return busy + fill_drain + stall_glb_ports + stall_noc; }
};

// Which slow-downs a variant of the model applies. The real elapsed time applies both; the
// ideal one neither (every stream moves one flit per cycle, first-flit latencies kept); the
// two in between tell the stall cycles apart by cause.
struct Slow {
  bool glb, noc;
};
enum Variant { kReal, kIdeal, kPortsOnly, kLinksOnly, kVariants };
constexpr Slow slow_of(Variant v) {
  return v == kReal ? Slow{true, true} : v == kIdeal ? Slow{false, false} : v == kPortsOnly ? Slow{true, false} : Slow{false, true};
}

// One pass as passes run back to back inside a tile (docs/dataflow.md, "Passes back to back"):
//   lead       from the streamer's first booking until the array has its first operand; the
//              streamer runs ahead, so only a tile's first pass waits for it
//   occupancy  cycles the array spends on the pass: preload, stream, wavefront fill and drain
//   drain      output-stationary: cycles to move the finished outputs out through the south
//              edge, while the next pass already computes
//   tail       from the array's last flit until the collector stored it; only a tile's last
//              pass waits for it
//   run_ahead  the cycles at the end of the occupancy in which the array takes no operands
//              (the wavefront's fill and drain), which the streamer spends on the next pass
//   prefetched what the pass saves when its first flits were booked during the previous
//              pass's run_ahead: the array takes up to a FIFO's depth of them one per cycle
//              instead of one per period (nothing when every period is one cycle)
struct PassPhases {
  double lead = 0, occupancy = 0, drain = 0, tail = 0;
  double run_ahead = 0, prefetched = 0;
};
struct PassTiming {
  std::array<PassPhases, kVariants> phases;  // indexed by Variant
  int64_t busy = 0;                          // one cycle per streamed operand vector
};

// The cycles of a tile's passes run back to back (no DRAM waits: those depend on the
// neighbouring tiles): the first pass's lead, every occupancy, the drains the next pass does
// not hide and the last pass's drain and tail; the excess over the ideal variant split between
// ports and links in proportion to what each alone adds.
PassCycles tile_cycles(const std::vector<PassTiming>& passes);

// Cycles one booking of `bits` holds the global-buffer ports when nobody else books (the
// BandwidthResource rounds up and takes at least a cycle).
double booking(double bits, int64_t per_cycle);
// Cycles a flit of `bits` occupies a link of `width` bits: ceil, at least one.
double serialize(int64_t bits, int64_t width);
// A server's period in a variant: its own when the variant applies its slow-down, else one.
inline double period(double p, bool apply) { return apply ? (p > 1 ? p : 1.0) : 1.0; }

// DRAM channel cycles of one transfer: ceil(bytes / bytes_per_cycle), as the DMA engine
// computes them.
int64_t dram_transfer_cycles(const spec::DramSpec& dram, int64_t bits);
// An isolated transfer from issue to completion: channel cycles + latency.
int64_t dram_cycles(const spec::DramSpec& dram, int64_t bits);

// What the controller does for one global-buffer tile: DRAM channel cycles of its transfers
// (-1: not issued) and the cycles of all its array passes back to back.
struct TileSteps {
  int64_t load_weights = -1, load_inputs = -1;
  int64_t compute = 0;
  int64_t store = 0;  // -1: the outputs stay in the global buffer
};

// Cycles the array waits for DRAM over the whole layer, including the final store. The DMA
// engine moves one transfer at a time over the channel in issue order (a transfer starts when
// it is issued and the channel is free); each completes `latency` cycles after its last byte
// moved, and no earlier than the one before it. Double-buffered, the next tile's loads are
// issued before this tile computes and its store after; single-buffered, the store completes
// before the next tile's loads are issued. A tile computes once every transfer issued before
// its loads (and its loads) completed.
int64_t dram_stall_cycles(const std::vector<TileSteps>& tiles, bool double_buffer, int latency);

}  // namespace enos::dataflow
