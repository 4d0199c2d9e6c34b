// EnergyBreakdown::to_json: the form reports, `enos simulate` and the LUT embed.
#include "energy/pricing.hpp"

namespace enos::energy {

namespace {

nlohmann::json action_json(const PricedAction& p) {
  return {
      {"level", to_string(p.price.level)},
      {"tensor", p.price.tensor.empty() ? nlohmann::json(nullptr) : nlohmann::json(p.price.tensor)},
      {"count", p.counted.count},
      {"bits", p.counted.bits},
      {"priced_per", p.price.per == Per::Bit ? "bit" : "op"},
      {"energy_per_unit", {{"value", p.price.pj_per_unit}, {"unit", p.price.unit}}},
      {"table_entry", p.price.entry},
      {"energy_pj", p.energy_pj},
  };
}

// Which energy table priced the counts: every report says it.
nlohmann::json table_json(const TableInfo& table) {
  return {{"name", table.name},
          {"file", table.file},
          {"hash", table.hash},
          {"technology_nm", table.technology_nm},
          {"supply_voltage_v", table.supply_voltage_v},
          {"reference_clock_mhz", table.reference_clock_mhz}};
}

}  // namespace

nlohmann::json EnergyBreakdown::to_json() const {
  nlohmann::json actions = nlohmann::json::object();
  for (const auto& [name, p] : by_action) actions[name] = action_json(p);
  nlohmann::json leak = nlohmann::json::object();
  for (const auto& [name, l] : leakage) leak[name] = {{"pj_per_cycle", l.pj_per_cycle}, {"energy_pj", l.energy_pj}};
  return {
      {"unit", "pJ"},
      {"total_pj", total_pj},
      {"by_level_pj", by_level_pj},
      {"by_tensor_pj", by_tensor_pj},
      {"by_action", actions},
      {"leakage", leak},
      {"cycles", cycles},
      {"clock_mhz", clock_mhz},
      {"arch_technology_nm", arch_technology_nm},
      {"table", table_json(table)},
      {"warnings", warnings},
  };
}

}  // namespace enos::energy
