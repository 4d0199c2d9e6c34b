// report.html's per-layer charts: cycles by cause, energy by level and cumulative energy
// against the budget, over one shared x axis of layers (routing layers folded away), with the
// operator of each layer as a colour strip.
#include <set>

#include "replay/report_columns.hpp"
#include "replay/report_format.hpp"
#include "replay/report_html_parts.hpp"
#include "replay/svg.hpp"

namespace enos::replay::html {
namespace {

using nlohmann::json;

std::vector<const json*> shown_layers(const json& r) {
  std::vector<const json*> out;
  for (const json& l : r["layers"])
    if (!is_routing(l)) out.push_back(&l);
  return out;
}

svg::Plot cycles_plot(const std::vector<const json*>& layers) {
  double max = 0;
  for (const json* l : layers) max = std::max(max, double((*l)["cycles"].get<int64_t>()));
  const fmt::Unit u = fmt::cycles_unit(max);
  svg::Plot p{"Cycles per layer by cause", u.name, false, {}, {}, "", 110};
  for (const fmt::Category& c : fmt::cycle_causes()) {
    svg::Series s{c.label, c.color, {}};
    for (const json* l : layers) s.values.push_back(double((*l)["by_cause_cycles"].value(c.key, int64_t(0))) * u.scale);
    p.series.push_back(s);
  }
  return p;
}

svg::Plot energy_plot(const json& r, const std::vector<const json*>& layers) {
  double max = 0;
  for (const json* l : layers) max = std::max(max, (*l)["energy_pj"].get<double>());
  const fmt::Unit u = fmt::energy_unit(max);
  svg::Plot p{"Energy per layer by level", u.name, false, {}, {}, "", 110};
  for (const LevelRow& level : level_rows(r)) {
    svg::Series s{level.label, level.color, {}};
    for (const json* l : layers) s.values.push_back((*l)["energy_by_level_pj"].value(level.key, 0.0) * u.scale);
    p.series.push_back(s);
  }
  return p;
}

svg::Plot cumulative_plot(const json& r, const std::vector<const json*>& layers) {
  svg::Plot p{"Cumulative energy vs budget", "µJ", true, {}, {}, "budget", 80};
  svg::Series replayed{"replayed (array + post-processing)", "#4e79a7", {}}, lut{"LUT estimate (array)", "#f28e2b", {}};
  double a = 0, b = 0;
  for (const json* l : layers) {
    a += (*l)["energy_pj"].get<double>() / 1e6;
    b += l->value("lut_energy_pj", 0.0) / 1e6;
    replayed.values.push_back(a);
    lut.values.push_back(b);
  }
  p.series = {lut, replayed};  // the replay drawn last, on top where the two coincide
  if (!r["energy"]["budget_uj"].is_null()) p.reference = r["energy"]["budget_uj"].get<double>();
  return p;
}

svg::Strip operator_strip(const std::vector<const json*>& layers) {
  svg::Strip s{"operator", {}, {}, {}};
  std::set<std::string> seen;
  for (const json* l : layers) {
    const bool mac = (*l)["unit"] == "pe_array";
    const std::string op = mac ? (*l)["candidate"].get<std::string>() : (*l)["unit"].get<std::string>();
    s.colors.push_back(fmt::operator_color(op));
    s.tips.push_back(mac ? op + ", " + fmt::dataflow_abbrev((*l)["dataflow"].get<std::string>()) : (*l)["type"].get<std::string>() + " on the " + op);
    if (seen.insert(op).second) s.legend.emplace_back(op == "ppu" ? "post-processing unit" : op, fmt::operator_color(op));
  }
  return s;
}

}  // namespace

std::string layer_panel(const json& r) {
  const std::vector<const json*> layers = shown_layers(r);
  svg::Panel p;
  for (const json* l : layers) p.categories.push_back((*l)["name"].get<std::string>());
  p.plots = {cycles_plot(layers), energy_plot(r, layers), cumulative_plot(r, layers)};
  p.strip = operator_strip(layers);
  return svg::panel(p);
}

}  // namespace enos::replay::html
