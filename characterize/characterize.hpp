#pragma once
// One LUT entry: a layer shape in one operator candidate, mapped, run on the SystemC model
// with seeded random data, checked bit for bit, and priced with the energy table.
#include <cstdint>

#include "dataflow/mapper.hpp"
#include "energy/lut.hpp"
#include "energy/table.hpp"
#include "sim/runner.hpp"
#include "spec/mapping.hpp"
#include "spec/workload.hpp"

namespace enos::characterize {

struct CharacterizeItem {
  pe::ConvShape shape;
  spec::PinnedMapping pinned;
  pe::Candidate candidate;
  dataflow::Residency residency;  // the layer's place in the network's buffer plan
  double input_zero_frac = 0;     // share of zero activations in its random inputs
};

// The share of zero activations a LUT entry assumes (docs/lut-format.md) when the array gates
// zeros (pe.zero_gating): none for a layer reading the network's input (pixels), otherwise
// kAssumedZeroFrac, about what ReLU leaves in trained CNNs (Eyeriss measured 40–75 % on
// AlexNet's conv layers; the replay counts the real zeros and the report shows both).
// 0 without zero gating, where zeros cost what other values do.
inline constexpr double kAssumedZeroFrac = 0.5;
double assumed_input_zero_frac(const spec::Workload& w, std::size_t layer_index, const spec::ArchSpec& arch);

struct Characterized {
  energy::LutEntry entry;
  spec::ActionCounts actions;  // as the model counted them (for --check)
  sim::CycleBreakdown cycles;
  spec::Mapping mapping;
};

// Throws dataflow::MappingError when the layer cannot be mapped, std::logic_error when the
// model's outputs differ from the reference (a bug in the model, never a LUT entry).
Characterized characterize(sim::Runner& runner, const CharacterizeItem& item,
                           const energy::EnergyTable& table, uint64_t seed);

}  // namespace enos::characterize
