#include "energy/pricing.hpp"

#include <stdexcept>

namespace enos::energy {

namespace {

void check_counted(const std::string& action, const spec::ActionCount& c, Per per) {
  if (c.count < 0 || c.bits < 0)
    throw std::invalid_argument("action '" + action + "' has a negative count or bit total");
  if (per == Per::Bit && c.count > 0 && c.bits == 0)
    throw std::invalid_argument("action '" + action + "' is priced per bit but was counted with 0 bits");
}

std::vector<std::string> find_warnings(const spec::ArchSpec& arch, const EnergyTable& t) {
  std::vector<std::string> w;
  if (arch.technology_nm != t.technology_nm)
    w.push_back("architecture '" + arch.name + "' is " + std::to_string(arch.technology_nm) +
                " nm but energy table '" + t.name + "' is " + std::to_string(t.technology_nm) +
                " nm: energies are the table's node (docs/energy.md, node scaling)");
  if (arch.accumulator_bits != t.accumulator_bits)
    w.push_back("architecture accumulators are " + std::to_string(arch.accumulator_bits) +
                " bits but the operator entries of '" + t.name + "' assume " +
                std::to_string(t.accumulator_bits));
  return w;
}

void add_leakage(EnergyBreakdown& b, const spec::ArchSpec& arch, const EnergyTable& t) {
  const LeakageRates r = leakage_rates(arch, t);
  const double cycles = double(b.cycles);
  b.leakage["pe"] = {r.pe_pj_per_cycle, r.pe_pj_per_cycle * cycles};
  b.leakage["glb"] = {r.glb_pj_per_cycle, r.glb_pj_per_cycle * cycles};
  b.leakage["spad"] = {r.spad_pj_per_cycle, r.spad_pj_per_cycle * cycles};
  b.by_level_pj[to_string(Level::Leakage)] = r.total() * cycles;
}

}  // namespace

double EnergyBreakdown::level_pj(Level level) const {
  auto it = by_level_pj.find(to_string(level));
  return it == by_level_pj.end() ? 0.0 : it->second;
}

double EnergyBreakdown::tensor_pj(const std::string& tensor) const {
  auto it = by_tensor_pj.find(tensor);
  return it == by_tensor_pj.end() ? 0.0 : it->second;
}

double EnergyBreakdown::action_pj(const std::string& action) const {
  auto it = by_action.find(action);
  return it == by_action.end() ? 0.0 : it->second.energy_pj;
}

EnergyBreakdown price(const spec::ActionCounts& counts, int64_t cycles, const spec::ArchSpec& arch,
                      const EnergyTable& table) {
  if (cycles < 0) throw std::invalid_argument("cannot price a negative cycle count");
  EnergyBreakdown b;
  b.cycles = cycles;
  b.clock_mhz = arch.clock_mhz;
  b.arch_technology_nm = arch.technology_nm;
  b.table = {table.name, table.file, table.hash, table.technology_nm, table.supply_voltage_v,
             table.reference_clock_mhz};
  b.warnings = find_warnings(arch, table);
  for (Level l : kAllLevels) b.by_level_pj[to_string(l)] = 0;
  for (const char* t : kAllTensors) b.by_tensor_pj[t] = 0;

  for (const auto& [action, counted] : counts.all()) {
    PricedAction p{counted, price_action(action, arch, table), 0};
    check_counted(action, counted, p.price.per);
    const double units = p.price.per == Per::Bit ? double(counted.bits) : double(counted.count);
    p.energy_pj = units * p.price.pj_per_unit;
    b.by_level_pj[to_string(p.price.level)] += p.energy_pj;
    if (!p.price.tensor.empty()) b.by_tensor_pj[p.price.tensor] += p.energy_pj;
    b.by_action[action] = p;
  }
  add_leakage(b, arch, table);
  for (const auto& [level, pj] : b.by_level_pj) b.total_pj += pj;
  return b;
}

}  // namespace enos::energy
