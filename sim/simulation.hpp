#pragma once
// `enos simulate` without the command line: map every MAC layer of a workload, stream it with
// seeded random data through one elaborated accelerator, check every output bit for bit
// against the plain C++ reference, and gather the stats tree. Counts only, as every module
// counts: characterize/simulation_energy.hpp prices them with an energy table.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dataflow/buffer_plan.hpp"
#include "dataflow/mapper.hpp"
#include "pe/candidate.hpp"
#include "sim/runner.hpp"
#include "spec/arch.hpp"
#include "spec/workload.hpp"

namespace enos::sim {

struct LayerReport {
  std::string name;
  pe::ConvShape shape;
  spec::Mapping mapping;
  dataflow::Residency residency;  // where its inputs, outputs and weights lived
  LayerResult result;
  int64_t mismatches = 0;  // outputs that differ from the reference
  double utilization = 0;  // MACs / (cycles × PEs × lanes)
  nlohmann::json noc;      // per-link flits, bits, busy and contention cycles
};

struct SimulationReport {
  dataflow::BufferPlan buffer_plan;  // where each tensor lived (dataflow/buffer_plan.hpp)
  std::vector<LayerReport> layers;
  std::vector<const spec::Layer*> skipped;  // non-MAC layers: not run on the PE array
  bool bit_exact() const;
  spec::ActionCounts total_actions() const;  // every layer's, merged
  CycleBreakdown total_cycles() const;
};

struct SimulationRequest {
  const spec::ArchSpec* arch = nullptr;
  const spec::Workload* workload = nullptr;
  pe::Candidate candidate;
  uint64_t seed = 1;
  // Pins every layer's mapping (e.g. {"preset": "scalesim"}); a layer that pins its own in the
  // workload keeps it.
  spec::PinnedMapping pin;
  dataflow::CostModel cost;  // what the mapper minimizes (energy × delay: characterize::energy_cost_model)
};

// Throws dataflow::MappingError or spec::SpecError for input the architecture cannot run.
SimulationReport simulate(Runner& runner, const SimulationRequest& request);

// The JSON stats tree (docs/stats-format.md) without energy, which
// characterize::priced_stats_json adds.
nlohmann::json to_json(const SimulationReport& report, const SimulationRequest& request);

}  // namespace enos::sim
