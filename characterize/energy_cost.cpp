#include "characterize/energy_cost.hpp"

#include <fstream>

#include "energy/pricing.hpp"
#include "spec/json_reader.hpp"

namespace enos::characterize {

dataflow::CostModel energy_cost_model(const spec::ArchSpec& arch, const energy::EnergyTable& table) {
  return [&arch, &table](const spec::ActionCounts& counts, const dataflow::CycleBreakdown& cycles) {
    return energy::price(counts, cycles.total(), arch, table).total_pj;
  };
}

energy::EnergyTable load_arch_energy_table(const spec::ArchSpec& arch, const std::string& default_file) {
  const std::string file = arch.energy_table.empty() ? default_file : arch.energy_table;
  if (!std::ifstream(file))
    throw spec::SpecError(arch.file, "arch.energy_table", "energy table '" + file + "' does not exist");
  return energy::load_energy_table(file);
}

}  // namespace enos::characterize
