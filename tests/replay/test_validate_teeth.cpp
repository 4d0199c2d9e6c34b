// Validation with teeth (issue 14): the replay measures what the LUT could only assume — where
// the chosen network's tensors live, and how many of its activations are zero — and
// `enos validate` fails a network whose LUT was optimistic.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "../tools/run_command.hpp"
#include "replay_test_util.hpp"

using namespace enos;
using nlohmann::json;

namespace {

json read_json(const std::string& file) {
  std::ifstream f(file);
  return json::parse(f);
}

// A preset with an edit, written beside the test (energy table path made absolute).
std::string arch_file(const std::string& preset, const std::string& out, const std::function<void(json&)>& edit) {
  json a = read_json(test::config_file("arch/" + preset));
  a["energy_table"] = test::config_file("energy/default_45nm.json");
  edit(a);
  std::ofstream(out) << a.dump();
  return out;
}

struct Validated {
  test::CommandResult run;
  json report;
};

Validated revalidate(const std::string& dir, const std::string& arch, const std::string& extra) {
  Validated v;
  v.run = test::run_enos("validate --mapping " + dir + "/mapping.json --arch " + arch + " --dataset fashion-mnist:" + dir +
                         "/data --images 4 --out " + dir + "/report " + extra);
  v.report = read_json(dir + "/report/report.json");
  return v;
}

Validated export_and_validate(const std::string& dir, const std::string& arch, const std::string& candidates,
                              const std::string& extra = "") {
  std::filesystem::remove_all(dir);
  test::CommandResult r = test::run_enos("dev-make-export --arch " + arch + " --workload " + test::replay_data("mixed.json") +
                                         " --candidates " + candidates + " --images 4 --out " + dir);
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  return revalidate(dir, arch, extra);
}

}  // namespace

TEST_CASE("a LUT that assumed tensors on chip the chosen network cannot keep fails validation with exit 3",
          "[e2e][replay][residency]") {
  // A 2 KiB buffer: at int:w2a2 alone (this LUT's assumption for those layers) the maps fit beside
  // the tiles, next to int:w8a8 neighbours four times wider they leave other room; the search's
  // estimate is then optimistic.
  const std::string arch = arch_file("default_reconfigurable_16x16.json", "arch_teeth.json", [](json& a) {
    a["global_buffer"]["size_kib"] = 2;
    a["global_buffer"]["banks"] = 2;
  });
  // The LUT priced in each entry's own operator's plan (--lut-context candidate): the optimistic
  // assumption `enos characterize` avoids by pricing at the widest mode's plan.
  const Validated first = export_and_validate("teeth", arch, "int:w8a8,int:w2a2 --lut-context candidate");
  INFO(first.run.output);
  REQUIRE(first.run.exit_code == 0);  // no budget yet
  const json& e = first.report["energy"];
  const double array = e["array_uj"].get<double>(), lut = e["lut_estimate_uj"].get<double>();
  CHECK(array > lut * 1.05);
  bool explained = false;
  for (const json& l : first.report["layers"])
    if (l["unit"] == "pe_array" && l["lut_error_frac"].get<double>() != 0) {
      INFO(l["name"]);
      CHECK(!l["lut_error_causes"].empty());
      explained = explained || !l["lut_error_causes"].empty();
    }
  CHECK(explained);
  // The budget the search promised: its LUT estimate, plus the post-processing it leaves room for.
  char budget[64];
  std::snprintf(budget, sizeof budget, "--budget-uj %.9f", lut + e["ppu_uj"].get<double>());
  const Validated judged = revalidate("teeth", arch, budget);
  INFO(judged.run.output);
  CHECK(judged.run.exit_code == 3);
  CHECK(judged.report["verdict"] == "over_budget");
}

TEST_CASE("with zero gating, the replay counts the images' real zeros and names the difference per layer",
          "[e2e][replay][zero_gating]") {
  const std::string arch = arch_file("eyeriss_like_12x14.json", "arch_gating.json", [](json&) {});
  const Validated v = export_and_validate("gating", arch, "int:w8a8,int:w4a4");
  INFO(v.run.output);
  REQUIRE(v.run.exit_code == 0);
  int differing = 0;
  for (const json& l : v.report["layers"]) {
    if (l["unit"] != "pe_array") continue;
    INFO(l["name"] << " " << l["lut_error_causes"].dump());
    CHECK(l["input_zero_frac"].get<double>() >= 0);
    if (l["lut_input_zero_frac"].get<double>() == 0) continue;  // reads the pixels: no assumption
    CHECK(l["lut_error_frac"].get<double>() != 0);
    bool zeros_named = false;
    for (const json& c : l["lut_error_causes"]) zeros_named = zeros_named || c.get<std::string>().rfind("zeros:", 0) == 0;
    CHECK(zeros_named);
    ++differing;
  }
  CHECK(differing > 0);
}
