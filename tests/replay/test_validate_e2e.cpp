// `enos validate` end to end: exit codes, refusals, the report's JSON schema, and the report
// checked by hand on a two-layer network.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "../tools/run_command.hpp"
#include "replay_test_util.hpp"

using namespace enos;
using nlohmann::json;

namespace {

std::string make_export(const std::string& dir, const std::string& workload, const std::string& candidates) {
  std::filesystem::remove_all(dir);
  const test::CommandResult r = test::run_enos("dev-make-export --workload " + test::replay_data(workload) +
                                               " --candidates " + candidates + " --images 4 --out " + dir);
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  return dir + "/mapping.json";
}

test::CommandResult validate(const std::string& mapping, const std::string& dir, const std::string& extra) {
  return test::run_enos("validate --mapping " + mapping + " --dataset fashion-mnist:" + dir + "/data --images 4 --out " +
                        dir + "/report " + extra);
}

json read_json(const std::string& file) {
  std::ifstream f(file);
  return json::parse(f);
}

void edit_json(const std::string& file, const std::function<void(json&)>& edit) {
  json j = read_json(file);
  edit(j);
  std::ofstream(file) << j.dump(1);
}

}  // namespace

TEST_CASE("validate exit codes: 0 within budget, 3 over budget, 2 bad input", "[e2e][replay]") {
  const std::string dir = "validate_exit";
  const std::string mapping = make_export(dir, "two_layer.json", "int:w8a8");
  test::CommandResult r = validate(mapping, dir, "--budget-uj 1000");
  INFO(r.output);
  CHECK(r.exit_code == 0);
  CHECK(r.output.find("verdict: within_budget") != std::string::npos);
  r = validate(mapping, dir, "--budget-uj 0.000001");
  CHECK(r.exit_code == 3);
  CHECK(r.output.find("verdict: over_budget") != std::string::npos);
  r = validate(mapping, dir, "");
  CHECK(r.exit_code == 0);  // no budget anywhere: nothing to exceed
  CHECK(r.output.find("verdict: no_budget") != std::string::npos);
  r = test::run_enos("validate --mapping " + mapping + " --out " + dir + "/r3 --dataset fashion-mnist:/nonexistent");
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("/nonexistent/t10k-images-idx3-ubyte.gz") != std::string::npos);
  r = test::run_enos("validate --mapping " + mapping + " --out " + dir + "/r4 --dataset cifar10:" + dir + "/data");
  CHECK(r.exit_code == 2);
  r = test::run_enos("validate --mapping " + dir + "/nothing.json --out " + dir + "/r5");
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("nothing.json") != std::string::npos);
  r = test::run_enos("validate --mapping " + mapping + " --out " + dir + "/r2 --dataset fashion-mnist:" + dir +
                     "/data --images 99");
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("--images") != std::string::npos);
}

TEST_CASE("validate refuses an export made for another architecture", "[e2e][replay]") {
  const std::string dir = "validate_arch";
  const std::string mapping = make_export(dir, "two_layer.json", "int:w8a8");
  const test::CommandResult r =
      validate(mapping, dir, "--arch " + test::config_file("arch/ws_systolic_16x16.json"));
  INFO(r.output);
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("is not the one the export was searched for") != std::string::npos);
  CHECK(r.output.find("ws_systolic_16x16.json: arch:") != std::string::npos);
}

