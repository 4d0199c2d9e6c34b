#pragma once
// Which tile the array, streamer and collector are working on, and where its data sits.
#include "dataflow/schedule.hpp"

namespace enos::sim {

struct TileContext {
  const dataflow::LayerPlan* plan = nullptr;
  const dataflow::GlbTile* glb = nullptr;
  const dataflow::ArrayTile* array = nullptr;
  int weight_slot = 0, input_slot = 0, psum_slot = 0;

  bool weight_stationary() const { return plan->mapping.dataflow == spec::Dataflow::WeightStationary; }
  // Reduction elements row r holds (WS) or step j carries (OS): lanes, except at the end.
  int active_lanes(int64_t chunk) const {
    const int64_t left = array->j_count - chunk * plan->lanes;
    return int(left < plan->lanes ? left : plan->lanes);
  }
};

}  // namespace enos::sim
