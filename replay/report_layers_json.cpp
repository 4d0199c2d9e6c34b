// report.json `layers[]` and the network totals summed from it, so a total is by
// construction the sum of the rows a reader sees.
#include <cmath>

#include "dataflow/mapper.hpp"
#include "replay/report_occupancy.hpp"
#include "replay/report_parts.hpp"

namespace enos::replay::detail {
namespace {

using nlohmann::json;

double fraction(double part, double whole) { return whole > 0 ? part / whole : 0.0; }

json by_cause_cycles(const LayerReplay& l) {
  const dataflow::CycleBreakdown& c = l.cycles;
  return {{"busy", c.busy},          {"dram_bandwidth_stall", c.stall_dram}, {"fill_drain", c.fill_drain},
          {"glb_port_stall", c.stall_glb_ports}, {"noc_stall", c.stall_noc}, {"ppu", l.ppu_cycles}};
}

json energy_by_level(const LayerReplay& l) {
  std::map<std::string, double> levels = l.array.by_level_pj;
  for (const auto& [k, v] : l.ppu.by_level_pj) levels[k] += v;
  json j = json::object();
  for (const auto& [k, v] : levels) j[k] = v;
  return j;
}

// The schedule's figures: tiles, passes, busy PE-cycles (report_occupancy.hpp).
void add_mac_fields(json& j, const LayerReplay& l, const spec::Layer& layer, const pe::Candidate& candidate,
                    const spec::ArchSpec& arch) {
  const ArrayOccupancy occ = array_occupancy(dataflow::make_plan(layer.conv, candidate, arch, l.mapping));
  // The first image's cycles: counts do not depend on the data here (`counts_vary…` says
  // when they did), and an integer count reads better than a mean of equal values.
  const int64_t array_cycles = l.cycles.total();
  const Utilization u = utilization(l.macs, double(array_cycles), int64_t(arch.rows) * arch.cols, occ.busy_pe_cycles,
                                    double(occ.busy_pe_cycles) * occ.lanes);
  j["candidate"] = l.candidate;
  j["dataflow"] = spec::to_string(l.mapping.dataflow);
  j["lanes"] = occ.lanes;
  j["glb_tiles"] = occ.glb_tiles;
  j["array_passes"] = occ.array_passes;
  j["array_energy_pj"] = l.array.energy_pj;
  j["lut_energy_pj"] = l.lut_energy_pj;
  j["lut_error_frac"] = fraction(l.array.energy_pj - l.lut_energy_pj, l.lut_energy_pj);
  j["array_cycles"] = array_cycles;
  j["lut_cycles"] = l.lut_cycles;
  j["macs"] = l.macs;
  j["busy_pe_cycles"] = occ.busy_pe_cycles;
  j["macs_per_pe_cycle"] = u.macs_per_pe_cycle;
  j["pe_busy_frac"] = u.pe_busy_frac;
  j["lane_occupancy_frac"] = u.lane_occupancy_frac;
  j["mapping"] = spec::to_json(l.mapping);
  j["counts_vary_between_images"] = l.counts_vary;
}

json layer_json(const LayerReplay& l, const ReportInputs& in, std::size_t index) {
  json j = {{"name", l.name}, {"type", l.type}, {"unit", l.unit}};
  const int64_t cycles = l.cycles.total() + l.ppu_cycles;
  j["energy_pj"] = l.array.energy_pj + l.ppu.energy_pj;
  j["ppu_energy_pj"] = l.ppu.energy_pj;
  j["energy_by_level_pj"] = energy_by_level(l);
  j["ppu_actions"] = l.ppu_actions.to_json();
  j["ppu_cycles"] = l.ppu_cycles;
  j["cycles"] = cycles;
  j["by_cause_cycles"] = by_cause_cycles(l);
  j["latency_us"] = double(cycles) * in.arch->cycle_ns() / 1000.0;
  j["bit_exact"] = {{"checked_values", l.checked_values}, {"mismatches", l.mismatches},
                    {"first_mismatch_image", l.first_mismatch_image}};
  if (l.unit == "pe_array")
    add_mac_fields(j, l, in.exported->workload.layers.at(index), in.exported->layers.at(index).candidate, *in.arch);
  return j;
}

json sum_map(const json& layers, const char* key) {
  std::map<std::string, double> sum;
  for (const json& l : layers)
    if (l.contains(key))
      for (const auto& [k, v] : l[key].items()) sum[k] += v.get<double>();
  return sum;
}

json shares(const json& by_key, double total) {
  json j = json::object();
  for (const auto& [k, v] : by_key.items()) j[k] = fraction(v.get<double>(), total);
  return j;
}

}  // namespace

json layers_json(const ReportInputs& in) {
  json layers = json::array();
  const std::vector<LayerReplay>& all = in.result->layers;
  for (std::size_t i = 0; i < all.size(); ++i) layers.push_back(layer_json(all[i], in, i));
  double total_pj = 0;
  for (const json& l : layers) total_pj += l["energy_pj"].get<double>();
  for (json& l : layers) l["energy_frac"] = fraction(l["energy_pj"].get<double>(), total_pj);
  return layers;
}

json energy_totals(const json& layers) {
  double array_pj = 0, ppu_pj = 0, lut_pj = 0;
  int64_t macs = 0;
  std::map<std::string, double> by_operator;
  std::map<std::string, int64_t> operator_macs, operator_layers;
  for (const json& l : layers) {
    ppu_pj += l["ppu_energy_pj"].get<double>();
    if (l["unit"] != "pe_array") continue;
    const std::string op = l["candidate"];
    array_pj += l["array_energy_pj"].get<double>();
    lut_pj += l["lut_energy_pj"].get<double>();
    macs += l["macs"].get<int64_t>();
    by_operator[op] += l["array_energy_pj"].get<double>();
    operator_macs[op] += l["macs"].get<int64_t>();
    operator_layers[op] += 1;
  }
  if (ppu_pj > 0) by_operator["ppu"] = ppu_pj;
  const double total_pj = array_pj + ppu_pj;
  const json by_level = sum_map(layers, "energy_by_level_pj");
  json per_mac = json::object();
  for (const auto& [k, v] : by_level.items()) per_mac[k] = macs > 0 ? v.get<double>() / double(macs) : 0.0;
  return {{"replayed_uj", total_pj / 1e6},
          {"array_uj", array_pj / 1e6},
          {"ppu_uj", ppu_pj / 1e6},
          {"lut_estimate_uj", lut_pj / 1e6},
          {"lut_error_frac", fraction(array_pj - lut_pj, lut_pj)},
          {"macs", macs},
          {"pj_per_mac", macs > 0 ? total_pj / double(macs) : 0.0},
          {"by_level_pj", by_level},
          {"by_level_frac", shares(by_level, total_pj)},
          {"by_level_pj_per_mac", per_mac},
          {"by_operator_pj", by_operator},
          {"by_operator_frac", shares(by_operator, total_pj)},
          {"by_operator_macs", operator_macs},
          {"by_operator_layers", operator_layers}};
}

json latency_totals(const json& layers, double clock_mhz) {
  json by_cause = json::object();
  int64_t cycles = 0, array_cycles = 0, ppu_cycles = 0;
  for (const char* c : kCycleCauses) by_cause[c] = int64_t(0);
  for (const json& l : layers) {
    cycles += l["cycles"].get<int64_t>();
    ppu_cycles += l["ppu_cycles"].get<int64_t>();
    if (l.contains("array_cycles")) array_cycles += l["array_cycles"].get<int64_t>();
    for (const char* c : kCycleCauses) by_cause[c] = by_cause[c].get<int64_t>() + l["by_cause_cycles"][c].get<int64_t>();
  }
  json frac = json::object();
  for (const char* c : kCycleCauses) frac[c] = fraction(double(by_cause[c].get<int64_t>()), double(cycles));
  const double us = double(cycles) / clock_mhz;
  return {{"cycles", cycles},
          {"array_cycles", array_cycles},
          {"ppu_cycles", ppu_cycles},
          {"total_us", us},
          {"inferences_per_second", us > 0 ? 1e6 / us : 0.0},
          {"clock_mhz", clock_mhz},
          {"by_cause_cycles", by_cause},
          {"by_cause_frac", frac}};
}

json utilization_totals(const json& layers, int64_t pes) {
  int64_t macs = 0, busy = 0, cycles = 0;
  double lane_slots = 0, capacity = 0;  // busy PE-cycles × lanes; cycles × PEs × lanes
  for (const json& l : layers) {
    if (l["unit"] != "pe_array") continue;
    const int lanes = l["lanes"].get<int>();
    macs += l["macs"].get<int64_t>();
    busy += l["busy_pe_cycles"].get<int64_t>();
    cycles += l["array_cycles"].get<int64_t>();
    lane_slots += double(l["busy_pe_cycles"].get<int64_t>()) * lanes;
    capacity += double(l["array_cycles"].get<int64_t>()) * double(pes) * lanes;
  }
  const Utilization u = utilization(macs, double(cycles), pes, busy, lane_slots);
  return {{"macs", macs},
          {"array_cycles", cycles},
          {"pes", pes},
          {"busy_pe_cycles", busy},
          {"macs_per_pe_cycle", u.macs_per_pe_cycle},
          {"pe_busy_frac", u.pe_busy_frac},
          {"lane_occupancy_frac", u.lane_occupancy_frac},
          // MACs / (cycles × PEs × lanes): what the LUT's and enos explore's `utilization` hold.
          {"lane_slot_frac", fraction(double(macs), capacity)}};
}

}  // namespace enos::replay::detail