TEST_CASE("validate names the file and JSON path of a malformed export", "[e2e][replay]") {
  const std::string dir = "validate_bad";
  const std::string mapping = make_export(dir, "two_layer.json", "int:w4a4");
  struct Case {
    std::string file, expect;
    std::function<void(json&)> edit;
  };
  const std::vector<Case> cases = {
      {"network.json", "network.json: network.layers[0].output.requant: must have one channel per output channel",
       [](json& j) { j["layers"][0]["output"]["requant"].erase(0); }},
      {"network.json", "network.json: network.layers[0]: unknown key 'extra'", [](json& j) { j["layers"][0]["extra"] = 1; }},
      {"network.json", "network.json: network.layers[0].weights.count: must be the layer's weight count",
       [](json& j) { j["layers"][0]["weights"]["count"] = 3; }},
      {"mapping.json", "mapping.json: mapping.layers[0].name: expected 'conv1'", [](json& j) { j["layers"][0]["name"] = "x"; }},
      {"mapping.json", "mapping.json: mapping.format: expected", [](json& j) { j["format"] = "enos-mapping/9"; }},
      {"network.json", "network.json: network.layers[1].input_rescale: is null", [](json& j) {
         j["layers"][1]["input_rescale"] = nullptr;
         j["layers"][1]["act_scale"] = 123.0;
       }},
  };
  for (const Case& c : cases) {
    const std::string copy = dir + "_case";
    std::filesystem::remove_all(copy);
    std::filesystem::copy(dir, copy, std::filesystem::copy_options::recursive);
    edit_json(copy + "/" + c.file, c.edit);
    const test::CommandResult r = validate(copy + "/mapping.json", copy, "");
    INFO(c.expect << "\n" << r.output);
    CHECK(r.exit_code == 2);
    CHECK(r.output.find(c.expect) != std::string::npos);
  }
  // A weight code outside the candidate's range.
  std::ofstream(dir + "/weights.bin", std::ios::binary | std::ios::in | std::ios::out).write("\x7f\x00\x00\x00", 4);
  const test::CommandResult r = validate(mapping, dir, "");
  INFO(r.output);
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("network.layers[0].weights: code 0 is 127, outside int:w4a4's range") != std::string::npos);
}

TEST_CASE("report.json has the documented keys and types", "[e2e][replay]") {
  const std::string dir = "validate_schema";
  const std::string mapping = make_export(dir, "mixed.json", "int:w8a8,bin:w1a8,mf:w8a8");
  const test::CommandResult r = validate(mapping, dir, "--budget-uj 5");
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  const json j = read_json(dir + "/report/report.json");
  for (const char* k : {"format", "tool_version", "verdict", "architecture", "energy_table", "export", "dataset", "bit_exact",
                        "energy", "latency", "utilization", "accuracy", "flags", "layers"})
    CHECK(j.contains(k));
  CHECK(j["format"] == "enos-validate-report/2");
  for (const char* k : {"name", "file", "hash", "clock_mhz", "technology_nm", "pe_array"}) CHECK(j["architecture"].contains(k));
  for (const char* k : {"name", "file", "hash", "technology_nm", "matches_export"}) CHECK(j["energy_table"].contains(k));
  for (const char* k : {"replayed_uj", "array_uj", "ppu_uj", "lut_estimate_uj", "lut_error_frac", "budget_uj",
                        "budget_margin_uj", "budget_margin_frac", "budget_used_frac", "macs", "pj_per_mac", "by_level_pj",
                        "by_level_frac", "by_level_pj_per_mac", "by_operator_pj", "by_operator_frac"})
    CHECK(j["energy"].contains(k));
  for (const char* k : {"cycles", "array_cycles", "ppu_cycles", "total_us", "inferences_per_second", "clock_mhz",
                        "by_cause_cycles", "by_cause_frac"})
    CHECK(j["latency"].contains(k));
  for (const char* k : {"macs", "pes", "busy_pe_cycles", "macs_per_pe_cycle", "pe_busy_frac", "lane_occupancy_frac",
                        "lane_slot_frac"})
    CHECK(j["utilization"].contains(k));
  for (const char* k : {"images", "correct", "accuracy_frac", "accuracy_ci95_frac", "integer_reference_agreement_frac",
                        "fake_quant_compared", "fake_quant_agreement_frac", "per_image"})
    CHECK(j["accuracy"].contains(k));
  CHECK(j["bit_exact"]["ok"] == true);
  CHECK(j["layers"].size() == 15);
  for (const json& l : j["layers"]) {
    for (const char* k : {"name", "type", "unit", "energy_pj", "energy_frac", "ppu_energy_pj", "ppu_actions", "ppu_cycles",
                          "cycles", "by_cause_cycles", "latency_us", "energy_by_level_pj", "bit_exact"})
      CHECK(l.contains(k));
    if (l["unit"] != "pe_array") continue;
    for (const char* k : {"candidate", "dataflow", "lanes", "glb_tiles", "array_passes", "array_energy_pj", "lut_energy_pj",
                          "lut_error_frac", "array_cycles", "lut_cycles", "macs", "busy_pe_cycles", "macs_per_pe_cycle",
                          "pe_busy_frac", "lane_occupancy_frac", "mapping", "counts_vary_between_images"})
      CHECK(l.contains(k));
    CHECK(std::abs(l["lut_error_frac"].get<double>()) < 0.02);
  }
  CHECK(std::filesystem::file_size(dir + "/report/report.md") > 0);
  CHECK(std::filesystem::file_size(dir + "/report/report.html") > 0);
}

