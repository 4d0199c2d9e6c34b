#pragma once
// The analytical model (docs/dataflow.md): the same named action counts and the same cycle
// categories as the SystemC model, for the same LayerPlan, in closed form per tile. It walks
// the schedule's tiles (glb_tiles, array_tiles) but never a cycle, pixel or reduction element.
// On stall-free configurations counts agree exactly and cycles to the cycle; where a global
// buffer port or an edge link is narrower than what one array step moves, cycles are a
// bandwidth-bound estimate.
#include <cstdint>

#include <nlohmann/json.hpp>

#include "dataflow/cycles.hpp"
#include "dataflow/schedule.hpp"
#include "spec/actions.hpp"
#include "spec/arch.hpp"

namespace enos::dataflow {

struct AnalyticalResult {
  spec::ActionCounts actions;
  CycleBreakdown cycles;
  int64_t macs = 0;
};

// `arch` supplies the buffer, DRAM and NoC parameters; the array size, lanes and topology
// come from the plan (make_plan copies them from the same arch).
AnalyticalResult analyze(const LayerPlan& plan, const spec::ArchSpec& arch);

}  // namespace enos::dataflow
