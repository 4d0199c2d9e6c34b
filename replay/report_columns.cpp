#include "replay/report_columns.hpp"

#include <cmath>

#include "replay/report_format.hpp"

namespace enos::replay {
namespace {

using nlohmann::json;

std::string at(std::size_t index, const std::string& key) { return "/layers/" + std::to_string(index) + key; }

bool mac(const json& l) { return l["unit"] == "pe_array"; }

Column text(const std::string& header, const std::string& note, std::function<std::string(const json&)> f) {
  return {header, "", note, false, [f](const json& l, std::size_t) { return Cell{f(l), "", 1}; }};
}

// A number under `key` (a JSON pointer inside the layer), shown × scale with `decimals`.
Column number(const std::string& header, const std::string& unit, const std::string& note, const std::string& key,
              double scale, int decimals, bool mac_only) {
  return {header, unit, note, true, [=](const json& l, std::size_t i) {
            const json::json_pointer p(key);
            if ((mac_only && !mac(l)) || !l.contains(p)) return Cell{};
            return Cell{fmt::number(l.at(p).get<double>() * scale, decimals), at(i, key), scale};
          }};
}

Column lut_error() {
  return {"vs LUT", "", "(replayed PE-array energy − LUT estimate) / LUT estimate; “= LUT” when below 10⁻⁹", true,
          [](const json& l, std::size_t i) {
            if (!mac(l)) return Cell{};
            const double e = l["lut_error_frac"].get<double>();
            if (std::fabs(e) < 1e-9) return Cell{"= LUT", "", 1};
            return Cell{(e > 0 ? "+" : "") + fmt::percent(e, 2), at(i, "/lut_error_frac"), 100};
          }};
}

std::string operator_of(const json& l) {
  if (mac(l)) return l["candidate"].get<std::string>();
  return l["unit"] == "ppu" ? "PPU" : "address";
}

}  // namespace

bool is_routing(const json& l) {
  return l["unit"] == "address" && l["energy_pj"].get<double>() == 0 && l["cycles"].get<int64_t>() == 0;
}

std::vector<Column> layer_columns(const json& r) {
  double max_pj = 0;
  for (const json& l : r["layers"]) max_pj = std::max(max_pj, l["energy_pj"].get<double>());
  const fmt::Unit e = fmt::energy_unit(max_pj);
  const int e_decimals = std::max(1, fmt::decimals_for(max_pj * e.scale, 4));
  std::vector<Column> cols = {
      text("layer", "the workload's layer name", [](const json& l) { return l["name"].get<std::string>(); }),
      text("type", "", [](const json& l) { return l["type"].get<std::string>(); }),
      text("operator", "PE-array candidate; PPU: the post-processing unit; address: a DMA remapping", operator_of),
      text("dataflow", "WS weight-stationary, OS output-stationary",
           [](const json& l) { return mac(l) ? fmt::dataflow_abbrev(l["dataflow"].get<std::string>()) : ""; }),
      number("GLB tiles", "", "global-buffer tiles of the schedule", "/glb_tiles", 1, 0, true),
      number("passes", "", "array passes over all tiles", "/array_passes", 1, 0, true),
      number("MACs", "", "multiply-accumulates per inference", "/macs", 1, 0, true),
      number("cycles", "", "array + post-processing cycles", "/cycles", 1, 0, false)};
  for (const fmt::Category& c : fmt::cycle_causes())
    if (c.key != "busy") cols.push_back(number(c.label, "cycles", c.note, "/by_cause_cycles/" + c.key, 1, 0, false));
  cols.push_back(number("PE util.", "%", "PE-cycles issuing an operation / (cycles × PEs)", "/pe_busy_frac", 100, 1, true));
  cols.push_back(number("lanes full", "%", "MACs / (busy PE-cycles × lanes)", "/lane_occupancy_frac", 100, 1, true));
  cols.push_back(number("lanes", "", "MACs a PE performs per operation in this mode", "/lanes", 1, 0, true));
  cols.push_back(number("energy", e.name, "PE array + post-processing, per inference", "/energy_pj", e.scale, e_decimals, false));
  cols.push_back(number("share", "%", "of the network's replayed energy", "/energy_frac", 100, 1, false));
  cols.push_back(lut_error());
  if (!r["bit_exact"]["ok"].get<bool>())
    cols.push_back(number("mismatches", "", "values that differ from the C++ integer reference", "/bit_exact/mismatches", 1, 0,
                          false));
  return cols;
}

std::vector<LevelRow> level_rows(const json& r) {
  std::vector<LevelRow> rows;
  const json& by_level = r["energy"]["by_level_pj"];
  for (const fmt::Category& c : fmt::energy_levels())
    if (by_level.contains(c.key)) rows.push_back({c.key, c.label, c.note, c.color});
  for (const auto& [k, v] : by_level.items()) {
    bool listed = false;
    for (const LevelRow& row : rows) listed |= row.key == k;
    if (!listed) rows.push_back({k, k, "", fmt::level_of(k).color});
  }
  return rows;
}

}  // namespace enos::replay
