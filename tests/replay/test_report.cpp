// The validation report's contents: totals are the sums of the rows, the utilization
// definitions hold on a layer worked out by hand, keys carry units, and report.html shows
// exactly report.json's numbers, offline.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "../tools/run_command.hpp"
#include "dataflow/mapper.hpp"
#include "html_values.hpp"
#include "replay/report_format.hpp"
#include "replay/report_occupancy.hpp"
#include "replay/svg.hpp"
#include "replay_test_util.hpp"

using namespace enos;
using nlohmann::json;

namespace {

std::string slurp(const std::string& path) {
  std::ifstream f(path);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

// A mixed export (every layer kind; 1-, 8- and 16-lane modes) replayed with a budget.
std::string validated(const std::string& dir, const std::string& extra = "--budget-uj 5") {
  std::filesystem::remove_all(dir);
  test::CommandResult r = test::run_enos("dev-make-export --workload " + test::replay_data("mixed.json") +
                                         " --candidates int:w8a8,int:w2a2,bin:w1a8 --images 4 --out " + dir);
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  r = test::run_enos("validate --mapping " + dir + "/mapping.json --dataset fashion-mnist:" + dir +
                     "/data --images 4 --out " + dir + "/report " + extra);
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  return dir + "/report";
}

double sum_of(const json& object) {
  double s = 0;
  for (const auto& [k, v] : object.items()) s += v.get<double>();
  return s;
}

// Every number's key names its unit, says it is a fraction, or is a count of named things.
void check_units(const json& j, const std::string& path) {
  static const std::regex unit(R"(.*(_pj|_uj|_us|_mhz|_nm|_frac|cycles|_per_mac|_per_pe_cycle|_per_second|_macs)$)");
  static const std::set<std::string> counts = {
      "seed", "rows", "cols", "pes", "test_images", "checked_values", "mismatches", "first_mismatch_image", "images",
      "correct", "integer_reference_agreeing", "fake_quant_compared", "fake_quant_agreeing", "index", "label",
      "prediction", "fake_quant_prediction", "macs", "lanes", "glb_tiles", "array_passes", "count", "bits",
      "bytes", "k_tile", "p_tile", "by_operator_layers"};
  for (const auto& [k, v] : j.items()) {
    const std::string here = path + "/" + k;
    if (v.is_structured()) {
      // Maps keyed by level, cause or operator inherit their parent's unit.
      const bool map_of_numbers = v.is_object() && !v.empty() && v.begin()->is_number();
      if (map_of_numbers && (std::regex_match(k, unit) || counts.count(k))) continue;
      check_units(v, j.is_array() ? path + "/" + k : here);
      continue;
    }
    if (!v.is_number() || j.is_array()) continue;
    INFO(here);
    CHECK((std::regex_match(k, unit) || counts.count(k) > 0));
  }
}

}  // namespace

TEST_CASE("report.json: totals are the sums of the layers, cycles are integers, keys carry units", "[e2e][replay][report]") {
  const json r = json::parse(slurp(validated("report_totals") + "/report.json"));
  CHECK(r["format"] == "enos-validate-report/2");
  int64_t cycles = 0;
  for (const json& l : r["layers"]) {
    REQUIRE(l["cycles"].is_number_integer());
    int64_t parts = 0;
    for (const auto& [cause, n] : l["by_cause_cycles"].items()) {
      REQUIRE(n.is_number_integer());
      parts += n.get<int64_t>();
    }
    CHECK(parts == l["cycles"].get<int64_t>());
    cycles += l["cycles"].get<int64_t>();
    if (l["unit"] != "pe_array") continue;
    REQUIRE(l["array_cycles"].is_number_integer());
    const double busy = l["pe_busy_frac"], occupancy = l["lane_occupancy_frac"];
    CHECK(busy > 0);
    CHECK(busy <= 1);
    CHECK(occupancy > 0);
    CHECK(occupancy <= 1);
    CHECK(l["macs_per_pe_cycle"].get<double>() == Approx(busy * occupancy * l["lanes"].get<int>()));
    if (l["lanes"] == 1) CHECK(occupancy == 1.0);  // one MAC per operation: a busy PE is full
  }
  CHECK(r["latency"]["cycles"].get<int64_t>() == cycles);
  int64_t by_cause = 0;
  for (const auto& [cause, n] : r["latency"]["by_cause_cycles"].items()) by_cause += n.get<int64_t>();
  CHECK(by_cause == cycles);
  CHECK(sum_of(r["latency"]["by_cause_frac"]) == Approx(1));
  const json& e = r["energy"];
  CHECK(sum_of(e["by_level_pj"]) == Approx(e["replayed_uj"].get<double>() * 1e6));
  CHECK(sum_of(e["by_level_frac"]) == Approx(1));
  CHECK(sum_of(e["by_operator_frac"]) == Approx(1));
  CHECK(e["pj_per_mac"].get<double>() * e["macs"].get<double>() == Approx(e["replayed_uj"].get<double>() * 1e6));
  CHECK(e["budget_margin_uj"].get<double>() == Approx(5 - e["replayed_uj"].get<double>()));
  CHECK(e["budget_margin_frac"].get<double>() == Approx(e["budget_margin_uj"].get<double>() / 5));
  CHECK(e["budget_used_frac"].get<double>() == Approx(e["replayed_uj"].get<double>() / 5));
  const json& a = r["accuracy"];
  CHECK(a["accuracy_ci95_frac"][0].get<double>() <= a["accuracy_frac"].get<double>());
  CHECK(a["accuracy_ci95_frac"][1].get<double>() >= a["accuracy_frac"].get<double>());
  CHECK(a["integer_reference_agreement_frac"] == 1.0);
  check_units(r, "");
}

TEST_CASE("report.html shows report.json's numbers, offline, with the per-layer charts aligned", "[e2e][replay][report]") {
  const std::string dir = validated("report_html");
  const json r = json::parse(slurp(dir + "/report.json"));
  const std::string html = slurp(dir + "/report.html");
  CHECK(test::check_shown_values(html, r) > 100);
  // The verdict, the headroom and the utilization's definition are shown.
  CHECK(html.find("data-k=\"/energy/budget_margin_uj\"") != std::string::npos);
  CHECK(html.find("data-k=\"/energy/budget_margin_frac\"") != std::string::npos);
  CHECK(html.find("PE-cycles issuing an operation") != std::string::npos);
  // Offline: no scripts, nothing fetched.
  CHECK(html.find("<script") == std::string::npos);
  CHECK(!std::regex_search(html, std::regex(R"((src|href)="(https?:)?//)")));
  // One panel of aligned plots over the layers that are not pure remappings.
  int shown = 0;
  for (const json& l : r["layers"]) shown += !(l["unit"] == "address" && l["energy_pj"] == 0.0 && l["cycles"] == 0);
  CHECK(html.find("class=\"layer-panel\" data-layers=\"" + std::to_string(shown) + "\"") != std::string::npos);
  const std::regex plot(R"re(<g class="plot" data-title="[^"]*" data-x0="([^"]+)" data-x1="([^"]+)")re");
  std::set<std::string> edges;
  int plots = 0;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), plot); it != std::sregex_iterator(); ++it, ++plots)
    edges.insert((*it)[1].str() + "-" + (*it)[2].str());
  CHECK(plots == 3);
  CHECK(edges.size() == 1);
  // report.md tells the same story.
  const std::string md = slurp(dir + "/report.md");
  CHECK(md.find("headroom") != std::string::npos);
  CHECK(md.find("| PE utilization |") != std::string::npos);
  CHECK(md.find("PE util. (%)") != std::string::npos);
}

TEST_CASE("report flags: low utilization, and nothing when the thresholds hold", "[e2e][replay][report]") {
  const json r = json::parse(slurp(validated("report_flags") + "/report.json"));
  std::set<std::string> low;
  for (const json& l : r["layers"])
    if (l["unit"] == "pe_array" && l["pe_busy_frac"].get<double>() < 0.05) low.insert(l["name"]);
  bool flagged = false;
  for (const json& f : r["flags"]) {
    CHECK(f.contains("message"));
    if (f["kind"] != "low_utilization") continue;
    flagged = true;
    std::set<std::string> named;
    for (const json& n : f["layers"]) named.insert(n);
    CHECK(named == low);
  }
  CHECK(flagged == !low.empty());
  for (const json& f : r["flags"]) CHECK(f["kind"] != "low_integer_reference_agreement");  // bit-exact: all agree
}

TEST_CASE("PE utilization and lane occupancy of a layer worked out by hand", "[replay][report]") {
  // conv 3→8 channels, 6×6 input, 3×3 kernel: 4×4 outputs, reduction 27. int:w2a2 packs 16
  // lanes; weight-stationary on 16×16 PEs: one pass, 2 rows (27 of 32 lanes), 8 columns,
  // 16 pixels streamed, so 2 × 8 × 16 = 256 busy PE-cycles for 3,456 MACs.
  const spec::ArchSpec arch = spec::load_arch(test::config_file("arch/default_reconfigurable_16x16.json"));
  pe::ConvShape s;
  s.C = 3, s.K = 8, s.H = s.W = 6, s.R = s.S = 3;
  spec::Mapping m;
  m.dataflow = spec::Dataflow::WeightStationary;
  m.k_tile = 8, m.p_tile = 4;
  const dataflow::LayerPlan plan = dataflow::make_plan(s, pe::parse_candidate("int:w2a2"), arch, m);
  const replay::ArrayOccupancy o = replay::array_occupancy(plan);
  CHECK(o.lanes == 16);
  CHECK(o.glb_tiles == 1);
  CHECK(o.array_passes == 1);
  CHECK(o.busy_pe_cycles == 256);
  const replay::Utilization u = replay::utilization(s.macs(), 100, 256, o.busy_pe_cycles, double(o.busy_pe_cycles) * 16);
  CHECK(u.pe_busy_frac == Approx(256.0 / (100 * 256)));
  CHECK(u.lane_occupancy_frac == Approx(27.0 / 32));
  CHECK(u.macs_per_pe_cycle == Approx(3456.0 / (100 * 256)));
}

TEST_CASE("report numbers and axes: grouping, units, round ticks", "[replay][report]") {
  namespace fmt = replay::fmt;
  CHECK(fmt::number(1234567.891, 2) == "1,234,567.89");
  CHECK(fmt::number(-0.004, 2) == "0.00");  // no "−0.00"
  CHECK(fmt::number(-12.5, 1) == "\xe2\x88\x92" "12.5");
  CHECK(fmt::integer(13252040) == "13,252,040");
  CHECK(fmt::energy_unit(1.125e7).name == "µJ");
  CHECK(fmt::energy_unit(5e4).name == "nJ");
  CHECK(fmt::cycles_unit(6000).name == "cycles");
  const replay::svg::Axis a = replay::svg::nice_axis(11.25);
  CHECK(a.step == 2.5);  // 0, 2.5, …, 12.5: not 1.125e+07 split in four
  CHECK(a.top == 12.5);
  CHECK(a.decimals == 1);
  const replay::svg::Axis b = replay::svg::nice_axis(0.9);  // 0, 0.2, …, 1.0
  CHECK(b.step == Approx(0.2));
  CHECK(b.top == Approx(1.0));
  CHECK(b.decimals == 1);
  CHECK(replay::svg::nice_axis(180).step == 50);  // at most 5 intervals: 0 … 200
  CHECK(replay::svg::nice_axis(180).decimals == 0);
}
