// `enos explore` end to end: results and invalid points, shards merged into exactly a single
// run's results, a killed sweep resumed, and sweep mistakes refused with their JSON path.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include <nlohmann/json.hpp>

#include "run_command.hpp"

using namespace enos;
namespace fs = std::filesystem;

namespace {

std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

int lines_of(const std::string& path) {
  std::ifstream f(path);
  int n = 0;
  for (std::string line; std::getline(f, line);) ++n;
  return n;
}

// A small sweep over the tiny workload: 2 array shapes x 3 global-buffer sizes = 6 points.
std::string small_sweep(const std::string& path, const std::string& extra_param = "") {
  nlohmann::json s = {
      {"name", "small"},
      {"base", test::config("arch/default_reconfigurable_16x16.json")},
      {"parameters",
       {{{"keys", {"pe_array.rows", "pe_array.cols"}}, {"values", {{8, 8}, {16, 16}}}},
        {{"key", "global_buffer.size_kib"}, {"range", {{"from", 32}, {"to", 128}, {"times", 2}}}}}},
      {"workloads", {{{"workload", test::config("workloads/tiny.json")}, {"candidates", {"int:w8a8", "int:w4a4"}}}}}};
  if (!extra_param.empty()) s["parameters"].push_back(nlohmann::json::parse(extra_param));
  std::ofstream(path) << s.dump(1);
  return path;
}

std::string explore(const std::string& sweep, const std::string& out, const std::string& cache,
                    const std::string& extra = "") {
  return "explore --sweep " + sweep + " --out " + out + " --cache " + cache + " --jobs 1 " + extra;
}

void require_same_results(const std::string& a, const std::string& b) {
  for (const char* f : {"results.csv", "results.json", "pareto.csv", "index.html"}) {
    INFO(f);
    REQUIRE(fs::exists(a + "/" + f));
    CHECK(slurp(a + "/" + f) == slurp(b + "/" + f));
  }
}

}  // namespace

