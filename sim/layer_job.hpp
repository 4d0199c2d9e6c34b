#pragma once
// A layer streamed through the elaborated accelerator, and what comes back.
#include <string>
#include <vector>

#include "dataflow/schedule.hpp"
#include "pe/reference.hpp"
#include "sim/cycles.hpp"
#include "spec/actions.hpp"

namespace enos::sim {

struct LayerJob {
  std::string name;
  dataflow::LayerPlan plan;
  const pe::LayerData* data = nullptr;  // DRAM contents: weight codes and input activations
};

struct LayerResult {
  std::string name;
  CycleBreakdown cycles;
  spec::ActionCounts actions;
  int64_t macs = 0;                // executed by the PEs (counted, not computed from the shape)
  int64_t elapsed_cycles = 0;      // simulated time the layer took, measured by the kernel
  std::vector<pe::Psum> outputs;   // [K][P][Q] accumulators as they reached the post-processing unit
};

}  // namespace enos::sim
