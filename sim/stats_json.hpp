#pragma once
// Views of action counts for the stats tree: per level and tensor, reads and writes in words
// and bytes (`glb.read.weight` → levels.glb.weight.reads).
#include <nlohmann/json.hpp>

#include "spec/actions.hpp"

namespace enos::sim {

nlohmann::json levels_view(const spec::ActionCounts& actions);

}  // namespace enos::sim