TEST_CASE("explore evaluates every point and lists invalid ones with their reason", "[e2e][explore]") {
  fs::remove_all("ex_a");
  const test::CommandResult r =
      test::run_enos(explore(test::config("sweeps/example_tiny.json"), "ex_a/out", "ex_a/cache"));
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  CHECK(r.output.find("24 points") != std::string::npos);
  CHECK(r.output.find("area table default_45nm_area (45 nm)") != std::string::npos);
  CHECK(fs::exists("ex_a/out/points/p0000.json"));
  const nlohmann::json res = nlohmann::json::parse(slurp("ex_a/out/results.json"));
  int invalid_points = 0, unsupported = 0, front = 0, valid = 0;
  for (const auto& row : res["rows"]) {
    const std::string reason = row.value("reason", "");
    if (reason.find("weight_stationary needs neighbour psum links") != std::string::npos) ++invalid_points;
    if (reason.find("does not support int:w2a2") != std::string::npos) ++unsupported;
    if (row["valid"].get<bool>()) {
      ++valid;
      CHECK(row["energy_uj"].get<double>() > 0);
      CHECK(row["area_mm2"].get<double>() > 0);
      CHECK(row["edp_uj_us"].get<double>() == Approx(row["energy_uj"].get<double>() * row["latency_us"].get<double>()));
      CHECK(row["utilization"].get<double>() > 0);
      CHECK(row["utilization"].get<double>() <= 1);
      front += row["pareto"].get<bool>() ? 1 : 0;
    }
  }
  CHECK(invalid_points == 8);  // the multicast_bus + weight_stationary third of the points
  CHECK(unsupported == 8 * 2);  // int:w2a2 removed: its uni-operator row and the mapping's row
  CHECK(valid == 16 * 4 - 16);
  CHECK(front >= 2);
  CHECK(lines_of("ex_a/out/results.csv") == 1 + 8 + 16 * 4);
  CHECK(lines_of("ex_a/out/pareto.csv") == 1 + front);
  const std::string html = slurp("ex_a/out/index.html");
  CHECK(html.find("<svg") != std::string::npos);
  // Front points are marked (outlined, and only they are).
  const std::regex front_marker(R"(class="pt" fill="#[0-9a-f]{6}" stroke="#000")");
  const auto marked = std::distance(std::sregex_iterator(html.begin(), html.end(), front_marker), std::sregex_iterator());
  CHECK(marked == 3 * front);  // three views of each front row
}

TEST_CASE("shards merged give exactly the results of a single run", "[e2e][explore]") {
  fs::remove_all("ex_b");
  fs::create_directories("ex_b");
  const std::string sweep = small_sweep("ex_b/sweep.json");
  REQUIRE(test::run_enos(explore(sweep, "ex_b/single", "ex_b/cache")).exit_code == 0);
  for (const char* s : {"1/3", "2/3", "3/3"}) {
    const test::CommandResult r =
        test::run_enos(explore(sweep, std::string("ex_b/shard") + s[0], "ex_b/cache", std::string("--shard ") + s));
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    CHECK(r.output.find("2 in this run") != std::string::npos);
  }
  CHECK(fs::exists("ex_b/shard1/points/p0000.json"));
  CHECK(fs::exists("ex_b/shard1/points/p0003.json"));  // index % 3 == 0
  CHECK(!fs::exists("ex_b/shard1/points/p0001.json"));
  const test::CommandResult partial = test::run_enos("explore merge ex_b/shard1 ex_b/shard2 --out ex_b/partial");
  INFO(partial.output);
  CHECK(partial.exit_code == 2);
  CHECK(partial.output.find("2 of 6 points") != std::string::npos);
  const test::CommandResult m = test::run_enos("explore merge ex_b/shard1 ex_b/shard2 ex_b/shard3 --out ex_b/merged");
  INFO(m.output);
  REQUIRE(m.exit_code == 0);
  require_same_results("ex_b/single", "ex_b/merged");
}

TEST_CASE("a killed sweep continues where it stopped", "[e2e][explore]") {
  fs::remove_all("ex_c");
  const std::string sweep = test::config("sweeps/example_tiny.json");
  const std::string cmd = std::string(ENOS_BINARY) + " " + explore(sweep, "ex_c/killed", "ex_c/cache");
  // Kill the whole process group (parent and workers) once a few points are on disk. Waits up
  // to 2 minutes: the ASan tree on a loaded CI machine took more than 15 s for three points.
  const int rc = std::system(("setsid sh -c 'exec " + cmd + " >/dev/null 2>&1' & pid=$!; "
                              "for i in $(seq 2400); do n=$(ls ex_c/killed/points 2>/dev/null | grep -c json); "
                              "[ \"$n\" -ge 3 ] && break; sleep 0.05; done; "
                              "kill -9 -$pid 2>/dev/null; wait $pid 2>/dev/null; true").c_str());
  REQUIRE(rc == 0);
  std::size_t before = 0;
  for (const auto& f : fs::directory_iterator("ex_c/killed/points")) before += f.path().extension() == ".json";
  REQUIRE(before >= 1);  // killed mid-sweep: some points done (3, unless the wait ran out)
  REQUIRE(before < 24);
  const test::CommandResult r = test::run_enos(explore(sweep, "ex_c/killed", "ex_c/cache"));
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  CHECK(r.output.find("(" + std::to_string(before) + " already done") != std::string::npos);
  REQUIRE(test::run_enos(explore(sweep, "ex_c/clean", "ex_c/cache")).exit_code == 0);
  require_same_results("ex_c/killed", "ex_c/clean");
  for (const auto& f : fs::directory_iterator("ex_c/killed/points"))
    CHECK(f.path().filename().string().find(".tmp.") == std::string::npos);
}

TEST_CASE("an invalid point never stops the sweep: a value the parser refuses", "[e2e][explore]") {
  fs::remove_all("ex_d");
  fs::create_directories("ex_d");
  // (A key the sweep does not vary already: sweeping one key twice is a mistake in the sweep.)
  const std::string sweep = small_sweep("ex_d/sweep.json", R"({"key": "noc.fifo_depth", "values": [0, 4]})");
  const test::CommandResult r = test::run_enos(explore(sweep, "ex_d/out", "ex_d/cache"));
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  CHECK(slurp("ex_d/out/results.csv").find("arch.noc.fifo_depth: must be ≥ 1, got 0") != std::string::npos);
}

TEST_CASE("sweep mistakes are refused with file, JSON path and reason (exit 2)", "[e2e][explore][errors]") {
  fs::remove_all("ex_e");
  fs::create_directories("ex_e");
  const std::string base = small_sweep("ex_e/base.json");
  const nlohmann::json good = nlohmann::json::parse(slurp(base));
  struct Case {
    std::string edit, expect;
  };
  const Case cases[] = {
      {R"({"op": "add", "path": "/colour", "value": 1})", "sweep: unknown key 'colour'"},
      {R"({"op": "replace", "path": "/parameters/0/keys/0", "value": "pe_array.rowz"})", "sweep.parameters[0].keys"},
      {R"({"op": "replace", "path": "/parameters/0/values/0", "value": [8]})", "sweep.parameters[0].values[0]: needs one value per key"},
      {R"({"op": "add", "path": "/parameters/1/range/step", "value": 2})", "sweep.parameters[1].range: give exactly one of 'step' and 'times'"},
      {R"({"op": "replace", "path": "/workloads/0/candidates/0", "value": "int:w9"})", "sweep.workloads[0].candidates[0]"},
      {R"({"op": "replace", "path": "/workloads", "value": []})", "sweep.workloads: must list at least one workload"},
      {R"({"op": "replace", "path": "/workloads/0", "value": {"model": "no_such_net"}})", "sweep.workloads[0].model"},
  };
  for (const Case& c : cases) {
    const nlohmann::json bad = good.patch(nlohmann::json::array({nlohmann::json::parse(c.edit)}));
    std::ofstream("ex_e/bad.json") << bad.dump(1);
    const test::CommandResult r = test::run_enos(explore("ex_e/bad.json", "ex_e/out", "ex_e/cache"));
    INFO(c.edit << "\n" << r.output);
    CHECK(r.exit_code == 2);
    CHECK(r.output.find("ex_e/bad.json: " + c.expect) != std::string::npos);
  }
  for (const std::string& extra : {std::string("--shard 3/2"), std::string("--shard x"), std::string("--jobs 0")}) {
    const test::CommandResult r = test::run_enos(explore(base, "ex_e/out", "ex_e/cache", extra));
    INFO(extra << "\n" << r.output);
    CHECK(r.exit_code == 2);
  }
  // A mapped network whose layers do not match its workload: the error is in the mapping file.
  nlohmann::json mapping = nlohmann::json::parse(slurp(test::config("sweeps/tiny_mapping.json")));
  mapping["layers"][1]["name"] = "dw9";
  std::ofstream("ex_e/mapping.json") << mapping.dump();
  nlohmann::json with_mapping = good;
  with_mapping["workloads"] = {{{"mapping", "mapping.json"}}};
  std::ofstream("ex_e/mapped.json") << with_mapping.dump();
  const test::CommandResult m = test::run_enos(explore("ex_e/mapped.json", "ex_e/out", "ex_e/cache"));
  INFO(m.output);
  CHECK(m.exit_code == 2);
  CHECK(m.output.find("ex_e/mapping.json: mapping.layers[1].name: expected MAC layer 'dw2'") != std::string::npos);
  const test::CommandResult missing = test::run_enos(explore("ex_e/none.json", "ex_e/out", "ex_e/cache"));
  CHECK(missing.exit_code == 2);
  // An output folder of another sweep is not overwritten.
  REQUIRE(test::run_enos(explore(small_sweep("ex_e/one.json", R"({"key": "clock_mhz", "values": [400]})"), "ex_e/taken",
                                 "ex_e/cache")).exit_code == 0);
  const test::CommandResult other = test::run_enos(explore(base, "ex_e/taken", "ex_e/cache"));
  INFO(other.output);
  CHECK(other.exit_code == 2);
  CHECK(other.output.find("another sweep") != std::string::npos);
}

TEST_CASE("explore --search runs enos search on each front point's full LUT, once", "[e2e][explore][search]") {
  fs::remove_all("ex_f");
  fs::create_directories("ex_f");
  // A stand-in for `enos search` (the real one needs LibTorch): checks the LUT it is given,
  // records its options and writes the export's totals.
  std::ofstream("ex_f/fake_enos.sh") << "#!/bin/sh\n[ \"$1\" = search ] || exit 9\nall=\"$*\"; out=; lut=\n"
                                        "while [ $# -gt 0 ]; do case \"$1\" in --out) out=$2; shift;; --lut) lut=$2; shift;; esac; shift; done\n"
                                        "[ -f \"$lut\" ] || exit 8\nmkdir -p \"$out\"\necho \"$all\" > \"$out/args.txt\"\n"
                                        "echo '{\"totals\": {\"energy_pj\": 5e6, \"latency_cycles\": 1234, \"accuracy\": 0.5}}' > \"$out/mapping.json\"\n";
  fs::permissions("ex_f/fake_enos.sh", fs::perms::owner_all);
  nlohmann::json s = {{"name", "searchable"},
                      {"base", test::config("arch/default_reconfigurable_16x16.json")},
                      {"parameters", {{{"key", "dram.bytes_per_cycle"}, {"values", {8, 16}}}}},
                      {"workloads", {{{"model", "shufflenetv2_x0.5"}, {"candidates", {"int:w8a8"}}}}}};
  std::ofstream("ex_f/sweep.json") << s.dump();
  const std::string cmd = explore("ex_f/sweep.json", "ex_f/out", "ex_f/cache",
                                  "--search --search-dataset cifar10:/data --search-enos ex_f/fake_enos.sh");
  const test::CommandResult r = test::run_enos(cmd);
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  CHECK(r.output.find("search on ") != std::string::npos);  // progress, in order, on the command's output
  CHECK(r.output.find("searched ") > r.output.find("search on "));
  CHECK(r.output.find(" front points (0 failed); wrote ex_f/out/search.csv") != std::string::npos);
  const std::string csv = slurp("ex_f/out/search.csv");
  CHECK(csv.find(",\"ok\",") != std::string::npos);
  CHECK(csv.find(",0.5,5.000000,1234,") != std::string::npos);
  bool found = false;
  for (const auto& d : fs::directory_iterator("ex_f/out/search")) {
    found = true;
    const nlohmann::json lut = nlohmann::json::parse(slurp(d.path().string() + "/lut.json"));
    // Every mode of the point's PE, not only the sweep's.
    const nlohmann::json arch = nlohmann::json::parse(slurp(test::config("arch/default_reconfigurable_16x16.json")));
    CHECK(lut["candidates"].size() == arch["pe"]["modes"].size());
    CHECK(arch["pe"]["modes"].size() > 1);
    const std::string args = slurp(d.path().string() + "/run/args.txt");
    CHECK(args.find("--model shufflenetv2_x0.5") != std::string::npos);
    CHECK(args.find("--dataset cifar10:/data") != std::string::npos);
    CHECK(args.find("--epochs 1") != std::string::npos);
    CHECK(args.find("--budget-fit reserve") != std::string::npos);  // the front is compared by the LUT
  }
  CHECK(found);
  const test::CommandResult again = test::run_enos(cmd);
  INFO(again.output);
  REQUIRE(again.exit_code == 0);
  CHECK(again.output.find("search on") == std::string::npos);  // resumed: nothing searched again
  CHECK(test::run_enos(explore("ex_f/sweep.json", "ex_f/out", "ex_f/cache", "--search")).exit_code == 2);
  CHECK(test::run_enos(explore("ex_f/sweep.json", "ex_f/s1", "ex_f/cache", "--search --search-dataset x --shard 1/2"))
            .exit_code == 2);
}

TEST_CASE("a mapped network's row is the sum of its layers' LUT entries on that architecture", "[e2e][explore]") {
  fs::remove_all("ex_g");
  fs::create_directories("ex_g");
  REQUIRE(test::run_enos("characterize --workload " + test::config("workloads/tiny.json") +
                         " --cache ex_g/cache --jobs 1 --out ex_g/lut.json")
              .exit_code == 0);
  const nlohmann::json lut = nlohmann::json::parse(slurp("ex_g/lut.json"));
  const nlohmann::json mapping = nlohmann::json::parse(slurp(test::config("sweeps/tiny_mapping.json")));
  double energy_pj = 0;
  int64_t cycles = 0;
  for (std::size_t l = 0; l < lut["layers"].size(); ++l)
    for (const auto& e : lut["layers"][l]["entries"])
      if (e["candidate"] == mapping["layers"][l]["candidate"]) {
        energy_pj += e["energy_pj"].get<double>();
        cycles += e["cycles"].get<int64_t>();
      }
  nlohmann::json s = {{"name", "one"},
                      {"base", test::config("arch/default_reconfigurable_16x16.json")},
                      {"parameters", nlohmann::json::array()},
                      {"workloads", {{{"mapping", test::config("sweeps/tiny_mapping.json")}}}}};
  std::ofstream("ex_g/sweep.json") << s.dump();
  const test::CommandResult r = test::run_enos(explore("ex_g/sweep.json", "ex_g/out", "ex_g/cache"));
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  CHECK(r.output.find(" 0 evaluated") == std::string::npos);
  const nlohmann::json row = nlohmann::json::parse(slurp("ex_g/out/results.json"))["rows"][0];
  CHECK(row["operator"] == "mapping");
  CHECK(row["energy_uj"].get<double>() * 1e6 == Approx(energy_pj).epsilon(1e-12));
  CHECK(row["cycles"].get<int64_t>() == cycles);
}
