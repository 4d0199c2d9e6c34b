// The top of report.html: the verdict with energy, budget and headroom, then one small card
// per question an architect asks first (latency, throughput, accuracy, exactness, agreement,
// utilization), then the automatic flags.
#include <cmath>
#include <cstdio>

#include "replay/report_format.hpp"
#include "replay/report_html_parts.hpp"

namespace enos::replay::html {
namespace {

using nlohmann::json;
using fmt::escape_html;

const json& at(const json& r, const std::string& pointer) { return r.at(json::json_pointer(pointer)); }

std::string card(const std::string& css, const std::string& title, const std::string& big, const std::string& detail) {
  return "<div class=\"card " + css + "\"><h3>" + title + "</h3><div class=\"big\">" + big + "</div><p>" + detail +
         "</p></div>\n";
}

std::string verdict_title(const std::string& verdict) {
  if (verdict == "within_budget") return "Within budget";
  if (verdict == "over_budget") return "Over budget";
  if (verdict == "no_budget") return "No budget given";
  return "Mismatch: the hardware's outputs differ from the integer reference";
}

std::string energy_card(const json& r) {
  const double err = r["energy"]["lut_error_frac"].get<double>();
  return card("energy", "Energy / inference", value(r, "/energy/replayed_uj", 1, 2) + " µJ",
              "array " + value(r, "/energy/array_uj", 1, 2) + " + post-processing " + value(r, "/energy/ppu_uj", 1, 2) +
                  " µJ; LUT (array) " + value(r, "/energy/lut_estimate_uj", 1, 2) + " µJ" +
                  (std::abs(err) < 1e-9 ? std::string(", equal") : " (" + percent_value(r, "/energy/lut_error_frac", 2) + ")") +
                  "; " + value(r, "/energy/pj_per_mac", 1, 2) + " pJ/MAC");
}

std::string latency_card(const json& r) {
  return card("latency", "Latency", value(r, "/latency/total_us", 1, 1) + " µs",
              value(r, "/latency/cycles", 1, 0) + " cycles at " + value(r, "/latency/clock_mhz", 1, 0) + " MHz; DRAM stalls " +
                  percent_value(r, "/latency/by_cause_frac/dram_bandwidth_stall") + ", fill/drain " +
                  percent_value(r, "/latency/by_cause_frac/fill_drain"));
}

std::string throughput_card(const json& r) {
  return card("throughput", "Throughput", value(r, "/latency/inferences_per_second", 1, 0) + " /s",
              "inferences per second, one at a time");
}

std::string accuracy_card(const json& r) {
  std::string detail = value(r, "/accuracy/correct", 1, 0) + " of " + value(r, "/accuracy/images", 1, 0) + " images";
  if (!r["accuracy"]["accuracy_ci95_frac"].is_null())
    detail += " (95 % interval " + value(r, "/accuracy/accuracy_ci95_frac/0", 100, 0) + "–" +
              percent_value(r, "/accuracy/accuracy_ci95_frac/1", 0) + ")";
  if (!r["export"]["accuracy_frac"].is_null())
    detail += "; export: " + percent_value(r, "/export/accuracy_frac") + " on " + value(r, "/export/test_images", 1, 0);
  return card("accuracy", "Accuracy", percent_value(r, "/accuracy/accuracy_frac"), detail);
}

std::string exactness_card(const json& r) {
  const bool ok = r["bit_exact"]["ok"].get<bool>();
  return card("exact", "Bit-exact", std::string(ok ? "yes" : "<span class=\"bad\">NO</span>"),
              value(r, "/bit_exact/checked_values", 1, 0) + " values vs the C++ integer reference¹, " +
                  value(r, "/bit_exact/mismatches", 1, 0) + " differ");
}

std::string agreement_card(const json& r) {
  const json& a = r["accuracy"];
  const std::string fq = a["fake_quant_agreement_frac"].is_null() ? "—" : percent_value(r, "/accuracy/fake_quant_agreement_frac");
  std::string detail = a["fake_quant_agreement_frac"].is_null()
                           ? std::string("no reference.json")
                           : value(r, "/accuracy/fake_quant_agreeing", 1, 0) + " of " +
                                 value(r, "/accuracy/fake_quant_compared", 1, 0) + " predictions";
  detail += "; with the integer reference " + percent_value(r, "/accuracy/integer_reference_agreement_frac");
  return card("agreement", "Agrees with fake-quant.¹", fq, detail);
}

std::string utilization_card(const json& r) {
  return card("utilization", "PE utilization", percent_value(r, "/utilization/pe_busy_frac"),
              "PE-cycles issuing an operation ÷ (cycles × " + value(r, "/utilization/pes", 1, 0) + " PEs); lanes full " +
                  percent_value(r, "/utilization/lane_occupancy_frac") + " of busy PE-cycles; " +
                  value(r, "/utilization/macs_per_pe_cycle", 1, 2) + " MACs/PE-cycle");
}

}  // namespace

std::string value(const json& r, const std::string& pointer, double scale, int decimals) {
  const json& v = at(r, pointer);
  if (v.is_null()) return "<span class=\"v\">—</span>";
  char s[32];
  std::snprintf(s, sizeof s, "%g", scale);
  return "<span class=\"v\" data-k=\"" + pointer + "\" data-scale=\"" + s + "\">" +
         fmt::number(v.get<double>() * scale, decimals) + "</span>";
}

std::string percent_value(const json& r, const std::string& pointer, int decimals) {
  if (at(r, pointer).is_null()) return "<span class=\"v\">—</span>";
  return value(r, pointer, 100, decimals) + "\u202f%";
}

std::string verdict_banner(const json& r) {
  const std::string verdict = r["verdict"];
  const bool good = verdict == "within_budget" || verdict == "no_budget";
  std::string line = value(r, "/energy/replayed_uj", 1, 2) + " µJ per inference";
  if (!r["energy"]["budget_uj"].is_null()) {
    // Over the budget the margin is negative: say "over by" and show its magnitude (scale −1).
    const bool over = r["energy"]["budget_margin_uj"].get<double>() < 0;
    const double sign = over ? -1 : 1;
    line += " = " + percent_value(r, "/energy/budget_used_frac") + " of the " + value(r, "/energy/budget_uj", 1, 2) +
            " µJ budget; " + (over ? "over by" : "headroom") + " <b>" + value(r, "/energy/budget_margin_uj", sign, 2) +
            " µJ (" + value(r, "/energy/budget_margin_frac", 100 * sign, 1) + "\u202f%)</b>";
  }
  return "<section class=\"verdict " + std::string(good ? "ok" : "bad") + "\" data-verdict=\"" + escape_html(verdict) +
         "\"><div class=\"title\">" + verdict_title(verdict) + "</div><div>" + line + "</div></section>\n";
}

std::string summary_cards(const json& r) {
  return "<section class=\"cards\">\n" + energy_card(r) + latency_card(r) + throughput_card(r) + accuracy_card(r) +
         exactness_card(r) + agreement_card(r) + utilization_card(r) + "</section>\n<p class=\"note\">¹ Bit-exactness compares the simulated hardware with the C++ integer reference, "
         "layer by layer; the fake-quantized model (LibTorch) computes in float and may round some values differently, so "
         "its predictions can differ (docs/export-format.md, “Exactness”).</p>\n";
}

std::string flag_list(const json& r) {
  if (r["flags"].empty()) return "<p class=\"noflags\">No flags: nothing crossed the report's thresholds.</p>\n";
  std::string out = "<ul class=\"flags\">";
  for (const json& f : r["flags"])
    out += "<li class=\"" + escape_html(f["severity"].get<std::string>()) + "\"><b>" +
           escape_html(f["kind"].get<std::string>()) + "</b>: " + escape_html(f["message"].get<std::string>()) + "</li>";
  return out + "</ul>\n";
}

}  // namespace enos::replay::html
