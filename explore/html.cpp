// index.html of `enos explore`: per workload, three scatter plots (energy × latency,
// energy × area, latency × area) coloured by operator and shaped by dataflow, the Pareto
// front as a table with each point's swept settings, and the invalid rows with their reasons.
// One self-contained file with no scripts, so it opens anywhere and diffs byte for byte.
#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "explore/results.hpp"
#include "explore/scatter.hpp"
#include "replay/report_format.hpp"

namespace enos::explore {
namespace {

namespace fmt = replay::fmt;
using fmt::escape_html;

const ScatterAxis kEnergy{"energy per inference (µJ)", &ResultRow::energy_uj};
const ScatterAxis kLatency{"latency (µs)", &ResultRow::latency_us};
const ScatterAxis kArea{"area (mm²)", &ResultRow::area_mm2};
const char* const kShapes[] = {"circle", "square", "triangle", "diamond"};

const char* const kStyle =
    "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;font-size:14px;color:#222;max-width:1320px;"
    "margin:0 auto;padding:12px 20px}h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:18px 0 6px}"
    "p{margin:4px 0}.plots{display:flex;flex-wrap:wrap;gap:8px}.plots svg{flex:1 1 340px;max-width:420px;height:auto}"
    ".nowrap{white-space:nowrap}.scroll{overflow-x:auto;max-width:100%}"
    "table{border-collapse:collapse;font-size:12.5px;margin:6px 0}td,th{padding:2px 7px;border-bottom:1px solid #e6e6e6;"
    "text-align:left;vertical-align:bottom}th small{font-weight:normal;color:#666}"
    ".n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}.legend{display:flex;flex-wrap:wrap;"
    "gap:4px 16px;align-items:center;font-size:13px;margin:6px 0}.legend svg{vertical-align:middle}"
    ".note{color:#555;font-size:12.5px}footer{color:#555;font-size:12px;margin-top:16px}";

std::string th(const std::string& text, const std::string& unit = "", bool numeric = true) {
  return std::string(numeric ? "<th class=\"n\">" : "<th>") + escape_html(text) +
         (unit.empty() ? "" : "<br><small>" + escape_html(unit) + "</small>") + "</th>";
}

// A number of results.json's row `index`, shown × scale with a pointer a check can follow.
std::string cell(std::size_t index, const std::string& key, double value, double scale, int decimals) {
  char s[32];
  std::snprintf(s, sizeof s, "%g", scale);
  return "<td class=\"n\"><span data-k=\"/rows/" + std::to_string(index) + "/" + key + "\" data-scale=\"" + s + "\">" +
         fmt::number(value * scale, decimals) + "</span></td>";
}

std::string point_link(const nlohmann::json& f) {
  const std::string id = escape_html(f["point"].get<std::string>());
  return "<a href=\"points/" + id + ".json\">" + id + "</a>";
}

ScatterStyle style_of(const nlohmann::json& manifest, const std::vector<ResultRow>& rows) {
  ScatterStyle s;
  for (const auto& k : manifest["parameters"]) s.swept_keys.push_back("arch." + k.get<std::string>());
  std::set<std::string> dataflows;
  for (const ResultRow& r : rows)
    if (r.valid) dataflows.insert(dataflows_text(r));
  std::size_t i = 0;
  for (const std::string& d : dataflows) s.shape_of[d] = kShapes[std::min<std::size_t>(i++, 3)];
  return s;
}

std::string legend(const std::vector<ResultRow>& rows, const ScatterStyle& style) {
  std::set<std::string> ops;
  for (const ResultRow& r : rows)
    if (r.valid) ops.insert(r.fields["operator"].get<std::string>());
  std::string o = "<div class=\"legend\"><b>operator</b>";
  for (const std::string& op : ops)
    o += "<span><svg width=\"12\" height=\"12\">" + marker("circle", 6, 6, 5, "fill=\"" + fmt::operator_color(op) + "\"") +
         "</svg> " + escape_html(op == "mapping" ? "mapped network" : op) + "</span>";
  o += "<b>dataflows</b>";
  for (const auto& [d, shape] : style.shape_of)
    o += "<span><svg width=\"14\" height=\"14\">" + marker(shape, 7, 7, 5, "fill=\"#777\"") + "</svg> " +
         escape_html(d.empty() ? "not recorded" : d) + "</span>";
  o += "<span><svg width=\"14\" height=\"14\">" + marker("circle", 7, 7, 5, "fill=\"#bbb\" stroke=\"#000\" stroke-width=\"1.5\"") +
       "</svg> on the Pareto front (others faded)</span></div>\n";
  return o;
}

std::string front_table(const std::vector<ResultRow>& all, const std::vector<const ResultRow*>& rows,
                        const ScatterStyle& style) {
  // The point's dataflows, unless a swept key already shows them.
  const bool dataflows_swept =
      std::find(style.swept_keys.begin(), style.swept_keys.end(), "arch.dataflows") != style.swept_keys.end();
  std::string t = "<div class=\"scroll\"><table><tr>" + th("point", "", false) + th("operator", "", false) +
                  (dataflows_swept ? "" : th("dataflows", "", false));
  for (const std::string& k : style.swept_keys) t += th(k.substr(5), "swept", false);
  t += th("energy", "µJ") + th("latency", "µs") + th("area", "mm²") + th("EDP", "µJ·µs") + th("lane-slot use", "%") +
       th("MACs / PE-cycle") + th("clock", "MHz") + th("node", "nm") + th("energy table", "", false) + "</tr>";
  for (const ResultRow* r : rows) {
    if (!r->pareto) continue;
    const nlohmann::json& f = r->fields;
    const std::size_t i = std::size_t(r - all.data());
    const std::string op = f["operator"].get<std::string>();
    t += "<tr><td>" + point_link(f) + "</td><td class=\"nowrap\"><svg width=\"10\" height=\"10\">" +
         marker("circle", 5, 5, 4.5, "fill=\"" + fmt::operator_color(op) + "\"") + "</svg> " + escape_html(op) + "</td>" +
         (dataflows_swept ? "" : "<td>" + escape_html(dataflows_text(*r)) + "</td>");
    for (const std::string& k : style.swept_keys) t += "<td>" + escape_html(setting_value(*r, k)) + "</td>";
    const double macs_per_pe_cycle = f.value("macs", 0.0) / std::max(1.0, f["cycles"].get<double>() * f["pes"].get<double>());
    t += cell(i, "energy_uj", r->energy_uj, 1, fmt::decimals_for(r->energy_uj, 4)) +
         cell(i, "latency_us", r->latency_us, 1, fmt::decimals_for(r->latency_us, 4)) +
         cell(i, "area_mm2", r->area_mm2, 1, fmt::decimals_for(r->area_mm2, 4)) +
         cell(i, "edp_uj_us", f["edp_uj_us"].get<double>(), 1, fmt::decimals_for(f["edp_uj_us"].get<double>(), 4)) +
         cell(i, "utilization", f["utilization"].get<double>(), 100, 2) + "<td class=\"n\">" +
         fmt::number(macs_per_pe_cycle, 3) + "</td>" + cell(i, "clock_mhz", f["clock_mhz"].get<double>(), 1, 0) +
         cell(i, "technology_nm", f["technology_nm"].get<double>(), 1, 0) + "<td>" +
         escape_html(f["energy_table"].get<std::string>()) + "</td></tr>";
  }
  return t + "</table></div>\n";
}

std::string invalid_table(const std::vector<ResultRow>& rows) {
  std::map<std::string, std::vector<const ResultRow*>> by_reason;
  for (const ResultRow& r : rows)
    if (!r.valid) by_reason[r.fields.value("reason", std::string("(no reason recorded)"))].push_back(&r);
  if (by_reason.empty()) return "<h2>Invalid rows</h2>\n<p>None.</p>\n";
  std::string t = "<h2>Invalid rows, by reason</h2>\n<p class=\"note\">Results, not failures: a point the parser refuses, "
                  "or an operator or layer the point cannot run (docs/explore.md).</p>\n<div class=\"scroll\"><table><tr>" +
                  th("reason", "", false) + th("rows") + th("point · workload · operator", "", false) + "</tr>";
  for (const auto& [reason, list] : by_reason) {
    t += "<tr><td>" + escape_html(reason) + "</td><td class=\"n\">" + std::to_string(list.size()) + "</td><td>";
    for (std::size_t i = 0; i < list.size(); ++i) {
      const nlohmann::json& f = list[i]->fields;
      t += (i ? ", " : "") + point_link(f) +
           (list[i]->workload.empty() ? "" : " · " + escape_html(list[i]->workload) + " · " +
                                                 escape_html(f.value("operator", std::string())));
    }
    t += "</td></tr>";
  }
  return t + "</table></div>\n";
}

std::string intro(const nlohmann::json& manifest, const std::vector<ResultRow>& rows, const ScatterStyle& style) {
  const nlohmann::json& area = manifest["area_table"];
  int invalid = 0, front = 0;
  for (const ResultRow& r : rows) invalid += !r.valid, front += r.pareto;
  std::string swept;
  for (const std::string& k : style.swept_keys) swept += (swept.empty() ? "" : ", ") + k.substr(5);
  return "<p>" + manifest["points"].dump() + " points of sweep " + escape_html(manifest["file"].get<std::string>()) +
         " (swept: " + escape_html(swept.empty() ? "nothing" : swept) + "); " + std::to_string(front) +
         " rows on the Pareto front, " + std::to_string(invalid) + " invalid rows (reasons at the end). Area table " +
         escape_html(area["name"].get<std::string>()) + " (" + area["technology_nm"].dump() +
         " nm); each front row names its clock, node and energy table.</p>\n"
         "<p class=\"note\">Reading the plots: the front minimizes energy, latency and area together, so it is a surface in "
         "3-D and each plot is a 2-D view of it. A front point that looks beaten in one view (another point lies lower and "
         "further left) is on the front because it wins in the quantity that view leaves out; read the three views together, "
         "or the table. Hover a marker for its swept settings; click it to open its point's record.</p>\n";
}

}  // namespace

std::string results_html(const nlohmann::json& manifest, const std::vector<ResultRow>& rows) {
  const ScatterStyle style = style_of(manifest, rows);
  std::string html = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
                     "content=\"width=device-width,initial-scale=1\"><title>enos explore: " +
                     escape_html(manifest["name"].get<std::string>()) + "</title><style>" + kStyle +
                     "</style></head><body>\n<h1>enos explore: " + escape_html(manifest["name"].get<std::string>()) + "</h1>\n";
  html += intro(manifest, rows, style) + legend(rows, style);
  std::set<std::string> workloads;
  for (const ResultRow& r : rows)
    if (r.valid) workloads.insert(r.workload);
  for (const std::string& w : workloads) {
    std::vector<const ResultRow*> mine;
    for (const ResultRow& r : rows)
      if (r.valid && r.workload == w) mine.push_back(&r);
    html += "<h2>" + escape_html(w) + "</h2>\n<div class=\"plots\">" + scatter_svg(mine, kLatency, kEnergy, style) +
            scatter_svg(mine, kArea, kEnergy, style) + scatter_svg(mine, kArea, kLatency, style) + "</div>\n<h3>Pareto front</h3>\n" +
            front_table(rows, mine, style);
  }
  html += invalid_table(rows);
  html += "<footer><p>Lane-slot use = MACs / (cycles × PEs × lanes), the cycle-weighted mean over the layers "
          "(results.csv <code>utilization</code>, the validation report's <code>lane_slot_frac</code>); MACs / PE-cycle = "
          "MACs / (cycles × PEs). Every row is in results.csv and results.json; the front alone in pareto.csv; each point's "
          "record in points/ (docs/explore.md).</p></footer>\n</body></html>\n";
  return html;
}

}  // namespace enos::explore
