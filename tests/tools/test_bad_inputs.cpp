// Malformed architecture and workload files: `enos simulate` exits 2 and names the JSON path.
// The files and the expected fragments come from tests/tools/data/make_bad_inputs.py.
#include <catch2/catch.hpp>

#include <fstream>

#include <nlohmann/json.hpp>

#include "run_command.hpp"

using namespace enos;

namespace {

const std::string kData = std::string(ENOS_SOURCE_DIR) + "/tests/tools/data/";

nlohmann::json cases() {
  std::ifstream f(kData + "cases.json");
  return nlohmann::json::parse(f);
}

}  // namespace

TEST_CASE("every malformed input file exits 2 naming its path and reason", "[e2e][errors]") {
  const nlohmann::json all = cases();
  REQUIRE(all.size() >= 20);
  for (const auto& c : all) {
    const std::string file = kData + c["file"].get<std::string>();
    const std::string option = c["kind"] == "arch" ? "--arch " : "--workload ";
    const std::string other = c["kind"] == "arch" ? " --workload " + test::config("workloads/tiny.json") : "";
    const test::CommandResult r = test::run_enos("simulate -q " + option + test::shell_quote(file) + other);
    INFO(c.dump() << "\n" << r.output);
    CHECK(r.exit_code == 2);
    CHECK(r.output.find(c["expect"].get<std::string>()) != std::string::npos);
    CHECK(r.output.find(c["file"].get<std::string>().substr(4)) != std::string::npos);  // names the file
  }
}

TEST_CASE("an operator the PE does not support exits 2", "[e2e][errors]") {
  const test::CommandResult r = test::run_enos("simulate -q --layer fc:8,8 --op int:w3a3");
  INFO(r.output);
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("int:w3a3") != std::string::npos);
  CHECK(r.output.find("not supported") != std::string::npos);
}

TEST_CASE("malformed --layer and --op strings exit 2", "[e2e][errors]") {
  for (const char* args : {"--layer conv:1,2,3", "--layer pool:3,3", "--layer fc:0,4",
                           "--layer fc:8,8 --op int:w8", "--layer fc:8,8 --op float32",
                           "--layer fc:8,8 --seed minus-one", "--no-such-option"}) {
    const test::CommandResult r = test::run_enos(std::string("simulate -q ") + args);
    INFO(args << "\n" << r.output);
    CHECK(r.exit_code == 2);
    CHECK(r.output.find("error") != std::string::npos);
  }
}

TEST_CASE("a pinned mapping that does not fit the global buffer exits 2", "[e2e][errors]") {
  const std::string path = "pinned_too_big.json";
  std::ofstream(path) << R"({"name": "big", "input": [256, 64, 64], "layers": [
      {"name": "c", "type": "conv", "inputs": ["input"], "out_channels": 256, "kernel": 3,
       "stride": 1, "pad": 1, "groups": 1,
       "mapping": {"dataflow": "weight_stationary", "k_tile": 256, "p_tile": 64}}]})";
  const test::CommandResult r = test::run_enos("simulate -q --workload " + path);
  INFO(r.output);
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("global buffer") != std::string::npos);
}
