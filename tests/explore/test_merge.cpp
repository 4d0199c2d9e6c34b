// Shards merged (explore/merge.cpp) write exactly what a single run writes (docs/explore.md,
// "Shards"), and a merge refuses folders that do not make one sweep.
#include <catch2/catch.hpp>

#include <random>

#include "energy/area.hpp"
#include "explore/merge.hpp"
#include "explore/results.hpp"
#include "explore/sweep.hpp"
#include "explore_test_util.hpp"
#include "spec/json_reader.hpp"

using namespace enos;
namespace fs = std::filesystem;

namespace {

struct SweepRun {
  explore::Sweep sweep;
  nlohmann::json manifest;
  std::vector<nlohmann::json> points;  // in index order
};

// A point record as explore::evaluate_point writes it, with random figures (merging reads
// records, not the simulator); every fifth point is invalid.
nlohmann::json point_record(const explore::Sweep& sweep, int64_t index, std::mt19937_64& rng) {
  const explore::SweepPoint p = explore::make_point(sweep, index);
  nlohmann::json r = {{"sweep_hash", sweep.hash}, {"index", index}, {"id", p.id}, {"params", p.params}};
  if (index % 5 == 4) {
    r["valid"] = false;
    r["reason"] = "arch.pe_array.rows: must be ≥ 1, got 0";
    return r;
  }
  const auto draw = [&](double scale) { return scale * double(1 + rng() % 1000) / 1000; };
  const nlohmann::json dataflows = {"weight_stationary"};
  r["valid"] = true;
  r["arch"] = {{"name", "unit"}, {"dataflows", dataflows}, {"hash", "h" + p.id}, {"clock_mhz", p.arch_doc["clock_mhz"]},
               {"technology_nm", 45}, {"pes", 256},
               {"energy_table", {{"name", "default_45nm"}, {"hash", "t"}, {"technology_nm", 45}}},
               {"area_mm2", draw(4)}, {"area_by_component_mm2", {{"pe_array", 1.0}}}, {"warnings", nlohmann::json::array()}};
  const double energy = draw(10), latency = draw(100);
  r["rows"] = {{{"workload", "tiny"}, {"operator", "int:w8a8"}, {"valid", true}, {"energy_uj", energy},
                {"latency_us", latency}, {"cycles", int64_t(latency * 250)}, {"edp_uj_us", energy * latency},
                {"utilization", draw(1)}, {"macs", 10000}, {"dataflows", dataflows}}};
  return r;
}

SweepRun make_run(const std::string& name, uint64_t seed) {
  nlohmann::json doc = test::small_sweep();
  doc["name"] = name;
  SweepRun run{explore::load_sweep(test::write_json("merge_sweeps/" + name + ".json", doc)), {}, {}};
  run.manifest = explore::sweep_manifest(run.sweep, energy::load_area_table(run.sweep.area_table_file));
  std::mt19937_64 rng(seed);
  for (int64_t i = 0; i < run.sweep.points; ++i) run.points.push_back(point_record(run.sweep, i, rng));
  return run;
}

// What `enos explore --shard I/N` leaves in its folder: its points and its results.
void write_shard(const SweepRun& run, const std::string& dir, int64_t shard, int64_t shards) {
  fs::remove_all(dir);
  explore::prepare_output(dir, run.manifest);
  std::vector<nlohmann::json> mine;
  for (int64_t i = shard; i < run.sweep.points; i += shards) {
    const nlohmann::json& point = run.points[std::size_t(i)];
    explore::write_point(dir, point["id"].get<std::string>(), point);
    mine.push_back(point);
  }
  explore::write_results(dir, run.manifest, mine, shards > 1 ? std::to_string(shard + 1) + "/" + std::to_string(shards) : "");
}

std::string merge_error(const std::vector<std::string>& dirs, const std::string& out) {
  try {
    (void)explore::merge_shards(dirs, out);
  } catch (const spec::SpecError& e) {
    return e.path() + ": " + e.reason();
  }
  return "(merged)";
}

}  // namespace

TEST_CASE("shards merged are byte for byte a single run", "[explore][merge]") {
  const SweepRun run = make_run("unit", 3);
  write_shard(run, "merge_single", 0, 1);
  for (int64_t s = 0; s < 3; ++s) write_shard(run, "merge_shard" + std::to_string(s), s, 3);
  fs::remove_all("merge_out");
  const explore::MergedShards merged = explore::merge_shards({"merge_shard0", "merge_shard1", "merge_shard2"}, "merge_out");
  CHECK(merged.points == 6);
  CHECK(merged.sweep_name == "unit");
  for (const char* file : {"sweep.json", "results.csv", "results.json", "pareto.csv", "index.html"}) {
    INFO(file);
    CHECK(test::read_text(std::string("merge_out/") + file) == test::read_text(std::string("merge_single/") + file));
  }
  for (const nlohmann::json& p : run.points) {
    const std::string id = p["id"];
    CHECK(test::read_text(explore::point_path("merge_out", id)) == test::read_text(explore::point_path("merge_single", id)));
  }
}

TEST_CASE("a merge refuses a missing point, another sweep and two versions of one point", "[explore][merge]") {
  const SweepRun run = make_run("unit", 3);
  for (int64_t s = 0; s < 3; ++s) write_shard(run, "refuse_shard" + std::to_string(s), s, 3);
  const std::vector<std::string> two_of_three = {"refuse_shard0", "refuse_shard1"};
  CHECK_THAT(merge_error(two_of_three, "refuse_out"), Catch::StartsWith("points: 2 of 6 points are in none of the folders"));

  write_shard(make_run("other", 3), "refuse_other", 2, 3);
  CHECK_THAT(merge_error({"refuse_shard0", "refuse_shard1", "refuse_other"}, "refuse_out"),
             Catch::StartsWith("sweep_hash: another sweep or enos version"));

  nlohmann::json changed = run.points[2];
  changed["rows"][0]["energy_uj"] = 1e6;
  explore::write_point("refuse_shard0", changed["id"].get<std::string>(), changed);
  CHECK_THAT(merge_error({"refuse_shard0", "refuse_shard1", "refuse_shard2"}, "refuse_out"),
             Catch::Contains("differs from the same point in another folder"));
}
