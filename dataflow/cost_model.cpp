// The rough energy weighting the mapper uses until energy/ prices action counts with a real
// table (docs/dataflow.md, "What the mapper searches"). Numbers are per event or per bit at
// 45 nm, anchored to Horowitz, "Computing's energy problem", ISSCC 2014 (8-bit multiply
// 0.2 pJ, 8-bit add 0.03 pJ, 64-bit access to an 8 KB SRAM 10 pJ) and to the normalized
// access costs of Eyeriss (Chen et al., ISCA 2016: MAC 1×, RF 1×, PE-to-PE 2×, global
// buffer 6×, DRAM 200× per 16-bit word).
#include <algorithm>
#include <string>

#include "dataflow/mapper.hpp"

namespace enos::dataflow {
namespace {

constexpr double kDramPerBit = 160.0 / 64;  // Eyeriss 200× a 0.2 pJ MAC per 16-bit word
constexpr double kGlbPerBit = 6.0 / 64;     // Eyeriss 6× per word; Horowitz 10 pJ / 64 bit @ 8 KB
constexpr double kHopPerBit = 0.1 / 8;      // a short neighbour wire
constexpr double kSpadPerAccess = 0.5;      // a small register file, per word
constexpr double kMul8x8 = 0.2;             // Horowitz: 8-bit multiply
constexpr double kAdd8 = 0.03;              // Horowitz: 8-bit add

// One operation of a mode: a multiplier scales with weight bits × activation bits; the
// multiplication-free kinds are adders scaled by their widest operand.
double op_energy(const pe::Candidate& c) {
  switch (c.kind) {
    case pe::OpKind::Int: return kMul8x8 * c.weight_bits * c.act_bits / 64.0;
    case pe::OpKind::Bin: return kAdd8 * c.act_bits / 8.0;                  // ±x
    case pe::OpKind::Shift: return 2 * kAdd8 * c.act_bits / 8.0;            // shifter + add
    case pe::OpKind::Mf: return 2 * kAdd8 * std::max(c.weight_bits, c.act_bits) / 8.0;  // two adds
  }
  return kMul8x8;
}

double rough_energy(const spec::ActionCounts& actions) {
  namespace action = spec::action;
  double pj = 0;
  for (const auto& [name, c] : actions.all()) {
    const std::string_view unit = action::unit_of(name);
    if (unit == action::kDram)
      pj += double(c.bits) * kDramPerBit;
    else if (unit == action::kGlb)
      pj += double(c.bits) * kGlbPerBit;
    else if (unit == action::kNoc)
      pj += double(c.bits) * kHopPerBit;
    else if (unit == action::kSpad)
      pj += double(c.count) * kSpadPerAccess;
    else if (const std::optional<pe::Candidate> op = action::op_candidate(name))
      pj += double(c.count) * op_energy(*op);
    // Anything else is not priced by this rough model.
  }
  return pj;
}

}  // namespace

CostModel rough_cost_model() {
  // No leakage term: energy × delay already charges a slow mapping for its cycles.
  return [](const spec::ActionCounts& actions, const CycleBreakdown&) { return rough_energy(actions); };
}

}  // namespace enos::dataflow
