#pragma once
// The mapper's cost model priced with a real energy table: energy (pJ) of a candidate
// mapping's analytical action counts and cycles.
#include "dataflow/mapper.hpp"
#include "energy/table.hpp"
#include "spec/arch.hpp"

namespace enos::characterize {

// `arch` and `table` must outlive the returned function.
dataflow::CostModel energy_cost_model(const spec::ArchSpec& arch, const energy::EnergyTable& table);

// The table an architecture names (arch.energy_table), or the shipped default when it names
// none. A missing or malformed table is a SpecError naming the arch file and key.
energy::EnergyTable load_arch_energy_table(const spec::ArchSpec& arch, const std::string& default_file);

}  // namespace enos::characterize
