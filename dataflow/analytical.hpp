#pragma once
// The analytical model (docs/dataflow.md): the same named action counts and the same cycle
// categories as the SystemC model, for the same LayerPlan, in closed form per tile. It walks
// the schedule's tiles (glb_tiles, array_tiles) but never a cycle, pixel or reduction element.
// On stall-free configurations counts agree exactly and cycles to the cycle; where a global
// buffer port or an edge link is narrower than what one array step moves, cycles are a
// bandwidth-bound estimate.
#include <cstdint>

#include <nlohmann/json.hpp>

#include "dataflow/schedule.hpp"
#include "spec/actions.hpp"
#include "spec/arch.hpp"

namespace enos::dataflow {

// Where the cycles of a layer go: the categories of the SystemC model's CycleBreakdown.
struct CycleEstimate {
  int64_t busy = 0;        // array steps of the ideal stream (one operand vector per cycle)
  int64_t fill_drain = 0;  // preload, skew fill/drain, output drain, link and port start-up
  int64_t stall_dram = 0;  // array idle waiting for DRAM transfers
  int64_t stall_glb_ports = 0;
  int64_t stall_noc = 0;

  int64_t total() const { return busy + fill_drain + stall_dram + stall_glb_ports + stall_noc; }
  CycleEstimate& operator+=(const CycleEstimate& o);
  // The same layout as sim::CycleBreakdown::to_json.
  nlohmann::json to_json() const;
};

struct AnalyticalResult {
  spec::ActionCounts actions;
  CycleEstimate cycles;
  int64_t macs = 0;
};

// `arch` supplies the buffer, DRAM and NoC parameters; the array size, lanes and topology
// come from the plan (make_plan copies them from the same arch).
AnalyticalResult analyze(const LayerPlan& plan, const spec::ArchSpec& arch);

}  // namespace enos::dataflow
