#include "replay/report_occupancy.hpp"

namespace enos::replay {

ArrayOccupancy array_occupancy(const dataflow::LayerPlan& plan) {
  ArrayOccupancy o;
  o.lanes = plan.lanes;
  for (const dataflow::GlbTile& t : dataflow::glb_tiles(plan)) {
    ++o.glb_tiles;
    // Weight-stationary: each used PE works on every streamed pixel; output-stationary: on
    // every reduction step. Either way, rows used × cols used × stream length (pe_array.cpp).
    for (const dataflow::ArrayTile& a : dataflow::array_tiles(plan, t)) {
      ++o.array_passes;
      o.busy_pe_cycles += int64_t(a.rows_used) * a.cols_used * a.stream_len;
    }
  }
  return o;
}

Utilization utilization(int64_t macs, double cycles, int64_t pes, int64_t busy_pe_cycles, double lane_slots) {
  Utilization u;
  const double pe_cycles = cycles * double(pes);
  if (pe_cycles > 0) {
    u.macs_per_pe_cycle = double(macs) / pe_cycles;
    u.pe_busy_frac = double(busy_pe_cycles) / pe_cycles;
  }
  if (lane_slots > 0) u.lane_occupancy_frac = double(macs) / lane_slots;
  return u;
}

}  // namespace enos::replay
