// index.html of `enos explore`: per workload, three SVG scatter plots (energy × latency,
// energy × area, latency × area) with the Pareto front marked, and the front as a table. One
// self-contained file with no scripts, so it opens anywhere and diffs byte for byte.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

#include "tools/explore_results.hpp"

namespace enos::tools {
namespace {

struct Axis {
  const char* label;
  double ResultRow::*value;
};

const Axis kEnergy{"energy per inference (µJ)", &ResultRow::energy_uj};
const Axis kLatency{"latency (µs)", &ResultRow::latency_us};
const Axis kArea{"area (mm²)", &ResultRow::area_mm2};

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '&') out += "&amp;";
    else if (c == '"') out += "&quot;";
    else out += c;
  }
  return out;
}

struct Scale {
  double lo, hi, px0, px1;
  double operator()(double v) const { return px0 + (v - lo) / (hi - lo) * (px1 - px0); }
};

Scale scale_of(const std::vector<const ResultRow*>& rows, double ResultRow::*value, double px0, double px1) {
  double lo = rows.front()->*value, hi = lo;
  for (const ResultRow* r : rows) lo = std::min(lo, r->*value), hi = std::max(hi, r->*value);
  const double pad = hi > lo ? 0.05 * (hi - lo) : std::max(1e-9, 0.05 * std::fabs(hi));
  return {lo - pad, hi + pad, px0, px1};
}

std::string ticks(const Scale& s, bool vertical) {
  std::string out;
  for (int i = 0; i <= 4; ++i) {
    const double v = s.lo + (s.hi - s.lo) * i / 4, p = s(v);
    out += vertical ? "<text x=\"52\" y=\"" + num(p + 4) + "\" text-anchor=\"end\">" + num(v) + "</text>"
                    : "<text x=\"" + num(p) + "\" y=\"282\" text-anchor=\"middle\">" + num(v) + "</text>";
  }
  return out;
}

// Front points are drawn last so they stay on top.
std::string scatter(const std::vector<const ResultRow*>& rows, const Axis& x, const Axis& y) {
  const Scale sx = scale_of(rows, x.value, 60, 390), sy = scale_of(rows, y.value, 260, 20);
  std::string svg = "<svg width=\"400\" height=\"310\" font-size=\"10\" font-family=\"sans-serif\">"
                    "<rect x=\"60\" y=\"20\" width=\"330\" height=\"240\" fill=\"none\" stroke=\"#888\"/>";
  svg += ticks(sx, false) + ticks(sy, true);
  svg += "<text x=\"225\" y=\"302\" text-anchor=\"middle\">" + std::string(x.label) + "</text>";
  svg += "<text x=\"12\" y=\"140\" transform=\"rotate(-90 12 140)\" text-anchor=\"middle\">" + std::string(y.label) + "</text>";
  for (bool front : {false, true})
    for (const ResultRow* r : rows) {
      if (r->pareto != front) continue;
      svg += "<circle cx=\"" + num(sx(r->*x.value)) + "\" cy=\"" + num(sy(r->*y.value)) + "\" r=\"" +
             (front ? "4\" fill=\"#d62728\"" : "3\" fill=\"#9aa\" fill-opacity=\"0.6\"") + "><title>" +
             escape(r->fields["point"].get<std::string>() + " " + r->fields["operator"].get<std::string>()) +
             "</title></circle>";
    }
  return svg + "</svg>";
}

std::string front_table(const std::vector<const ResultRow*>& rows) {
  std::string t = "<table><tr><th>point</th><th>operator</th><th>energy µJ</th><th>latency µs</th>"
                  "<th>area mm²</th><th>EDP µJ·µs</th><th>utilization</th><th>clock MHz</th><th>node nm</th>"
                  "<th>energy table</th></tr>";
  for (const ResultRow* r : rows) {
    if (!r->pareto) continue;
    const nlohmann::json& f = r->fields;
    t += "<tr><td>" + escape(f["point"].get<std::string>()) + "</td><td>" + escape(f["operator"].get<std::string>()) +
         "</td><td>" + num(r->energy_uj) + "</td><td>" + num(r->latency_us) + "</td><td>" + num(r->area_mm2) +
         "</td><td>" + num(f["edp_uj_us"].get<double>()) + "</td><td>" + num(f["utilization"].get<double>()) +
         "</td><td>" + num(f["clock_mhz"].get<double>()) + "</td><td>" + f["technology_nm"].dump() + "</td><td>" +
         escape(f["energy_table"].get<std::string>()) + "</td></tr>";
  }
  return t + "</table>";
}

}  // namespace

std::string results_html(const nlohmann::json& manifest, const std::vector<ResultRow>& rows) {
  const nlohmann::json& area = manifest["area_table"];
  std::string html = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>enos explore: " +
                     escape(manifest["name"].get<std::string>()) +
                     "</title><style>body{font-family:sans-serif}td,th{padding:2px 8px;text-align:right}"
                     "</style></head><body>\n<h1>enos explore: " + escape(manifest["name"].get<std::string>()) + "</h1>\n";
  html += "<p>" + manifest["points"].dump() + " points; area table " + escape(area["name"].get<std::string>()) + " (" +
          area["technology_nm"].dump() + " nm); red: the Pareto front of energy, latency and area (all minimized). "
          "Clock, node and energy table of each front point are in its table row.</p>\n";
  std::set<std::string> workloads;
  int invalid = 0;
  for (const ResultRow& r : rows) {
    if (r.valid) workloads.insert(r.workload);
    else ++invalid;
  }
  html += "<p>" + std::to_string(invalid) + " invalid rows (reasons in results.csv).</p>\n";
  for (const std::string& w : workloads) {
    std::vector<const ResultRow*> mine;
    for (const ResultRow& r : rows)
      if (r.valid && r.workload == w) mine.push_back(&r);
    html += "<h2>" + escape(w) + "</h2>\n" + scatter(mine, kLatency, kEnergy) + scatter(mine, kArea, kEnergy) +
            scatter(mine, kArea, kLatency) + "\n" + front_table(mine) + "\n";
  }
  return html + "</body></html>\n";
}

}  // namespace enos::tools
