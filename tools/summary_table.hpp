#pragma once
// The human summary `enos simulate` prints: one row per layer, then totals with units.
#include <ostream>

#include "characterize/simulation_energy.hpp"
#include "sim/simulation.hpp"

namespace enos::tools {

void print_summary(std::ostream& out, const characterize::PricedSimulation& priced,
                   const sim::SimulationRequest& request, bool totals_only);

}  // namespace enos::tools
