#pragma once
// How full the PE array is while a MAC layer runs, counted from the layer's schedule (the
// tiles the SystemC model walks), so reports can say what "utilization" means:
//   PE utilization   = PE-cycles in which a PE issues an operation / (cycles × PEs)
//   lane occupancy   = MACs / (those busy PE-cycles × lanes): how full a packed operation is
//   MACs per PE-cycle = MACs / (cycles × PEs) = PE utilization × lane occupancy × lanes
// A w2a2 layer on 16-lane PEs can keep every PE busy (100 %) with half its lanes filled
// (50 %): 8 MACs per PE-cycle. Dividing MACs by cycles × PEs × lanes alone would call it 50 %
// and hide which of the two is the problem.
#include <cstdint>

#include "dataflow/schedule.hpp"

namespace enos::replay {

struct ArrayOccupancy {
  int64_t busy_pe_cycles = 0;  // Σ over array passes of rows used × cols used × stream length
  int64_t glb_tiles = 0;       // global-buffer tiles of the schedule
  int64_t array_passes = 0;    // array passes over all tiles
  int lanes = 1;
};

ArrayOccupancy array_occupancy(const dataflow::LayerPlan& plan);

// The three figures above; zero when there is nothing to divide by.
struct Utilization {
  double macs_per_pe_cycle = 0, pe_busy_frac = 0, lane_occupancy_frac = 0;
};
// lane_slots = Σ busy PE-cycles × lanes (over layers of different lanes, summed per layer).
Utilization utilization(int64_t macs, double cycles, int64_t pes, int64_t busy_pe_cycles, double lane_slots);

}  // namespace enos::replay
