// `enos simulate`, `characterize` and `explore` against hostile input (issue 18 cases 2, 5, 6,
// 7, 8, 9): exit 2 with the file, the JSON path or option and the reason, or a correct result.
#include <regex>

#include "hostile_util.hpp"

using namespace enos;
namespace fs = std::filesystem;

namespace {

// "total: N MACs, C cycles" of simulate's summary.
double total_cycles(const std::string& output) {
  std::smatch m;
  REQUIRE(std::regex_search(output, m, std::regex("MACs, ([0-9]+) cycles")));
  return std::stod(m[1]);
}

}  // namespace

// Case 2: 1e-14 gave fewer cycles than 1e-12 and anything smaller saturated at 4.6e15, exit 0.
TEST_CASE("a DRAM too slow for the cycle limit is refused naming bytes_per_cycle", "[e2e][hostile]") {
  for (const char* bpc : {"1e-12", "1e-14", "1e-300"}) {
    const std::string arch = test::edited_arch(std::string("hostile_bw_") + bpc + ".json",
                                               [&](nlohmann::json& a) { a["dram"]["bytes_per_cycle"] = std::stod(bpc); });
    test::require_refusal(test::run_enos("simulate -q --arch " + arch + " --layer fc:64,64"),
                          {arch + ": arch.dram.bytes_per_cycle: at " + std::string(bpc), "2^40 cycles"});
  }
  // Slow but within the limit: the cycles grow as the bandwidth shrinks.
  double previous = 0;
  for (const char* bpc : {"1e-3", "1e-4", "1e-5"}) {
    const std::string arch = test::edited_arch(std::string("hostile_bw_") + bpc + ".json",
                                               [&](nlohmann::json& a) { a["dram"]["bytes_per_cycle"] = std::stod(bpc); });
    const test::CommandResult r = test::run_enos("simulate -q --arch " + arch + " --layer fc:64,64");
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    const double cycles = total_cycles(r.output);
    CHECK(cycles > 9 * previous);
    previous = cycles;
  }
}

// Case 5: within the documented ranges, these allocated tens of GB (bad_alloc, exit 4).
TEST_CASE("layers too large for the simulator are refused before anything is allocated", "[e2e][hostile]") {
  const std::string arch = test::edited_arch("hostile_4gib.json", [](nlohmann::json& a) { a["global_buffer"]["size_kib"] = 4194304; });
  test::require_refusal(test::run_enos("simulate -q --arch " + arch + " --layer conv:1024,8,4096,4096,3,3,1,1,1"),
                        {"--layer: layer0 = conv:1024,8,4096,4096,3,3,1,1,1: layer", "GiB of memory", "4.00 GiB"});
  test::require_refusal(test::run_enos("simulate -q --arch " + arch + " --layer fc:65536,65536"),
                        {"--layer: layer0 = fc:65536,65536", "16.00 GiB"});
  const std::string w = "hostile_big_workload.json";
  std::ofstream(w) << R"({"name": "big", "input": [1024, 4096, 4096], "layers": [
      {"name": "c", "type": "conv", "out_channels": 8, "kernel": 3, "stride": 1, "pad": 1}]})";
  test::require_refusal(
      test::run_enos("characterize --arch " + arch + " --workload " + w + " --cache hostile_cache --out hostile_big_lut.json"),
      {w + ": workload.layers[0]: layer conv:1024,8,4096,4096,3,3,1,1,1 needs about"});
}

// Case 6: simulate said exit 2 for the same table; characterize failed in a worker (exit 4).
TEST_CASE("characterize with a table that cannot price a listed operator exits 2", "[e2e][hostile]") {
  nlohmann::json t = test::read_json(test::config("energy/default_45nm.json"));
  t["operators"].erase("int:w4a4");
  test::write_json("hostile_table.json", t);
  test::require_refusal(test::run_enos("characterize --workload " + test::config("workloads/tiny.json") +
                                       " --energy-table hostile_table.json --cache hostile_cache --out hostile_lut.json"),
                        {"hostile_table.json: energy.operators.int:w4a4", "the table has no entry"});
  CHECK_FALSE(fs::exists("hostile_lut.json"));
}

// Case 9: `--out DIR` left DIR.csv; a LUT half written was possible.
TEST_CASE("characterize --out naming a folder exits 2 and writes nothing", "[e2e][hostile]") {
  fs::create_directories("hostile_lut_dir");
  fs::remove("hostile_lut_dir.csv");
  test::require_refusal(test::run_enos("characterize --workload " + test::config("workloads/tiny.json") +
                                       " --cache hostile_cache --out hostile_lut_dir"),
                        {"--out: hostile_lut_dir: is a folder"});
  CHECK_FALSE(fs::exists("hostile_lut_dir.csv"));
  // The CSV's place taken by a folder: neither file appears.
  fs::create_directories("hostile_lut2.csv");
  fs::remove("hostile_lut2.json");
  test::require_refusal(test::run_enos("characterize --workload " + test::config("workloads/tiny.json") +
                                       " --cache hostile_cache --out hostile_lut2.json"),
                        {"hostile_lut2.csv: is a folder"});
  CHECK_FALSE(fs::exists("hostile_lut2.json"));
}