TEST_CASE("the report of a two-layer network checked by hand", "[e2e][replay]") {
  const std::string dir = "validate_hand";
  const std::string mapping = make_export(dir, "two_layer.json", "int:w8a8,int:w4a4");
  const test::CommandResult r = validate(mapping, dir, "--budget-uj 2");
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  const json rep = read_json(dir + "/report/report.json");
  const json lut = read_json(dir + "/lut.json");
  const json net = read_json(dir + "/network.json");
  // LUT: conv1 in int:w8a8 (entry 0), fc in int:w4a4 (entry 1).
  const json& conv_entry = lut["layers"][0]["entries"][0];
  const json& fc_entry = lut["layers"][1]["entries"][1];
  REQUIRE(conv_entry["candidate"] == "int:w8a8");
  REQUIRE(fc_entry["candidate"] == "int:w4a4");
  const double lut_pj = conv_entry["energy_pj"].get<double>() + fc_entry["energy_pj"].get<double>();
  // Post-processing by hand (default_45nm: multiply 3.1 pJ, add 0.1 pJ): conv1 requantizes
  // 4×4×4 = 64 outputs (one multiply and one add each); fc scales 10 logits (10 + 10) and, when
  // its input needs a rescale, multiplies its 64 inputs once more.
  // conv1 rescales the 1×8×8 image (scale 1/255) to its own input scale when they differ.
  const bool conv_rescales = !net["layers"][0]["input_rescale"].is_null();
  const bool fc_rescales = !net["layers"][1]["input_rescale"].is_null();
  const double multiplies = 64 + 10 + (conv_rescales ? 64 : 0) + (fc_rescales ? 64 : 0), adds = 64 + 10;
  const double ppu_pj = multiplies * 3.1 + adds * 0.1;
  CHECK(rep["energy"]["lut_estimate_uj"].get<double>() == Approx(lut_pj / 1e6).epsilon(1e-12));
  CHECK(rep["energy"]["array_uj"].get<double>() == Approx(lut_pj / 1e6).epsilon(1e-9));
  CHECK(rep["energy"]["ppu_uj"].get<double>() == Approx(ppu_pj / 1e6).epsilon(1e-9));
  CHECK(rep["energy"]["replayed_uj"].get<double>() == Approx((lut_pj + ppu_pj) / 1e6).epsilon(1e-9));
  CHECK(rep["energy"]["budget_margin_uj"].get<double>() == Approx(2 - (lut_pj + ppu_pj) / 1e6).epsilon(1e-9));
  // Latency: the two layers' cycles, in sequence, at 500 MHz.
  const double cycles = conv_entry["cycles"].get<double>() + fc_entry["cycles"].get<double>();
  CHECK(rep["latency"]["cycles"].get<double>() == Approx(cycles));
  CHECK(rep["latency"]["total_us"].get<double>() == Approx(cycles * 2.0 / 1000.0));
  CHECK(rep["latency"]["inferences_per_second"].get<double>() == Approx(1e6 / (cycles * 2.0 / 1000.0)));
  // Accuracy: the generator's labels equal the reference prediction on even images.
  CHECK(rep["accuracy"]["images"] == 4);
  CHECK(rep["accuracy"]["correct"].get<int>() >= 2);
  CHECK(rep["accuracy"]["fake_quant_agreement_frac"].get<double>() == 1.0);
  CHECK(rep["layers"][0]["energy_by_level_pj"]["dram"].get<double>() ==
        Approx(conv_entry["energy_by_level_pj"]["dram"].get<double>()));
}

