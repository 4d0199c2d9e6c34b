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

// Regression: on CIFAR-100 the run characterized the 10-class workload, and the search then
// refused the LUT (classifier 10 outputs wide in the LUT, 100 in the model). The dataset's
// folder is missing here, so the run stops at the search; the LUT is already written.
TEST_CASE("enos run characterizes the classifier of the dataset's class count", "[e2e][replay]") {
  const std::string dir = absolute("run_cifar100");
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const nlohmann::json config = {{"out", "out"},
                                 {"model", "squeezenet1_1"},
                                 {"dataset", "cifar100:no_such_folder"},
                                 {"characterize", {{"jobs", 1}, {"candidates", "int:w8a8"}}}};
  std::ofstream(dir + "/run.json") << config.dump(1);
  const test::CommandResult r = test::run_enos("run --config " + dir + "/run.json");
  INFO(r.output);
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("--classes 100") != std::string::npos);
  std::ifstream f(dir + "/out/lut.json");
  const nlohmann::json lut = nlohmann::json::parse(f);
  CHECK(lut["workload"]["name"] == "squeezenet1_1_32x32x3_100classes");
  CHECK(lut["layers"].back()["shape"]["K"] == 100);
}

TEST_CASE("enos run with the real search on a tiny budget of examples (when enos search is built)", "[e2e][replay][torch]") {
  if (test::run_enos("search --help").exit_code != 0) {
    WARN("enos search is not in this build (no LibTorch): the full pipeline is not exercised here");
    return;
  }
  const std::string dir = absolute("run_search");
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const nlohmann::json config = {
      {"out", "out"},
      {"search", {{"epochs", 1}, {"finetune_epochs", 0}, {"train_limit", 256}, {"test_limit", 64}}},
      {"validate", {{"images", 8}}}};
  std::ofstream(dir + "/run.json") << config.dump(1);
  const test::CommandResult r = test::run_enos("run --config " + dir + "/run.json");
  INFO(r.output);
  CHECK((r.exit_code == 0 || r.exit_code == 3));
  std::ifstream f(dir + "/out/report/report.json");
  const nlohmann::json rep = nlohmann::json::parse(f);
  CHECK(rep["bit_exact"]["ok"] == true);
  // The LUT prices every entry in the widest mode's buffer plan (docs/lut-format.md): the
  // chosen, narrower network keeps more on chip, so the replay may come in below the LUT, not
  // (beyond 2 %) above it.
  CHECK(rep["energy"]["lut_error_frac"].get<double>() < 0.02);
  CHECK(rep["energy"]["lut_error_frac"].get<double>() > -0.5);
  CHECK(rep["accuracy"]["fake_quant_compared"] == 8);
}
