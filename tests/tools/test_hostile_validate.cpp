// `enos validate` against hostile input (issue 18 cases 1, 3, 6, 7, 9, 10): exit 2 naming the
// file and the JSON path or option, and no output left behind.
#include "hostile_util.hpp"

using namespace enos;
namespace fs = std::filesystem;

// Case 1: SystemC's VCD close ran during unwinding and crashed with SIGFPE (exit 136).
TEST_CASE("validate --vcd inside the --out folder it creates works", "[e2e][hostile][validate]") {
  const std::string dir = "hostile_vcd";
  test::make_export(dir);
  const test::CommandResult r =
      test::run_enos(test::validate(dir, "--out " + dir + "/new/report --vcd " + dir + "/new/report/conv1.vcd --window conv1"));
  INFO(r.output);
  CHECK(r.exit_code == 0);
  CHECK(fs::file_size(dir + "/new/report/conv1.vcd") > 100);
  CHECK(fs::exists(dir + "/new/report/report.json"));
}

TEST_CASE("validate --vcd to a place it cannot write exits 2 and leaves nothing", "[e2e][hostile][validate]") {
  const std::string dir = "hostile_vcd_bad";
  test::make_export(dir);
  test::require_refusal(test::run_enos(test::validate(dir, "--out " + dir + "/r --vcd /nonexistent/x.vcd --window conv1")),
                        {"--vcd: /nonexistent/x.vcd: cannot write there"});
  CHECK_FALSE(fs::exists(dir + "/r"));  // the folder it made is gone again
}

// Case 9: the whole report was written before the trace failed.
TEST_CASE("validate --trace to a place it cannot write exits 2 before writing anything", "[e2e][hostile][validate]") {
  const std::string dir = "hostile_trace";
  test::make_export(dir);
  test::require_refusal(test::run_enos(test::validate(dir, "--out " + dir + "/r --trace /nonexistent/t.json")),
                        {"--trace: /nonexistent/t.json"});
  CHECK_FALSE(fs::exists(dir + "/r/report.json"));
  test::require_refusal(test::run_enos(test::validate(dir, "--out " + dir + "/r2 --trace " + dir + "/r2/report.json")),
                        {"is also where --out writes"});
}

// Case 6: these were internal errors (exit 4).
TEST_CASE("validate --out naming a file or an unwritable place exits 2", "[e2e][hostile][validate]") {
  const std::string dir = "hostile_out";
  test::make_export(dir);
  std::ofstream(dir + "/a_file") << "x";
  test::require_refusal(test::run_enos(test::validate(dir, "--out " + dir + "/a_file")),
                        {"--out: " + dir + "/a_file: exists and is not a folder"});
  test::require_refusal(test::run_enos(test::validate(dir, "--out /proc/enos_report")), {"--out: /proc/enos_report"});
}

// Case 7: a negative or NaN budget was taken as "no budget" (exit 0).
TEST_CASE("validate --budget-uj must be a finite number ≥ 0", "[e2e][hostile][validate]") {
  const std::string dir = "hostile_budget";
  test::make_export(dir);
  for (const char* bad : {"-1", "-5", "nan", "inf", "''", "12x"}) {
    INFO(bad);
    test::require_refusal(test::run_enos(test::validate(dir, std::string("--out ") + dir + "/r --budget-uj " + bad)),
                          {"--budget-uj"});
  }
  const test::CommandResult ok = test::run_enos(test::validate(dir, "--out " + dir + "/r --budget-uj 1000"));
  INFO(ok.output);
  CHECK(ok.exit_code == 0);
}

// Cases 3 and 10 end to end: the report said bit-exact after reading the wrong weights.
TEST_CASE("validate refuses a wrapped weights offset and unchecked export fields", "[e2e][hostile][validate]") {
  const std::string dir = "hostile_export";
  test::make_export(dir);
  nlohmann::json n = test::read_json(dir + "/network.json");
  n["layers"][0]["weights"]["offset"] = int64_t(1) << 62;
  test::write_json(dir + "/network.json", n);
  test::require_refusal(test::run_enos(test::validate(dir, "--out " + dir + "/r")),
                        {dir + "/network.json: network.layers[0].weights: slice [4611686018427387904"});
  test::make_export(dir);
  nlohmann::json m = test::read_json(dir + "/mapping.json");
  m["network"] = "";
  test::write_json(dir + "/mapping.json", m);
  test::require_refusal(test::run_enos(test::validate(dir, "--out " + dir + "/r")),
                        {dir + "/mapping.json: mapping.network: must name a file"});
  CHECK_FALSE(fs::exists(dir + "/r"));
}
