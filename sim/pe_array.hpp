#pragma once
// The PE array: one clocked SystemC process advances the whole array one step per cycle over
// plain arrays (no process per PE). Weight-stationary: PE(r,c) holds `lanes` weights and
// works on output pixel t−r−c at step t (inputs skewed by row, partial sums flowing down).
// Output-stationary: PE(r,c) owns one output and performs reduction step t−r−c (systolic)
// or t (multicast bus, no skew). A missing operand or a full output link freezes the whole
// array for the cycle, and the stall is charged to the cause upstream.
#include <functional>
#include <vector>

#include <systemc>

#include "noc/link.hpp"
#include "sim/cycles.hpp"
#include "sim/flit.hpp"
#include "sim/tally.hpp"
#include "sim/tile_context.hpp"
#include "spec/actions.hpp"

namespace enos::sim {

// Tells the array why an operand has not arrived or the output link is full.
using StallOracle = std::function<StallCause()>;

struct ArrayPorts {
  noc::Link<DataFlit>* inputs = nullptr;   // west edge (systolic) or bus port 0
  noc::Link<DataFlit>* weights = nullptr;  // north edge (systolic) or bus port 1
  noc::Link<PsumFlit>* psums = nullptr;    // south edge to the collector
  StallOracle operand_stall;               // cause when an operand is missing
  StallOracle output_stall;                // cause when the psum link is full
};

class PeArray : public sc_core::sc_module {
 public:
  PeArray(sc_core::sc_module_name name, int rows, int cols, int max_lanes, bool multicast,
          sc_core::sc_time cycle, ArrayPorts ports);

  void start(const TileContext& tile);
  const sc_core::sc_event& done_event() const { return done_event_; }
  bool busy() const { return busy_; }
  CycleBreakdown& cycles() { return cycles_; }
  spec::ActionCounts& actions() { return actions_; }
  int64_t macs() const { return macs_; }
  void reset_counters();

 private:
  void run();
  void run_weight_stationary();
  void run_output_stationary();
  void preload_weights();
  template <pe::OpKind K> void ws_step(int64_t t);
  template <pe::OpKind K> void os_step(int64_t t);
  void dispatch_ws_step(int64_t t);
  void dispatch_os_step(int64_t t);

  // Pops the next operand flit, stalling (whole cycles) until it is there.
  DataFlit take(noc::Link<DataFlit>& link);
  void deliver(PsumFlit&& flit);  // pushes, stalling while the link is full
  void tick(bool busy_cycle);     // one advancing cycle: busy or fill/drain

  int rows_, cols_, max_lanes_;
  bool multicast_;
  sc_core::sc_time cycle_;
  ArrayPorts ports_;
  TileContext tile_;
  bool first_flit_ = true;  // start-up latency of a tile counts as fill, not as a stall

  std::vector<int32_t> weights_;        // decoded, [row][col][lane] (WS) or per step ring (OS)
  std::vector<DataFlit> input_ring_, weight_ring_;
  std::vector<pe::Psum> acc_;           // WS: [pixel ring][col]; OS: [row][col]
  int64_t ring_ = 1;

  sc_core::sc_event start_event_, done_event_;
  bool work_pending_ = false;
  bool busy_ = false;
  CycleBreakdown cycles_;
  spec::ActionCounts actions_;
  Tally tally_;
  int hop_input_, hop_weight_, hop_psum_;  // word-hops
  int spad_write_weight_, spad_read_weight_, spad_read_psum_, spad_write_psum_;
  int64_t macs_ = 0;
};

}  // namespace enos::sim
