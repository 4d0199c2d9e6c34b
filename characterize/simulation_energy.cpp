#include "characterize/simulation_energy.hpp"

namespace enos::characterize {

PricedSimulation price_simulation(const sim::SimulationReport& report, const spec::ArchSpec& arch,
                                  const energy::EnergyTable& table) {
  PricedSimulation priced{&report, &table, {}, {}};
  for (const sim::LayerReport& l : report.layers)
    priced.layers.push_back(energy::price(l.result.actions, l.result.cycles.total(), arch, table));
  priced.total = energy::price(report.total_actions(), report.total_cycles().total(), arch, table);
  return priced;
}

nlohmann::json priced_stats_json(const PricedSimulation& priced, const sim::SimulationRequest& request) {
  nlohmann::json stats = sim::to_json(*priced.report, request);
  const energy::EnergyTable& t = *priced.table;
  stats["energy_table"] = {{"name", t.name}, {"file", t.file}, {"hash", t.hash}, {"technology_nm", t.technology_nm}};
  for (std::size_t i = 0; i < priced.layers.size(); ++i) stats["layers"][i]["energy"] = priced.layers[i].to_json();
  stats["total"]["energy"] = priced.total.to_json();
  return stats;
}

}  // namespace enos::characterize
