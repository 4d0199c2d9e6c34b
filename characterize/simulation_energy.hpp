#pragma once
// `enos simulate`'s counts priced: sim::simulate only counts actions and cycles (modules
// count, energy/ prices); this prices every layer and the whole run with an energy table and
// adds the energy to the stats tree (docs/stats-format.md).
#include <vector>

#include <nlohmann/json.hpp>

#include "energy/pricing.hpp"
#include "energy/table.hpp"
#include "sim/simulation.hpp"

namespace enos::characterize {

struct PricedSimulation {
  const sim::SimulationReport* report = nullptr;
  const energy::EnergyTable* table = nullptr;
  std::vector<energy::EnergyBreakdown> layers;  // report->layers priced, in their order
  // The run's merged counts priced over its cycles, as one layer would be (not the sum of
  // the layers' breakdowns, whose leakage lines and warnings do not add up).
  energy::EnergyBreakdown total;
};

// `report` and `table` must outlive the result.
PricedSimulation price_simulation(const sim::SimulationReport& report, const spec::ArchSpec& arch,
                                  const energy::EnergyTable& table);

// sim::to_json's stats tree with the energy of every layer and of the total, and the table
// that priced them.
nlohmann::json priced_stats_json(const PricedSimulation& priced, const sim::SimulationRequest& request);

}  // namespace enos::characterize
