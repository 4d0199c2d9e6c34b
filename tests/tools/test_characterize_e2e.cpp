// `enos characterize` end to end: the LUT, its cache (hits, one changed layer, corruption,
// a killed run) and --check.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "run_command.hpp"
#include "spec/json_reader.hpp"

using namespace enos;
namespace fs = std::filesystem;

namespace {

nlohmann::json read_json(const std::string& path) {
  std::ifstream f(path);
  return nlohmann::json::parse(f);
}

std::string characterize(const std::string& workload, const std::string& cache, const std::string& out,
                         const std::string& extra = "") {
  return "characterize --workload " + workload + " --cache " + cache + " --out " + out + " " + extra;
}

// A copy of the tiny workload whose last layer (the classifier) has 12 outputs, not 10.
std::string changed_tiny(const std::string& path) {
  nlohmann::json w = read_json(test::config("workloads/tiny.json"));
  nlohmann::json& fc = w["layers"].back();
  REQUIRE(fc["type"] == "fc");
  fc["out_features"] = 12;
  std::ofstream(path) << w.dump();
  return path;
}

}  // namespace

TEST_CASE("characterize writes a LUT and CSV with one entry per layer and candidate", "[e2e][characterize]") {
  fs::remove_all("cache_a");
  const test::CommandResult r = test::run_enos(characterize(test::config("workloads/tiny.json"), "cache_a",
                                                            "lut_a.json", "--jobs 2 --candidates int:w8a8,int:w4a4,bin:w1a8"));
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  const nlohmann::json lut = read_json("lut_a.json");
  CHECK(lut["format"] == "enos-lut/1");
  CHECK(!lut["architecture"]["hash"].get<std::string>().empty());
  CHECK(!lut["energy_table"]["hash"].get<std::string>().empty());
  REQUIRE(lut["layers"].size() == 3);
  for (const auto& layer : lut["layers"]) {
    REQUIRE(layer["entries"].size() == 3);
    for (const auto& e : layer["entries"]) {
      CHECK(e["energy_pj"].get<double>() > 0);
      CHECK(e["cycles"].get<int64_t>() > 0);
      CHECK(e["latency_us"].get<double>() > 0);
    }
  }
  std::ifstream csv("lut_a.csv");
  int lines = 0;
  for (std::string line; std::getline(csv, line);) ++lines;
  CHECK(lines == 1 + 3 * 3);
}

TEST_CASE("a second run hits the cache for every entry and gives the same LUT", "[e2e][characterize]") {
  fs::remove_all("cache_b");
  const std::string cmd = characterize(test::config("workloads/tiny.json"), "cache_b", "lut_b1.json");
  REQUIRE(test::run_enos(cmd).exit_code == 0);
  const test::CommandResult again =
      test::run_enos(characterize(test::config("workloads/tiny.json"), "cache_b", "lut_b2.json"));
  INFO(again.output);
  REQUIRE(again.exit_code == 0);
  CHECK(again.output.find(" 0 simulated") != std::string::npos);
  CHECK(read_json("lut_b1.json") == read_json("lut_b2.json"));
}

// The default preset with `"residency": "none"`: each entry is its layer alone.
std::string arch_without_residency(const std::string& path) {
  nlohmann::json a = read_json(test::config("arch/default_reconfigurable_16x16.json"));
  a["global_buffer"]["residency"] = "none";
  a["energy_table"] = test::config("energy/default_45nm.json");
  std::ofstream(path) << a.dump();
  return path;
}

TEST_CASE("changing one layer re-simulates only that layer", "[e2e][characterize]") {
  // Without the buffer plan: with it, a layer's entry also depends on what the rest of the
  // network keeps on chip (next test).
  fs::remove_all("cache_c");
  const std::string cands = "--candidates int:w8a8,int:w2a2 --arch " + arch_without_residency("arch_c.json");
  REQUIRE(test::run_enos(characterize(test::config("workloads/tiny.json"), "cache_c", "lut_c1.json", cands)).exit_code == 0);
  const nlohmann::json before = read_json("lut_c1.json");
  const test::CommandResult r =
      test::run_enos(characterize(changed_tiny("tiny_changed.json"), "cache_c", "lut_c2.json", cands));
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  CHECK(r.output.find(" 4 from the cache, 2 simulated") != std::string::npos);  // fc × 2 candidates
  const nlohmann::json after = read_json("lut_c2.json");
  CHECK(after["layers"][0]["entries"] == before["layers"][0]["entries"]);
  CHECK(after["layers"][1]["entries"] == before["layers"][1]["entries"]);
  CHECK(after["layers"][2]["shape"] != before["layers"][2]["shape"]);
}

