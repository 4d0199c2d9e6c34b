#pragma once
// Views for the stats tree: action counts per level and tensor, reads and writes in words and
// bytes (`glb.read.weight` → levels.glb.weight.reads); the buffer plan.
#include <nlohmann/json.hpp>

#include "dataflow/buffer_plan.hpp"
#include "spec/actions.hpp"
#include "spec/workload.hpp"

namespace enos::sim {

nlohmann::json levels_view(const spec::ActionCounts& actions);

// The buffer plan as the stats tree and the validation report write it (docs/stats-format.md,
// `buffer_plan`): each tensor's and each layer's weights' home, life and bytes.
nlohmann::json buffer_plan_json(const dataflow::BufferPlan& plan, const spec::Workload& w);

}  // namespace enos::sim
