#pragma once
// Which tile the array, streamer and collector are working on, and where its data sits.
#include <vector>

#include "dataflow/schedule.hpp"
#include "sim/layer_job.hpp"  // TraceEvent

namespace enos::sim {

// One array pass of a tile.
struct TileContext {
  const dataflow::LayerPlan* plan = nullptr;
  const dataflow::GlbTile* glb = nullptr;
  const dataflow::ArrayTile* array = nullptr;
  int weight_slot = 0, input_slot = 0, psum_slot = 0;

  bool output_stationary() const { return plan->mapping.dataflow == spec::Dataflow::OutputStationary; }
  // Input-stationary: inputs are preloaded through the north edge and weights stream from the
  // west; weight-stationary the other way round.
  bool inputs_preloaded() const { return plan->mapping.dataflow == spec::Dataflow::InputStationary; }
  // Reduction elements row r holds (WS, IS) or step j carries (OS): lanes, except at the end.
  int active_lanes(int64_t chunk) const {
    const int64_t left = array->j_count - chunk * plan->lanes;
    return int(left < plan->lanes ? left : plan->lanes);
  }
};

// A global-buffer tile's passes, handed to the streamer, the array and the collector at once:
// each goes on to the next pass as soon as it is done with one, so passes run back to back
// (docs/dataflow.md, "Passes back to back").
struct TileWork {
  const dataflow::LayerPlan* plan = nullptr;
  const dataflow::GlbTile* glb = nullptr;
  const std::vector<dataflow::ArrayTile>* passes = nullptr;
  int weight_slot = 0, input_slot = 0, psum_slot = 0;
  std::vector<TraceEvent>* trace = nullptr;  // the array logs each pass here when set

  std::size_t size() const { return passes->size(); }
  TileContext pass(std::size_t i) const {
    return {plan, glb, &(*passes)[i], weight_slot, input_slot, psum_slot};
  }
};

}  // namespace enos::sim
