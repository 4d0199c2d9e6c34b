#pragma once
// Pricing (Accelergy's rule): energy = Σ over counted actions of count × entry (per-op
// entries) or bits × entry (per-bit entries), plus leakage = cycles × leakage per cycle.
// The result is broken down by level, by tensor and by action, all in pJ.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "energy/action_price.hpp"
#include "energy/table.hpp"
#include "spec/actions.hpp"
#include "spec/arch.hpp"

namespace enos::energy {

struct PricedAction {
  spec::ActionCount counted;  // count (events) and bits (total bits moved)
  ActionPrice price;
  double energy_pj = 0;
};

struct LeakageLine {
  double pj_per_cycle = 0;  // at the architecture's clock
  double energy_pj = 0;     // × cycles
};

// Identifies the table a breakdown was priced with, so a report can be traced to its data.
struct TableInfo {
  std::string name, file, hash;
  int technology_nm = 0;
  double supply_voltage_v = 0;
  double reference_clock_mhz = 0;
};

struct EnergyBreakdown {
  double total_pj = 0;
  std::map<std::string, double> by_level_pj;   // every Level by name, zeros included
  std::map<std::string, double> by_tensor_pj;  // weight, input, psum, output (datapath and
                                               // leakage belong to no tensor)
  std::map<std::string, PricedAction> by_action;
  std::map<std::string, LeakageLine> leakage;  // "pe", "glb", "spad"
  int64_t cycles = 0;
  double clock_mhz = 0;          // the architecture's
  int arch_technology_nm = 0;    // the architecture's (the table's is in `table`)
  TableInfo table;
  // Mismatches that do not stop pricing but make it approximate (e.g. a 65 nm architecture
  // priced with a 45 nm table).
  std::vector<std::string> warnings;

  double level_pj(Level level) const;
  double tensor_pj(const std::string& tensor) const;
  double action_pj(const std::string& action) const;  // 0 when the action was not counted

  // Every number carries its unit in its key (`_pj`, `_mhz`, `_nm`, `_v`) or beside it.
  nlohmann::json to_json() const;
};

// Throws spec::SpecError (naming the table file) for an action the table cannot price and
// std::invalid_argument for impossible input (negative counts or cycles, a per-bit action
// counted without bits: a counting bug that would otherwise price as zero).
EnergyBreakdown price(const spec::ActionCounts& counts, int64_t cycles, const spec::ArchSpec& arch,
                      const EnergyTable& table);

}  // namespace enos::energy
