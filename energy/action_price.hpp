#pragma once
// What one counted action costs on a given architecture: the action's name says which table
// entry applies (`glb.read.weight` → the SRAM curve at the global buffer's size,
// `pe.op.int:w4a4` → the operator entry of that candidate), the architecture supplies the
// capacities. Names the model counts (spec/actions.hpp):
//   dram.{read,write}.<tensor>   glb.{read,write}.<tensor>   spad.{read,write}.<tensor>
//   noc.hop.<tensor>             pe.op.<candidate>
// with <tensor> ∈ weight, input, psum, output.
#include <string>

#include "energy/table.hpp"
#include "spec/arch.hpp"

namespace enos::energy {

// The levels of the breakdown, in the order reports list them.
enum class Level { Dram, Glb, Noc, Spad, Datapath, Leakage };
std::string to_string(Level level);  // "dram", "glb", "noc", "spad", "datapath", "leakage"
inline constexpr Level kAllLevels[] = {Level::Dram, Level::Glb, Level::Noc, Level::Spad, Level::Datapath, Level::Leakage};
inline constexpr const char* kAllTensors[] = {"weight", "input", "psum", "output"};

// Whether an action's energy scales with the bits it moved or with its event count.
enum class Per { Bit, Op };

struct ActionPrice {
  Level level = Level::Datapath;
  std::string tensor;       // weight, input, psum, output; empty for operator actions
  Per per = Per::Op;
  double pj_per_unit = 0;   // pJ per bit (Per::Bit) or per operation (Per::Op)
  std::string unit;         // "pJ/bit" or "pJ/op"
  std::string entry;        // the table entry used, e.g. "energy.sram.read at 131072 B"
};

// Resolve one action name. An action the table cannot price (unknown name, unknown tensor,
// an operator candidate the table lacks) is a spec::SpecError naming the table's file, the
// JSON path where the entry would be, and the action: never a silent zero.
ActionPrice price_action(const std::string& action, const spec::ArchSpec& arch, const EnergyTable& table);

// price_action(...).pj_per_unit: pJ per bit for movements, pJ per op for operators.
double energy_per_action_pj(const std::string& action, const spec::ArchSpec& arch, const EnergyTable& table);

// Leakage per cycle at the architecture's clock (the table's entries are at its reference
// clock; leakage is power, so energy per cycle scales with the cycle time).
struct LeakageRates {
  double pe_pj_per_cycle = 0;    // all PEs (datapath, control, links)
  double glb_pj_per_cycle = 0;   // the global buffer's SRAM
  double spad_pj_per_cycle = 0;  // all PEs' scratchpads
  double total() const { return pe_pj_per_cycle + glb_pj_per_cycle + spad_pj_per_cycle; }
};
LeakageRates leakage_rates(const spec::ArchSpec& arch, const EnergyTable& table);

}  // namespace enos::energy
