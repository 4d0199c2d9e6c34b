// `enos run` end to end on a tiny config: characterize a two-layer workload, skip the search
// (the config names an export made by dev-make-export: this tree may lack LibTorch), replay
// and report.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "../tools/run_command.hpp"
#include "replay_test_util.hpp"

using namespace enos;

namespace {

std::string absolute(const std::string& p) { return std::filesystem::absolute(p).string(); }

}  // namespace

TEST_CASE("enos run on a tiny config ends with the report and the verdict", "[e2e][replay]") {
  const std::string dir = absolute("run_tiny");
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  test::CommandResult r = test::run_enos("dev-make-export --workload " + test::replay_data("two_layer.json") +
                                         " --candidates int:w8a8 --images 4 --out " + dir + "/export");
  REQUIRE(r.exit_code == 0);
  const nlohmann::json config = {
      {"description", "tiny: the two-layer test network, an existing export"},
      {"out", "out"},
      {"arch", test::config_file("arch/default_reconfigurable_16x16.json")},
      {"workload", test::replay_data("two_layer.json")},
      {"dataset", "fashion-mnist:export/data"},  // relative to the config's folder
      {"characterize", {{"jobs", 1}, {"candidates", "int:w8a8"}}},
      {"search", {{"export", "export"}}},
      {"validate", {{"images", 4}, {"budget_uj", 10}}}};
  std::ofstream(dir + "/run.json") << config.dump(1);
  r = test::run_enos("run --config " + dir + "/run.json");
  INFO(r.output);
  CHECK(r.exit_code == 0);
  CHECK(r.output.find("[1/3] characterize") != std::string::npos);
  CHECK(r.output.find("[3/3] validate") != std::string::npos);
  CHECK(r.output.find("Report: " + dir + "/out/report/report.html") != std::string::npos);
  CHECK(std::filesystem::exists(dir + "/out/lut.json"));
  std::ifstream f(dir + "/out/report/report.json");
  CHECK(nlohmann::json::parse(f)["verdict"] == "within_budget");
}

TEST_CASE("enos run refuses a config with an unknown key or a missing export", "[e2e][replay]") {
  const std::string dir = absolute("run_bad");
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/a.json") << R"({"search": {"modee": "stochastic"}})";
  test::CommandResult r = test::run_enos("run --config " + dir + "/a.json");
  INFO(r.output);
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("a.json: run.search: unknown key 'modee'") != std::string::npos);
  std::ofstream(dir + "/b.json") << R"({"model": "shufflenetv2_x0.5", "search": {"export": "nowhere"}})";
  r = test::run_enos("run --config " + dir + "/b.json");
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("run.search.export") != std::string::npos);
}
