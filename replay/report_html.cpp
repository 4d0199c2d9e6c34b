// report.html: the report JSON as one self-contained page (inline CSS and SVG, no scripts or
// external files), so it opens offline and can be mailed as one file. What an architect reads
// first comes first: the verdict and headroom, one card per headline figure, the flags, then
// the per-layer charts; tables with every number follow.
#include <map>
#include <sstream>

#include "replay/report.hpp"
#include "replay/report_columns.hpp"
#include "replay/report_format.hpp"
#include "replay/report_html_parts.hpp"

namespace enos::replay {
namespace {

using nlohmann::json;
using fmt::escape_html;

const char* const kStyle =
    "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;font-size:14px;color:#222;max-width:1320px;"
    "margin:0 auto;padding:12px 20px}h1{font-size:20px;margin:0}h2{font-size:16px;margin:18px 0 6px}"
    ".context{color:#555;font-size:12px;margin:2px 0 0;overflow-wrap:anywhere}"
    ".verdict{padding:6px 14px;border-radius:6px;margin:8px 0}.verdict .title{font-size:21px;font-weight:700}"
    ".verdict.ok{background:#eaf5ea;border-left:6px solid #287d28}.verdict.bad{background:#fbeaea;border-left:6px solid #c00}"
    ".cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:8px}"
    ".card{border:1px solid #ddd;border-radius:6px;padding:5px 9px}.card h3{margin:0;font-size:11px;color:#555;"
    "font-weight:600;text-transform:uppercase;letter-spacing:.03em}.card .big{font-size:21px;font-weight:600}"
    ".card p{margin:2px 0 0;font-size:11.5px;color:#444;line-height:1.3}.bad{color:#c00}"
    "ul.flags{margin:6px 0;padding-left:20px;font-size:13px}li.warning{color:#8a5a00}li.error{color:#c00}"
    ".noflags{color:#287d28;font-size:13px;margin:6px 0}.scroll{overflow-x:auto;max-width:100%}"
    "table{border-collapse:collapse;font-size:12.5px}td,th{padding:2px 7px;border-bottom:1px solid #e6e6e6;"
    "text-align:left;vertical-align:bottom}th{font-weight:600}th small{font-weight:normal;color:#666}"
    ".n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}.side{display:flex;flex-wrap:wrap;gap:28px}"
    ".swatch{display:inline-block;width:10px;height:10px;margin-right:5px}details{margin:8px 0;font-size:13px}"
    "footer{color:#555;font-size:12px;margin-top:18px}.note{color:#555;font-size:11.5px;margin:4px 0}";

std::string th(const std::string& text, const std::string& unit, const std::string& note, bool numeric) {
  return "<th" + std::string(numeric ? " class=\"n\"" : "") + (note.empty() ? "" : " title=\"" + escape_html(note) + "\"") +
         ">" + escape_html(text) + (unit.empty() ? "" : "<br><small>" + escape_html(unit) + "</small>") + "</th>";
}

std::string td(const std::string& html, bool numeric) { return numeric ? "<td class=\"n\">" + html + "</td>" : "<td>" + html + "</td>"; }

std::string header(const json& r) {
  const json& a = r["architecture"];
  const json& t = r["energy_table"];
  const json& e = r["export"];
  std::ostringstream o;
  o << "<header><h1>ENOS validation: " << escape_html(e["model"].get<std::string>()) << "</h1><p class=\"context\">"
    << escape_html(a["name"].get<std::string>()) << ", " << a["pe_array"]["rows"].get<int>() << "×"
    << a["pe_array"]["cols"].get<int>() << " PEs, <b>" << fmt::number(a["clock_mhz"].get<double>(), 0) << " MHz, "
    << a["technology_nm"].get<int>() << " nm</b> (hash " << escape_html(a["hash"].get<std::string>()) << ") · energy table <b>"
    << escape_html(t["name"].get<std::string>()) << "</b> (" << t["technology_nm"].get<int>() << " nm"
    << (t["matches_export"].get<bool>() ? "" : ", not the export's") << ") · dataset " << escape_html(r["dataset"].get<std::string>())
    << " · export " << escape_html(e["mapping"].get<std::string>()) << " (mode " << escape_html(e["mode"].get<std::string>())
    << ", seed " << e["seed"].dump() << ")</p></header>\n";
  return o.str();
}

std::string level_table(const json& r) {
  std::string o = "<div><h2>Energy by level</h2><table><tr>" + th("level", "", "", false) + th("energy", "µJ", "", true) +
                  th("share", "%", "", true) + th("per MAC", "pJ", "level energy / network MACs", true) +
                  th("what", "", "", false) + "</tr>\n";
  for (const LevelRow& l : level_rows(r))
    o += "<tr><td><span class=\"swatch\" style=\"background:" + l.color + "\"></span>" + escape_html(l.label) + "</td>" +
         td(html::value(r, "/energy/by_level_pj/" + l.key, 1e-6, 3), true) +
         td(html::value(r, "/energy/by_level_frac/" + l.key, 100, 1), true) +
         td(html::value(r, "/energy/by_level_pj_per_mac/" + l.key, 1, 3), true) + td(escape_html(l.note), false) + "</tr>\n";
  return o + "</table></div>\n";
}

std::string operator_table(const json& r) {
  std::string o = "<div><h2>Energy by operator</h2><table><tr>" + th("operator", "", "", false) + th("layers", "", "", true) +
                  th("MACs", "", "", true) + th("energy", "µJ", "", true) + th("share", "%", "", true) + "</tr>\n";
  for (const auto& [op, pj] : r["energy"]["by_operator_pj"].items()) {
    const bool ppu = op == "ppu";
    o += "<tr><td><span class=\"swatch\" style=\"background:" + fmt::operator_color(op) + "\"></span>" +
         escape_html(ppu ? "post-processing unit" : op) + "</td>" +
         td(ppu ? "" : html::value(r, "/energy/by_operator_layers/" + op, 1, 0), true) +
         td(ppu ? "" : html::value(r, "/energy/by_operator_macs/" + op, 1, 0), true) +
         td(html::value(r, "/energy/by_operator_pj/" + op, 1e-6, 3), true) +
         td(html::value(r, "/energy/by_operator_frac/" + op, 100, 1), true) + "</tr>\n";
  }
  return o + "</table></div>\n";
}

std::string cause_table(const json& r) {
  std::string o = "<div><h2>Cycles by cause</h2><table><tr>" + th("cause", "", "", false) + th("cycles", "", "", true) +
                  th("share", "%", "", true) + th("what", "", "", false) + "</tr>\n";
  for (const fmt::Category& c : fmt::cycle_causes())
    o += "<tr><td><span class=\"swatch\" style=\"background:" + c.color + "\"></span>" + escape_html(c.label) + "</td>" +
         td(html::value(r, "/latency/by_cause_cycles/" + c.key, 1, 0), true) +
         td(html::value(r, "/latency/by_cause_frac/" + c.key, 100, 1), true) + td(escape_html(c.note), false) + "</tr>\n";
  return o + "</table></div>\n";
}

std::string layer_table(const json& r) {
  const std::vector<Column> cols = layer_columns(r);
  std::string o = "<h2>Layers</h2>\n<div class=\"scroll\"><table class=\"layers\"><tr>";
  for (const Column& c : cols) o += th(c.header, c.unit, c.note, c.numeric);
  o += "</tr>\n";
  for (std::size_t i = 0; i < r["layers"].size(); ++i) {
    const json& l = r["layers"][i];
    if (is_routing(l)) continue;
    o += "<tr>";
    for (const Column& c : cols) {
      const Cell cell = c.cell(l, i);
      std::string html = escape_html(cell.text);
      if (!cell.pointer.empty()) {
        char scale[32];
        std::snprintf(scale, sizeof scale, "%g", cell.scale);
        html = "<span class=\"v\" data-k=\"" + cell.pointer + "\" data-scale=\"" + scale + "\">" + html + "</span>";
      }
      o += td(html, c.numeric);
    }
    o += "</tr>\n";
  }
  return o + "</table></div>\n";
}

std::string routing_note(const json& r) {
  std::map<std::string, int> by_type;
  std::string names;
  for (const json& l : r["layers"]) {
    if (!is_routing(l)) continue;
    ++by_type[l["type"].get<std::string>()];
    names += (names.empty() ? "" : ", ") + l["name"].get<std::string>();
  }
  if (by_type.empty()) return "";
  int total = 0;
  std::string kinds;
  for (const auto& [type, n] : by_type) {
    total += n;
    kinds += (kinds.empty() ? "" : ", ") + type + " ×" + std::to_string(n);
  }
  return "<details><summary>" + std::to_string(total) + " routing layers folded away from the charts and the table (" +
         escape_html(kinds) + "): address remappings the consumer's DMA absorbs, no energy and no cycles</summary><p>" +
         escape_html(names) + "</p></details>\n";
}

}  // namespace

std::string report_html(const json& r) {
  std::ostringstream o;
  o << "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
       "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>ENOS validation: "
    << escape_html(r["export"]["model"].get<std::string>()) << "</title>\n<style>" << kStyle << "</style></head><body>\n";
  o << header(r) << html::verdict_banner(r) << html::summary_cards(r) << html::flag_list(r);
  o << "<h2>Per layer <small>(one x axis for every chart; hover for values; scroll sideways in a narrow window)</small></h2>\n<div class=\"scroll\">"
    << html::layer_panel(r) << "</div>\n";
  o << "<div class=\"side\">" << level_table(r) << cause_table(r) << operator_table(r) << "</div>\n";
  o << layer_table(r) << routing_note(r);
  o << "<footer><p>Replayed energy of a MAC layer = its PE-array energy (what the LUT estimates) + its requantization on "
       "the post-processing unit; “vs LUT” compares the array part. Utilization: PE util. = PE-cycles issuing an "
       "operation / (cycles × PEs); lanes full = MACs / (busy PE-cycles × lanes). Every number here is report.json's "
       "(keys: docs/validate.md); "
    << escape_html(r["tool_version"].get<std::string>()) << ".</p></footer>\n</body></html>\n";
  return o.str();
}

}  // namespace enos::replay