TEST_CASE("with the buffer plan, an entry is characterized in its network's context", "[e2e][characterize][residency]") {
  fs::remove_all("cache_r");
  const std::string cands = "--candidates int:w8a8,int:w2a2";
  const test::CommandResult r = test::run_enos(characterize(test::config("workloads/tiny.json"), "cache_r", "lut_r.json", cands));
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  const nlohmann::json lut = read_json("lut_r.json");
  // The first layer reads the network's input from DRAM and keeps its output on chip; the
  // classifier reads on-chip inputs and sends the logits to DRAM (tiny: conv1, dw2, gap, fc).
  for (const auto& e : lut["layers"].front()["entries"]) {
    CHECK(e["residency"]["inputs"] == false);
    CHECK(e["residency"]["outputs"] == true);
  }
  for (const auto& e : lut["layers"].back()["entries"]) {
    CHECK(e["residency"]["inputs"] == true);
    CHECK(e["residency"]["outputs"] == false);
  }
  // The same entries without the plan cost more: every activation crosses DRAM.
  const test::CommandResult alone = test::run_enos(
      characterize(test::config("workloads/tiny.json"), "cache_r", "lut_r_alone.json",
                   cands + " --arch " + arch_without_residency("arch_r.json")));
  REQUIRE(alone.exit_code == 0);
  const nlohmann::json without = read_json("lut_r_alone.json");
  for (std::size_t l = 0; l < lut["layers"].size(); ++l)
    for (std::size_t k = 0; k < 2; ++k) {
      INFO(lut["layers"][l]["name"] << " " << k);
      CHECK(lut["layers"][l]["entries"][k]["energy_pj"].get<double>() <
            without["layers"][l]["entries"][k]["energy_pj"].get<double>());
    }
}

TEST_CASE("a corrupted cache entry is detected and rebuilt", "[e2e][characterize]") {
  fs::remove_all("cache_d");
  const std::string cmd = characterize(test::config("workloads/tiny.json"), "cache_d", "lut_d1.json", "--candidates int:w8a8");
  REQUIRE(test::run_enos(cmd).exit_code == 0);
  int damaged = 0;
  for (const auto& f : fs::directory_iterator("cache_d")) {
    if (damaged == 0) std::ofstream(f.path()) << "{\"key\": \"truncated";
    else if (damaged == 1) std::ofstream(f.path(), std::ios::app) << " ";  // still valid JSON, same content
    ++damaged;
  }
  REQUIRE(damaged == 3);
  const test::CommandResult r = test::run_enos(
      characterize(test::config("workloads/tiny.json"), "cache_d", "lut_d2.json", "--candidates int:w8a8"));
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  CHECK(r.output.find("1 corrupt cache entries rebuilt") != std::string::npos);
  CHECK(read_json("lut_d1.json") == read_json("lut_d2.json"));
}

TEST_CASE("entries an older model of the hardware characterized are never served", "[e2e][characterize][cache]") {
  // Regression: the cache key held the release number only, so after a change to the simulator
  // (same release) the cache served the old model's counts; a LUT then disagreed with the
  // replay of the same mapping by up to 2 % (33 cycles of 1,383 on a ShuffleNetV2 layer).
  fs::remove_all("cache_m");
  fs::remove_all("cache_m_old");
  fs::create_directories("cache_m_old");
  const std::string tiny = test::config("workloads/tiny.json");
  REQUIRE(test::run_enos(characterize(tiny, "cache_m", "lut_m1.json", "--candidates int:w8a8")).exit_code == 0);
  int planted = 0;
  for (const auto& f : fs::directory_iterator("cache_m")) {
    const nlohmann::json doc = read_json(f.path().string());
    std::string key = doc["key"];
    const std::size_t at = key.find("|model ");
    REQUIRE(at != std::string::npos);  // the key names the model's source hash
    // The same entry as a simulator of the same release but other code would have keyed it
    // (without the model hash), with other counts.
    key.erase(at, std::string("|model ").size() + 64);
    nlohmann::json value = doc["value"];
    value["cycles"]["total"] = value["cycles"]["total"].get<int64_t>() + 1000;
    const nlohmann::json stale = {{"key", key}, {"value", value},
                                  {"checksum", spec::json_hash(nlohmann::json{{"key", key}, {"value", value}})}};
    std::ofstream("cache_m_old/" + spec::json_hash(nlohmann::json(key)) + ".json") << stale.dump();
    ++planted;
  }
  REQUIRE(planted == 3);
  const test::CommandResult r = test::run_enos(characterize(tiny, "cache_m_old", "lut_m2.json", "--candidates int:w8a8"));
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  CHECK(read_json("lut_m1.json") == read_json("lut_m2.json"));
}

