// report.html: the report JSON rendered as one self-contained page (inline CSS and SVG, no
// scripts or external files), so it opens offline and can be mailed as one file.
#include <cstdio>
#include <sstream>

#include "replay/report.hpp"
#include "replay/svg.hpp"

namespace enos::replay {
namespace {

using nlohmann::json;

const char* const kLevelColors[][2] = {{"dram", "#4e79a7"}, {"glb", "#f28e2b"}, {"noc", "#59a14f"},
                                       {"spad", "#edc948"}, {"datapath", "#e15759"}, {"leakage", "#9c755f"}};

std::string num(double v, const char* f) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

std::string cell(const std::string& s) { return "<td>" + svg::escape(s) + "</td>"; }

std::string energy_by_level_chart(const json& r) {
  svg::Chart c{"Energy per layer by level (pJ per inference)", "pJ", {}, {}, {}};
  for (const auto& lc : kLevelColors) c.series.push_back({lc[0], lc[1], {}});
  for (const json& l : r["layers"]) {
    if (l["energy_pj"].get<double>() <= 0) continue;
    c.categories.push_back(l["name"].get<std::string>());
    for (svg::Series& s : c.series) s.values.push_back(l["energy_by_level_pj"].value(s.name, 0.0));
  }
  return svg::stacked_bars(c);
}

std::string lut_chart(const json& r) {
  svg::Chart c{"PE-array energy per MAC layer: replayed vs LUT estimate (pJ)", "pJ", {}, {}, {}};
  c.series = {{"replayed", "#4e79a7", {}}, {"LUT", "#f28e2b", {}}};
  for (const json& l : r["layers"]) {
    if (l["unit"] != "pe_array") continue;
    c.categories.push_back(l["name"].get<std::string>());
    c.series[0].values.push_back(l["array_energy_pj"].get<double>());
    c.series[1].values.push_back(l["lut_energy_pj"].get<double>());
  }
  return svg::grouped_bars(c);
}

std::string budget_chart(const json& r) {
  svg::Chart c{"Cumulative energy over the layers vs the budget (µJ)", "µJ", {}, {}, {}};
  c.series = {{"replayed (array + post-processing)", "#4e79a7", {}}, {"LUT estimate", "#f28e2b", {}}};
  double replayed = 0, lut = 0;
  for (const json& l : r["layers"]) {
    replayed += l["energy_pj"].get<double>() / 1e6;
    lut += l.value("lut_energy_pj", 0.0) / 1e6;
    c.categories.push_back(l["name"].get<std::string>());
    c.series[0].values.push_back(replayed);
    c.series[1].values.push_back(lut);
  }
  if (!r["energy"]["budget_uj"].is_null()) c.budget = r["energy"]["budget_uj"].get<double>();
  return svg::lines(c);
}

void summary(std::ostringstream& o, const json& r) {
  const json& a = r["architecture"];
  const json& e = r["energy"];
  const json& lat = r["latency"];
  const std::string verdict = r["verdict"];
  const bool good = verdict == "within_budget" || verdict == "no_budget";
  o << "<h1>ENOS validation: " << svg::escape(r["export"]["model"].get<std::string>()) << "</h1>\n<p class=\"verdict "
    << (good ? "ok" : "bad") << "\">" << svg::escape(verdict) << "</p>\n<table>\n";
  auto row = [&](const std::string& k, const std::string& v) { o << "<tr><th>" << svg::escape(k) << "</th>" << cell(v) << "</tr>\n"; };
  row("architecture", a["name"].get<std::string>() + " (" + std::to_string(a["pe_array"]["rows"].get<int>()) + "×" +
                          std::to_string(a["pe_array"]["cols"].get<int>()) + " PEs, hash " + a["hash"].get<std::string>() + ")");
  row("clock / technology", num(a["clock_mhz"].get<double>(), "%.0f MHz") + " / " + std::to_string(a["technology_nm"].get<int>()) + " nm");
  row("energy table", r["energy_table"]["name"].get<std::string>() + " (" + std::to_string(r["energy_table"]["technology_nm"].get<int>()) +
                          " nm, hash " + r["energy_table"]["hash"].get<std::string>() + ")");
  row("export", r["export"]["mapping"].get<std::string>() + " (mode " + r["export"]["mode"].get<std::string>() + ")");
  row("dataset", r["dataset"].get<std::string>());
  row("energy per inference (replayed)", num(e["replayed_uj"].get<double>(), "%.4f µJ") + " = PE array " +
                                             num(e["array_uj"].get<double>(), "%.4f") + " + post-processing " +
                                             num(e["ppu_uj"].get<double>(), "%.4f µJ"));
  row("LUT estimate (PE array)", num(e["lut_estimate_uj"].get<double>(), "%.4f µJ") + " (replay vs LUT " +
                                     num(100 * e["relative_lut_error"].get<double>(), "%+.3f %%") + ")");
  row("budget", e["budget_uj"].is_null() ? "none" : num(e["budget_uj"].get<double>(), "%.4f µJ"));
  row("latency", num(lat["cycles"].get<double>(), "%.0f cycles") + ", " + num(lat["us"].get<double>(), "%.2f µs") + ", " +
                     num(lat["inferences_per_second"].get<double>(), "%.1f inferences/s"));
  row("array utilization", num(100 * r["utilization"]["array"].get<double>(), "%.1f %%"));
  row("bit-exact", std::string(r["bit_exact"]["ok"].get<bool>() ? "yes" : "NO") + " (" +
                       std::to_string(r["bit_exact"]["checked_values"].get<int64_t>()) + " values, " +
                       std::to_string(r["bit_exact"]["mismatches"].get<int64_t>()) + " mismatches)");
  const json& acc = r["accuracy"];
  row("accuracy", num(100 * acc["accuracy"].get<double>(), "%.1f %%") + " on " + std::to_string(acc["images"].get<int64_t>()) +
                      " images; agreement with the fake-quantized model " +
                      (acc["fake_quant_agreement"].is_null() ? "n/a" : num(acc["fake_quant_agreement"].get<double>(), "%.3f")));
  o << "</table>\n";
}

void breakdown_table(std::ostringstream& o, const std::string& title, const json& m) {
  o << "<h3>" << svg::escape(title) << "</h3>\n<table><tr><th></th><th>pJ</th></tr>\n";
  for (const auto& [k, v] : m.items()) o << "<tr>" << cell(k) << cell(num(v.get<double>(), "%.1f")) << "</tr>\n";
  o << "</table>\n";
}

void layer_table(std::ostringstream& o, const json& r) {
  o << "<h2>Layers</h2>\n<table><tr><th>layer</th><th>type</th><th>unit</th><th>operator</th><th>replayed pJ</th>"
       "<th>LUT pJ</th><th>LUT error</th><th>cycles</th><th>utilization</th><th>mismatches</th></tr>\n";
  for (const json& l : r["layers"]) {
    const bool mac = l["unit"] == "pe_array";
    o << "<tr>" << cell(l["name"]) << cell(l["type"]) << cell(l["unit"]) << cell(mac ? l["candidate"].get<std::string>() : "")
      << cell(num(l["energy_pj"].get<double>(), "%.1f")) << cell(mac ? num(l["lut_energy_pj"].get<double>(), "%.1f") : "")
      << cell(mac ? num(100 * l["relative_lut_error"].get<double>(), "%+.3f %%") : "")
      << cell(num(l["cycles"].get<double>(), "%.0f")) << cell(mac ? num(100 * l["utilization"].get<double>(), "%.1f %%") : "")
      << cell(std::to_string(l["bit_exact"]["mismatches"].get<int64_t>())) << "</tr>\n";
  }
  o << "</table>\n";
}

}  // namespace

std::string report_html(const json& r) {
  std::ostringstream o;
  o << "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>ENOS validation report</title>\n"
       "<style>body{font-family:sans-serif;margin:2em;max-width:1200px}table{border-collapse:collapse;margin:1em 0}"
       "td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}.verdict{font-size:1.4em;font-weight:bold}"
       ".ok{color:#287d28}.bad{color:#c00}.chart{overflow-x:auto}</style></head><body>\n";
  summary(o, r);
  o << "<h2>Energy</h2>\n<div class=\"chart\">" << energy_by_level_chart(r) << "</div>\n<div class=\"chart\">"
    << lut_chart(r) << "</div>\n<div class=\"chart\">" << budget_chart(r) << "</div>\n";
  breakdown_table(o, "By level (per inference)", r["energy"]["by_level_pj"]);
  breakdown_table(o, "By operator (per inference; ppu = post-processing unit)", r["energy"]["by_operator_pj"]);
  layer_table(o, r);
  o << "<p>Replayed energy of a MAC layer = its PE-array energy (the LUT's scope) + its requantization on the "
       "post-processing unit; the LUT error compares the array part. Keys: docs/validate.md.</p>\n</body></html>\n";
  return o.str();
}

}  // namespace enos::replay
