#pragma once
// Closed-form cycles of the pieces of a schedule (docs/dataflow.md, "Timing"): one array pass
// through streamer → edge links → PE array → psum link → collector, and the controller's
// walk over global-buffer tiles with its DRAM transfers.
#include <cstdint>
#include <vector>

#include "dataflow/schedule.hpp"
#include "spec/arch.hpp"

namespace enos::dataflow {

// What the timing of a pass depends on besides its own sizes.
struct Machine {
  int64_t glb_bits_per_cycle = 64;  // all banks together
  // Bits per cycle into the array's west edge (inputs), north edge (weights) and out of its
  // south edge (psums): one NoC link per row or column of a systolic edge, one link-wide bus
  // for each operand on a multicast network.
  int64_t input_link_bits = 64, weight_link_bits = 64, psum_link_bits = 64;
  int fifo_depth = 4;               // flits each link buffers
  bool multicast = false;
  bool weight_stationary = true;
  int lanes = 1;
  WordBits bits{8, 8, 32, 8};
};
Machine machine_of(const LayerPlan& plan, const spec::ArchSpec& arch);

struct PassCycles {
  int64_t busy = 0, fill_drain = 0, stall_glb_ports = 0, stall_noc = 0;
  int64_t total() const { return busy + fill_drain + stall_glb_ports + stall_noc; }
};

// From the start of a pass to the collector storing its last partial sums. `input_reads` is
// valid_input_reads of the pass (it sets the global-buffer bits the streamer books).
PassCycles pass_cycles(const Machine& m, const ArrayTile& pass, int64_t input_reads);

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
  int64_t store = 0;
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
