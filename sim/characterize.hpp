#pragma once
// One LUT entry: a layer shape in one operator candidate, mapped, run on the SystemC model
// with seeded random data, checked bit for bit, and priced with the energy table.
#include <cstdint>

#include "dataflow/mapper.hpp"
#include "energy/lut.hpp"
#include "energy/table.hpp"
#include "sim/runner.hpp"
#include "spec/mapping.hpp"

namespace enos::sim {

struct CharacterizeItem {
  pe::ConvShape shape;
  spec::PinnedMapping pinned;
  pe::Candidate candidate;
  dataflow::Residency residency;  // the layer's place in the network's buffer plan
};

struct Characterized {
  energy::LutEntry entry;
  spec::ActionCounts actions;  // as the model counted them (for --check)
  CycleBreakdown cycles;
  spec::Mapping mapping;
};

// Throws dataflow::MappingError when the layer cannot be mapped, std::logic_error when the
// model's outputs differ from the reference (a bug in the model, never a LUT entry).
Characterized characterize(Runner& runner, const CharacterizeItem& item,
                           const energy::EnergyTable& table, uint64_t seed);

}  // namespace enos::sim