TEST_CASE("validate --trace writes a Chrome trace of layers, array passes and DMA transfers", "[e2e][replay]") {
  const std::string dir = "validate_trace";
  const std::string mapping = make_export(dir, "mixed.json", "int:w4a4");
  const test::CommandResult r = validate(mapping, dir, "--trace " + dir + "/trace.json");
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  const json t = read_json(dir + "/trace.json");
  std::map<std::string, int> per_track;
  double layers_end = 0;
  for (const json& e : t["traceEvents"]) {
    if (e["ph"] != "X") continue;
    per_track[e["cat"].get<std::string>()]++;
    CHECK(e["dur"].get<double>() >= 0);
    if (e["cat"] == "layers") layers_end = std::max(layers_end, e["ts"].get<double>() + e["dur"].get<double>());
  }
  CHECK(per_track["layers"] == 10);  // every layer with cycles: 6 MAC + 4 post-processing passes
  CHECK(per_track["array"] > 0);
  CHECK(per_track["dma"] > 0);
  CHECK(per_track["ppu"] == 4);  // pool1, sum, avg, gap (the concat rescales on the DMA stream)
  int counters = 0;
  for (const json& e : t["traceEvents"]) counters += e["ph"] == "C" && e["args"].contains("dram");
  CHECK(counters == 11);  // one per layer with cycles, and the closing zero
  const json rep = read_json(dir + "/report/report.json");
  CHECK(layers_end == Approx(rep["latency"]["total_us"].get<double>()));
}

TEST_CASE("validate --vcd --window writes a VCD of one layer", "[e2e][replay]") {
  const std::string dir = "validate_vcd";
  const std::string mapping = make_export(dir, "two_layer.json", "int:w8a8");
  test::CommandResult r = validate(mapping, dir, "--vcd " + dir + "/conv1.vcd --window conv1");
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  std::ifstream f(dir + "/conv1.vcd");
  const std::string vcd((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  CHECK(vcd.find("$var") != std::string::npos);
  CHECK(vcd.find("macs") != std::string::npos);
  CHECK(vcd.find("array_busy") != std::string::npos);
  CHECK(vcd.find("#") != std::string::npos);  // time stamps: the layer was recorded
  r = validate(mapping, dir, "--vcd " + dir + "/x.vcd --window gap");
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("--window: gap: is not a MAC layer of the export (MAC layers: conv1, fc)") != std::string::npos);
  r = validate(mapping, dir, "--vcd " + dir + "/x.vcd");
  CHECK(r.exit_code == 2);
}

TEST_CASE("validate refuses a network whose operator differs from the mapping's choice", "[e2e][replay]") {
  const std::string dir = "validate_candidate";
  const std::string mapping = make_export(dir, "two_layer.json", "int:w8a8");
  edit_json(dir + "/mapping.json", [](json& j) { j["layers"][1]["candidate"] = "int:w4a4"; });
  const test::CommandResult r = validate(mapping, dir, "");
  INFO(r.output);
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("network.json: network.layers[1].candidate: int:w8a8 differs from mapping.json's int:w4a4 for 'fc'") !=
        std::string::npos);
}

TEST_CASE("validate refuses an export whose LUT changed since the search", "[e2e][replay]") {
  const std::string dir = "validate_lut";
  const std::string mapping = make_export(dir, "two_layer.json", "int:w8a8");
  test::CommandResult r = validate(mapping, dir, "");
  REQUIRE(r.exit_code == 0);
  CHECK(read_json(dir + "/report/report.json")["export"]["lut_checked"] == true);
  edit_json(dir + "/lut.json", [](json& j) { j["layers"][0]["entries"][0]["energy_pj"] = 1.0; });
  r = validate(mapping, dir, "");
  INFO(r.output);
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("mapping.json: mapping.lut.hash: is ") != std::string::npos);
  CHECK(r.output.find("it changed since the search read it") != std::string::npos);
}
