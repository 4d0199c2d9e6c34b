#pragma once
// The PE array: one clocked SystemC process advances the whole array one step per cycle over
// plain arrays (no process per PE), pass after pass of a tile without a gap.
//   Weight- and input-stationary: PE(r,c) holds `lanes` preloaded operands (weights, or
//   inputs) and works on stream item t−r−c at step t (the streamed operand skewed by row,
//   partial sums flowing down the columns); an item's partial sums leave the south edge
//   span_rows + span_cols − 2 steps after it entered.
//   Output-stationary: PE(r,c) owns one output and performs reduction step t−r−c (systolic)
//   or t (multicast bus, no skew); finished outputs move to an output register per PE and
//   leave one array row per cycle through the south edge while the next pass computes.
// The values are computed when a flit enters the array, all its PEs at once: accumulators are
// modulo 2^32, so the order of a PE's additions does not change a bit, and the skew decides
// when results leave, not what they are (array_math.hpp).
// A missing operand or a full output link freezes the whole array for the cycle, and the
// stall is charged to the cause upstream.
#include <deque>
#include <functional>
#include <optional>
#include <vector>

#include <systemc>

#include "noc/link.hpp"
#include "sim/cycles.hpp"
#include "sim/flit.hpp"
#include "sim/handoff.hpp"
#include "sim/tally.hpp"
#include "sim/tile_context.hpp"
#include "spec/actions.hpp"

namespace enos::sim {

// Tells the array why an operand has not arrived or the output link is full.
using StallOracle = std::function<StallCause()>;

struct ArrayPorts {
  noc::Link<DataFlit>* west = nullptr;   // the streamed operand: west edge (systolic) or the ifmap bus
  noc::Link<DataFlit>* north = nullptr;  // the preloaded operand, OS weights: north edge or the filter bus
  noc::Link<PsumFlit>* south = nullptr;  // south edge to the collector
  StallOracle operand_stall;             // cause when an operand is missing
  StallOracle output_stall;              // cause when the psum link is full
};

class PeArray : public sc_core::sc_module {
 public:
  PeArray(sc_core::sc_module_name name, int rows, int cols, int max_lanes, bool multicast, bool zero_gating,
          sc_core::sc_time cycle, ArrayPorts ports);

  void start(const TileWork& work);
  const sc_core::sc_event& done_event() const { return done_event_; }
  bool busy() const { return busy_; }
  CycleBreakdown& cycles() { return cycles_; }
  spec::ActionCounts& actions() { return actions_; }
  int64_t macs() const { return macs_; }
  void reset_counters();

 private:
  void run();
  void run_preloaded();  // weight- and input-stationary
  void run_output_stationary();
  void preload();
  // The partial sums of one streamed item down every used column, into `out`.
  template <pe::OpKind K> void reduce_item(const DataFlit& streamed, pe::Psum* out);
  void dispatch_reduce_item(const DataFlit& streamed, pe::Psum* out);
  // One output-stationary step's multiply-accumulates over the whole array.
  void dispatch_os_step(const DataFlit& inputs, const DataFlit& weights, int lanes);
  void log_pass(int64_t start_cycle) const;

  // Pops the next operand flit, stalling (whole cycles) until it is there.
  DataFlit take(noc::Link<DataFlit>& link);
  void deliver(PsumFlit&& flit);  // pushes, stalling while the link is full
  void tick(bool busy_cycle);     // one advancing cycle: busy or fill/drain
  // Waits one cycle; meanwhile the output registers move one row out if the link takes it.
  void next_cycle();
  bool push_output_row();
  // A cycle spent only waiting for the output registers to empty.
  void output_register_cycle();

  int rows_, cols_, max_lanes_;
  bool multicast_;
  sc_core::sc_time cycle_;
  ArrayPorts ports_;
  TileWork work_;
  TileContext tile_;
  bool first_flit_ = true;  // start-up latency of a tile counts as fill, not as a stall
  std::optional<pe::WeightDecoder> decode_;  // the layer's, made once per tile

  // WS, IS: the preloaded operands, decoded, [col][reduction element of the pass]; each
  // column's are contiguous, as one column's PEs see them top to bottom.
  std::vector<int32_t> held_;
  int64_t held_stride_ = 0;
  std::vector<pe::Psum> results_;       // WS, IS: [item ring][col], until they leave
  int64_t ring_ = 1;
  std::vector<uint32_t> acc_main_, acc_aux_;  // OS: [row][col] accumulators
  std::deque<PsumFlit> output_rows_;    // OS: finished rows waiting to leave the array

  Handoff<TileWork> inbox_;
  sc_core::sc_event done_event_;
  bool busy_ = false;
  CycleBreakdown cycles_;
  spec::ActionCounts actions_;
  Tally tally_;
  int hop_input_, hop_weight_, hop_psum_;  // word-hops
  int spad_write_weight_, spad_read_weight_, spad_write_input_, spad_read_input_;
  int spad_read_psum_, spad_write_psum_;
  int64_t macs_ = 0;
  // Zero gating: lane operations of this pass whose activation was zero (skipped).
  bool zero_gating_ = false;
  int64_t gated_ = 0, skipped_psum_ = 0;
  void count_streamed_zeros(const DataFlit& streamed);
  int64_t held_input_zeros() const;
  void count_os_zeros(const DataFlit& in, int lanes);
  void add_op_counts(const pe::Candidate& cand, int64_t pass_macs);
};

}  // namespace enos::sim
