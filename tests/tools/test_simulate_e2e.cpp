// `enos simulate` end to end on small inputs.
#include <catch2/catch.hpp>

#include <fstream>

#include <nlohmann/json.hpp>

#include "run_command.hpp"

using namespace enos;

TEST_CASE("simulate the tiny workload on every preset bit-exact with a stats tree", "[e2e]") {
  for (const char* arch : {"default_reconfigurable_16x16", "ws_systolic_16x16", "os_systolic_16x16",
                           "eyeriss_like_12x14", "is_systolic_16x16", "large_glb_16x16"}) {
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
      // Weights the buffer plan keeps on chip are never fetched per inference.
      const bool fetched = l["levels"].contains("dram") && l["levels"]["dram"].contains("weight");
      CHECK(fetched == (l["residency"]["weights"] == "dram"));
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

namespace {

struct NetworkRun {
  nlohmann::json stats;
  double activation_dram_bits = 0, weight_dram_bits = 0, dram_share = 0;
};

// ShuffleNetV2 ×0.5 on CIFAR, all int:w8a8, on `arch_json` (written beside the test).
NetworkRun simulate_shufflenet(const std::string& name, nlohmann::json arch) {
  arch["energy_table"] = test::config("energy/default_45nm.json");
  const std::string arch_file = "arch_" + name + ".json", out = "stats_" + name + ".json";
  std::ofstream(arch_file) << arch.dump();
  const test::CommandResult r = test::run_enos("simulate -q --arch " + arch_file + " --workload " +
                                               test::config("workloads/shufflenetv2_x0.5_32x32x3.json") +
                                               " --out " + out);
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  NetworkRun run;
  std::ifstream f(out);
  run.stats = nlohmann::json::parse(f);
  const auto bits = [&](const char* action) {
    const auto& a = run.stats["total"]["actions"];
    return a.contains(action) ? a[action]["bits"].get<double>() : 0.0;
  };
  run.activation_dram_bits = bits("dram.read.input") + bits("dram.write.output");
  run.weight_dram_bits = bits("dram.read.weight");
  const auto& e = run.stats["total"]["energy"];
  run.dram_share = e["by_level_pj"]["dram"].get<double>() / e["total_pj"].get<double>();
  return run;
}

nlohmann::json preset(const std::string& name) {
  std::ifstream f(test::config("arch/" + name + ".json"));
  return nlohmann::json::parse(f);
}

}  // namespace

TEST_CASE("the buffer plan keeps ShuffleNetV2's activations on chip: the issue's figures", "[e2e][residency]") {
  nlohmann::json off = preset("default_reconfigurable_16x16");
  off["global_buffer"]["residency"] = "none";
  const NetworkRun before = simulate_shufflenet("off", off);
  const NetworkRun after = simulate_shufflenet("on", preset("default_reconfigurable_16x16"));
  const NetworkRun large = simulate_shufflenet("large", preset("large_glb_16x16"));
  // Today's figures with residency off (docs/dataflow.md, "The buffer plan").
  CHECK(before.activation_dram_bits == Approx(4.417e6).epsilon(0.001));
  CHECK(before.weight_dram_bits == Approx(2.758e6).epsilon(0.001));
  CHECK(before.dram_share > 0.8);
  CHECK(after.activation_dram_bits <= 0.2 * before.activation_dram_bits);
  CHECK(after.dram_share <= 0.65);
  CHECK(large.weight_dram_bits == 0);
  CHECK(large.dram_share <= 0.20);
  // Only where data lives changes: the same layers, the same work, bit-exact everywhere.
  for (const NetworkRun* run : {&before, &after, &large}) {
    CHECK(run->stats["bit_exact"] == true);
    REQUIRE(run->stats["layers"].size() == before.stats["layers"].size());
    CHECK(run->stats["total"]["macs"] == before.stats["total"]["macs"]);
  }
  for (const auto& t : after.stats["buffer_plan"]["tensors"])
    if (t["home"] == "dram") CHECK(t["why"].get<std::string>().find("network's") != std::string::npos);
}