TEST_CASE("a killed run leaves no corrupt entry behind", "[e2e][characterize]") {
  fs::remove_all("cache_e");
  const std::string cmd = std::string(ENOS_BINARY) + " " +
                          characterize(test::config("workloads/shufflenetv2_x0.5_32x32x3.json"), "cache_e", "lut_e.json",
                                       "--jobs 2");
  // Kill the whole process group (parent and workers) part-way through.
  const int rc = std::system(("setsid sh -c 'exec " + cmd + " >/dev/null 2>&1' & pid=$!; sleep 0.4; "
                              "kill -9 -$pid 2>/dev/null; wait $pid 2>/dev/null; true").c_str());
  REQUIRE(rc == 0);
  const test::CommandResult r = test::run_enos(
      characterize(test::config("workloads/shufflenetv2_x0.5_32x32x3.json"), "cache_e", "lut_e.json", "--jobs 2"));
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  CHECK(r.output.find("corrupt") == std::string::npos);
  for (const auto& f : fs::directory_iterator("cache_e"))
    CHECK(f.path().filename().string().find(".tmp.") == std::string::npos);
}

TEST_CASE("characterize --check finds the analytical and SystemC counts equal", "[e2e][characterize]") {
  fs::remove_all("cache_f");
  const test::CommandResult r = test::run_enos(
      characterize(test::config("workloads/tiny.json"), "cache_f", "lut_f.json", "--check"));
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  CHECK(r.output.find("action counts: all equal") != std::string::npos);
}

TEST_CASE("characterize refuses what it cannot do with exit 2", "[e2e][characterize][errors]") {
  for (const std::string& extra :
       {std::string("--candidates int:w3a3"), std::string("--candidates banana"), std::string("--jobs 0"),
        std::string("--model no_such_model --workload x.json")}) {
    const test::CommandResult r = test::run_enos(
        characterize(test::config("workloads/tiny.json"), "cache_g", "lut_g.json", extra));
    INFO(extra << "\n" << r.output);
    CHECK(r.exit_code == 2);
  }
  const test::CommandResult m = test::run_enos("characterize --model no_such_model --cache cache_g --out lut_g.json");
  INFO(m.output);
  CHECK(m.exit_code == 2);
  CHECK(m.output.find("no_such_model") != std::string::npos);
}

// Regression: `enos run` on CIFAR-100 characterized the 10-class workload, and the search then
// refused the LUT (its classifier 10 outputs wide, the model's 100).
TEST_CASE("characterize --classes picks the model's workload with that classifier", "[e2e][characterize][classes]") {
  fs::remove_all("cache_h");
  const test::CommandResult r = test::run_enos(
      "characterize --model squeezenet1_1 --input 32x32x3 --classes 100 --candidates int:w8a8 --cache cache_h "
      "--out lut_h.json");
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  const nlohmann::json lut = read_json("lut_h.json");
  CHECK(lut["workload"]["name"] == "squeezenet1_1_32x32x3_100classes");
  const nlohmann::json& classifier = lut["layers"].back();
  CHECK(classifier["name"] == "classifier.1");
  CHECK(classifier["shape"]["K"] == 100);

  for (const std::string& bad : {std::string("--classes 7"), std::string("--classes 1"), std::string("--classes x")}) {
    const test::CommandResult e =
        test::run_enos("characterize --model squeezenet1_1 " + bad + " --cache cache_h --out lut_h2.json");
    INFO(bad << "\n" << e.output);
    CHECK(e.exit_code == 2);
    CHECK(e.output.find("--classes") != std::string::npos);
    CHECK(!fs::exists("lut_h2.json"));
  }
}
