#include "sim/cycles.hpp"

namespace enos::sim {

void add_stall(CycleBreakdown& cycles, StallCause cause, int64_t n) {
  switch (cause) {
    case StallCause::Dram: cycles.stall_dram += n; break;
    case StallCause::GlbPorts: cycles.stall_glb_ports += n; break;
    case StallCause::Noc: cycles.stall_noc += n; break;
    case StallCause::FillDrain: cycles.fill_drain += n; break;
  }
}

}  // namespace enos::sim
