#pragma once
// One point of `enos explore`: validate its architecture, characterize what its workloads
// need through the LUT cache (missing entries in forked workers, as `enos characterize`
// does), and sum the entries into energy, latency, EDP, utilization and area per workload and
// operator. The result is the point's record (docs/explore.md), written to DIR/points/.
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "characterize/lut_cache.hpp"
#include "energy/area.hpp"
#include "energy/table.hpp"
#include "explore/sweep.hpp"

namespace enos::explore {

struct ExploreContext {
  const Sweep& sweep;
  characterize::LutCache& cache;
  energy::AreaTable area_table;
  int jobs = 1;
  uint64_t seed = 1;
  std::map<std::string, energy::EnergyTable> tables;  // by file: loaded once per sweep
};

// Never throws for a point the user's values make impossible (that is an invalid point with
// its reason); throws for our own failures (a worker that died, a model/reference mismatch).
nlohmann::json evaluate_point(ExploreContext& ctx, const SweepPoint& point);

}  // namespace enos::explore