// Case 7.
TEST_CASE("a seed of -1 and an empty shard are refused, not reinterpreted", "[e2e][hostile]") {
  for (const char* cmd : {"simulate -q --layer fc:8,8 --seed -1", "simulate -q --layer fc:8,8 --seed 18446744073709551616",
                          "simulate -q --layer fc:8,8 --seed ''"})
    test::require_refusal(test::run_enos(cmd), {"--seed"});
  test::require_refusal(test::run_enos("characterize --workload " + test::config("workloads/tiny.json") +
                                       " --seed -1 --cache hostile_cache --out hostile_seed.json"),
                        {"--seed: -1"});
  test::require_refusal(test::run_enos("explore --sweep " + test::config("sweeps/example_tiny.json") +
                                       " --out hostile_explore --shard ''"),
                        {"--shard"});
}

// simulate --mapping was parsed by nlohmann's parser directly: a number beyond a double was an
// internal error (exit 4) and a key given twice silently kept the last value.
TEST_CASE("simulate --mapping goes through the JSON reader every input goes through", "[e2e][hostile]") {
  test::require_refusal(test::run_enos("simulate -q --layer fc:8,8 --mapping '{\"k_tile\": 1e999}'"),
                        {"--mapping: (document): invalid JSON", "1e999"});
  test::require_refusal(
      test::run_enos("simulate -q --layer fc:8,8 --mapping '{\"dataflow\": \"output_stationary\", \"dataflow\": "
                     "\"weight_stationary\"}'"),
      {"--mapping: mapping: duplicate key 'dataflow'"});
  test::require_refusal(test::run_enos("simulate -q --layer fc:8,8 --mapping '[1]'"),
                        {"--mapping: mapping: expected a JSON object"});
  const test::CommandResult ok =
      test::run_enos("simulate -q --layer fc:8,8 --mapping '{\"dataflow\": \"output_stationary\"}'");
  INFO(ok.output);
  CHECK(ok.exit_code == 0);
}

// Outputs are refused naming their option (docs/cli.md, "Outputs"); explore and the cache
// named the folder as if it were a file ("f: (folder): ...", "f: (cache): ...").
TEST_CASE("explore --out and --cache naming a file are refused naming the option", "[e2e][hostile]") {
  std::ofstream("hostile_explore_file") << "x";
  test::require_refusal(test::run_enos("explore --sweep " + test::config("sweeps/example_tiny.json") +
                                       " --out hostile_explore_file"),
                        {"--out: hostile_explore_file: cannot create the output folder"});
  test::require_refusal(test::run_enos("characterize --workload " + test::config("workloads/tiny.json") +
                                       " --cache hostile_explore_file --out hostile_cache_lut.json"),
                        {"--cache: hostile_explore_file: cannot create the cache folder"});
}

TEST_CASE("a key swept by two parameters is refused naming the second", "[e2e][hostile]") {
  const nlohmann::json s = {
      {"name", "twice"},
      {"base", test::config("arch/default_reconfigurable_16x16.json")},
      {"parameters",
       {{{"key", "clock_mhz"}, {"values", {250, 500}}}, {{"keys", {"pe_array.rows", "clock_mhz"}}, {"values", {{8, 100}}}}}},
      {"workloads", {{{"workload", test::config("workloads/tiny.json")}}}}};
  test::write_json("hostile_twice.json", s);
  test::require_refusal(test::run_enos("explore --sweep hostile_twice.json --out hostile_twice_out"),
                        {"hostile_twice.json: sweep.parameters[1]: 'clock_mhz' is already swept by parameters[0]"});
  // A whole object replaced the key swept inside it: results.csv listed 64 and 128 KiB, and
  // both points ran with 32 (exit 0).
  nlohmann::json inside = s;
  inside["parameters"] = {{{"key", "global_buffer.size_kib"}, {"values", {64, 128}}},
                          {{"key", "global_buffer"}, {"values", {{{"size_kib", 32}, {"banks", 4}}}}}};
  test::write_json("hostile_twice_inside.json", inside);
  test::require_refusal(test::run_enos("explore --sweep hostile_twice_inside.json --out hostile_twice_out"),
                        {"hostile_twice_inside.json: sweep.parameters[1]: 'global_buffer' overlaps "
                         "'global_buffer.size_kib', which is already swept by parameters[0]"});
  nlohmann::json one = s;
  one["parameters"] = {{{"keys", {"clock_mhz", "clock_mhz"}}, {"values", {{250, 500}}}}};
  test::write_json("hostile_twice_one.json", one);
  test::require_refusal(test::run_enos("explore --sweep hostile_twice_one.json --out hostile_twice_out"),
                        {"hostile_twice_one.json: sweep.parameters[0]: 'clock_mhz' is also in this parameter's 'keys'"});
  // Keys that only share the start of their names are different keys ("pe", "pe_array.rows").
  nlohmann::json apart = s;
  const nlohmann::json pe = test::read_json(test::config("arch/default_reconfigurable_16x16.json"))["pe"];
  apart["parameters"] = {{{"key", "pe"}, {"values", {pe}}}, {{"key", "pe_array.rows"}, {"values", {8}}}};
  test::write_json("hostile_apart.json", apart);
  fs::remove_all("hostile_apart_out");
  const test::CommandResult ok = test::run_enos("explore --sweep hostile_apart.json --out hostile_apart_out");
  INFO(ok.output);
  CHECK(ok.exit_code == 0);
}

