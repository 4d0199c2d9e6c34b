// `enos simulate` end to end on small inputs.
#include <catch2/catch.hpp>

#include <fstream>

#include <nlohmann/json.hpp>

#include "run_command.hpp"

using namespace enos;

TEST_CASE("simulate the tiny workload on every preset bit-exact with a stats tree", "[e2e]") {
  for (const char* arch : {"default_reconfigurable_16x16", "ws_systolic_16x16", "os_systolic_16x16",
                           "eyeriss_like_12x14"}) {
    const std::string out = std::string("stats_") + arch + ".json";
    const test::CommandResult r = test::run_enos(
        "simulate --arch " + test::config(std::string("arch/") + arch + ".json") + " --workload " +
        test::config("workloads/tiny.json") + " --seed 5 --out " + out);
    INFO(arch << "\n" << r.output);
    REQUIRE(r.exit_code == 0);
    CHECK(r.output.find("bit-exact against the C++ reference: yes") != std::string::npos);
    std::ifstream f(out);
    const nlohmann::json stats = nlohmann::json::parse(f);
    CHECK(stats["bit_exact"] == true);
    CHECK(stats["architecture"]["name"] == arch);
    CHECK(stats["architecture"]["clock_mhz"].get<double>() > 0);
    CHECK(stats["layers"].size() == 3);  // conv1, dw2, fc
    CHECK(stats["not_on_array"].size() == 1);
    int64_t macs = 0;
    for (const auto& l : stats["layers"]) {
      macs += l["macs"].get<int64_t>();
      const auto& c = l["cycles"];
      int64_t parts = c["busy"].get<int64_t>();
      for (const auto& s : c["stalls"]) parts += s.get<int64_t>();
      CHECK(parts == c["total"].get<int64_t>());
      CHECK(l["levels"]["dram"]["weight"]["reads"]["words"].get<int64_t>() > 0);
    }
    CHECK(macs == stats["total"]["macs"].get<int64_t>());
  }
}

TEST_CASE("simulate is deterministic for a seed", "[e2e]") {
  const std::string args = "simulate -q --layer conv:6,8,9,9,3,3,2,1,2 --op mf:w8a8 --seed 9 --out ";
  REQUIRE(test::run_enos(args + "a.json").exit_code == 0);
  REQUIRE(test::run_enos(args + "b.json").exit_code == 0);
  std::ifstream a("a.json"), b("b.json");
  CHECK(nlohmann::json::parse(a) == nlohmann::json::parse(b));
}

TEST_CASE("help and unknown commands", "[e2e]") {
  CHECK(test::run_enos("--help").exit_code == 0);
  CHECK(test::run_enos("simulate --help").exit_code == 0);
  CHECK(test::run_enos("frobnicate").exit_code == 2);
  CHECK(test::run_enos("").exit_code == 2);
}
