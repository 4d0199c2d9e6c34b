#pragma once
// `enos explore merge DIR... --out DIR`: the point records of one sweep's shard folders joined
// into one folder, with the results written exactly as a single run writes them.
#include <cstdint>
#include <string>
#include <vector>

namespace enos::explore {

struct MergedShards {
  int64_t points = 0;
  std::string sweep_name;
};

// SpecError when the folders hold other sweeps (or enos versions), when a point is in none of
// them, or when one point differs between two of them.
MergedShards merge_shards(const std::vector<std::string>& dirs, const std::string& out);

}  // namespace enos::explore