// Case 8: messages without the promised path.
TEST_CASE("mapper refusals and missing files name the file and the JSON path", "[e2e][hostile]") {
  const std::string tiny = test::edited_arch("hostile_tiny_glb.json", [](nlohmann::json& a) {
    a["global_buffer"]["size_kib"] = 1;
    a["global_buffer"]["banks"] = 1;
  });
  const test::CommandResult r = test::run_enos("simulate -q --arch " + tiny + " --layer fc:4096,64");
  test::require_refusal(r, {"--layer: layer0 = fc:4096,64: layer 'layer0' cannot run on " + tiny, "fits the global buffer"});
  CHECK_THAT(r.output, !Catch::Contains("error: : "));
  // A pinned dataflow the architecture lacks, named at its path.
  std::ofstream("hostile_pinned.json") << R"({"name": "p", "input": [8, 8, 8], "layers": [
      {"name": "c", "type": "conv", "out_channels": 8, "kernel": 3, "stride": 1, "pad": 1,
       "mapping": {"dataflow": "output_stationary"}}]})";
  test::require_refusal(test::run_enos("simulate -q --arch " + test::config("arch/ws_systolic_16x16.json") +
                                       " --workload hostile_pinned.json"),
                        {"hostile_pinned.json: workload.layers[0].mapping.dataflow"});
  // A sweep naming a file that is not there.
  const nlohmann::json s = {{"name", "missing"},
                            {"base", test::config("arch/default_reconfigurable_16x16.json")},
                            {"parameters", nlohmann::json::array()},
                            {"workloads", {{{"workload", "no_such_workload.json"}}}}};
  test::write_json("hostile_missing.json", s);
  test::require_refusal(test::run_enos("explore --sweep hostile_missing.json --out hostile_missing_out"),
                        {"hostile_missing.json: sweep.workloads[0].workload: no_such_workload.json: cannot open"});
  nlohmann::json base = s;
  base["base"] = "no_such_arch.json";
  test::write_json("hostile_missing_base.json", base);
  test::require_refusal(test::run_enos("explore --sweep hostile_missing_base.json --out hostile_missing_out"),
                        {"sweep.base: no_such_arch.json: cannot open"});
}

// A layer the mapper cannot place is found in a worker: that is still the user's input (exit 2
// with the mapper's message), not a failed worker (exit 4); like simulate's, the message names
// the workload file, the layer's path and the architecture (it named none of them).
TEST_CASE("characterize of a layer that fits no mapping exits 2 from the worker", "[e2e][hostile]") {
  const std::string tiny = test::edited_arch("hostile_tiny_glb_c.json", [](nlohmann::json& a) {
    a["global_buffer"]["size_kib"] = 1;
    a["global_buffer"]["banks"] = 1;
  });
  std::ofstream("hostile_wide_fc.json") << R"({"name": "wide", "input": [4096, 1, 1], "layers": [
      {"name": "fc", "type": "fc", "out_features": 64}]})";
  const test::CommandResult r = test::run_enos("characterize --arch " + tiny +
                                               " --workload hostile_wide_fc.json --candidates int:w8a8 --jobs 2"
                                               " --cache hostile_cache_c --out hostile_wide_lut.json");
  test::require_refusal(r, {"hostile_wide_fc.json: workload.layers[0]: layer 'fc' cannot run on " + tiny +
                                ": no mapping of fc:4096,64 fits the global buffer"});
  CHECK_FALSE(fs::exists("hostile_wide_lut.json"));
}
