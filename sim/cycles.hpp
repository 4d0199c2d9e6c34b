#pragma once
// The model's cycle accounting: the breakdown shared with the analytical model, and the
// causes a stalled array cycle is charged to.
#include <cstdint>

#include "dataflow/cycles.hpp"

namespace enos::sim {

using dataflow::CycleBreakdown;

enum class StallCause { Dram, GlbPorts, Noc, FillDrain };

void add_stall(CycleBreakdown& cycles, StallCause cause, int64_t n);

}  // namespace enos::sim
