// Shards joined: the same writer as a single run, fed the same records in index order.
#include "explore/merge.hpp"

#include "explore/results.hpp"
#include "spec/json_reader.hpp"

namespace enos::explore {
namespace {

std::string id_of(const nlohmann::json& manifest, int64_t index) {
  Sweep shape;  // point_id only needs the point count
  shape.points = manifest["points"].get<int64_t>();
  return point_id(shape, index);
}

// The point from whichever folder has it; the same point in two folders must agree.
std::optional<nlohmann::json> find_point(const std::vector<std::string>& dirs, const std::string& id,
                                         const std::string& hash) {
  std::optional<nlohmann::json> found;
  for (const std::string& d : dirs) {
    std::optional<nlohmann::json> p = read_point(d, id, hash);
    if (!p) continue;
    if (found && *found != *p)
      throw spec::SpecError(point_path(d, id), "(point)", "differs from the same point in another folder");
    found = std::move(p);
  }
  return found;
}

}  // namespace

MergedShards merge_shards(const std::vector<std::string>& dirs, const std::string& out) {
  if (dirs.empty()) throw spec::SpecError("(options)", "merge", "give the shard folders to merge");
  const nlohmann::json manifest = read_manifest(dirs.front());
  for (const std::string& d : dirs) {
    const nlohmann::json m = read_manifest(d);
    if (m["sweep_hash"] != manifest["sweep_hash"] || m["tool_version"] != manifest["tool_version"])
      throw spec::SpecError(d + "/sweep.json", "sweep_hash",
                            "another sweep or enos version than " + dirs.front() + " (hash " +
                                m["sweep_hash"].get<std::string>() + " vs " + manifest["sweep_hash"].get<std::string>() + ")");
  }
  const int64_t n = manifest["points"].get<int64_t>();
  const std::string hash = manifest["sweep_hash"].get<std::string>();
  std::vector<nlohmann::json> points;
  int64_t missing = 0;
  std::string first_missing;
  for (int64_t i = 0; i < n; ++i) {
    std::optional<nlohmann::json> p = find_point(dirs, id_of(manifest, i), hash);
    if (p) points.push_back(std::move(*p));
    else if (missing++ == 0) first_missing = id_of(manifest, i);
  }
  if (missing)
    throw spec::SpecError("(merge)", "points", std::to_string(missing) + " of " + std::to_string(n) +
                                                   " points are in none of the folders (first: " + first_missing +
                                                   "); finish those shards first");
  prepare_output(out, manifest);
  for (const nlohmann::json& p : points) write_point(out, p["id"].get<std::string>(), p);
  write_results(out, manifest, points, "");
  return {n, manifest["name"].get<std::string>()};
}

}  // namespace enos::explore
