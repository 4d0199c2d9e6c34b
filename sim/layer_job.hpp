#pragma once
// A layer streamed through the elaborated accelerator, and what comes back.
#include <string>
#include <vector>

#include "dataflow/schedule.hpp"
#include "pe/reference.hpp"
#include "sim/cycles.hpp"
#include "spec/actions.hpp"

namespace enos::sim {

// One timed activity of a module during a layer (for trace viewers): absolute simulated
// cycles, so events of several modules line up.
struct TraceEvent {
  std::string track;  // "array", "dma", "dram_wait"
  std::string name;   // e.g. "pass 3 (tile 1)", "load weights"
  int64_t start_cycle = 0, end_cycle = 0;
};

struct LayerJob {
  std::string name;
  dataflow::LayerPlan plan;
  const pe::LayerData* data = nullptr;  // DRAM contents: weight codes and input activations
  // When set, the controller and the DMA engine append their activities here (off by
  // default: characterization runs thousands of layers and needs none).
  std::vector<TraceEvent>* trace = nullptr;
};

struct LayerResult {
  std::string name;
  CycleBreakdown cycles;
  spec::ActionCounts actions;
  int64_t macs = 0;                // executed by the PEs (counted, not computed from the shape)
  int64_t elapsed_cycles = 0;      // simulated time the layer took, measured by the kernel
  int64_t start_cycle = 0;         // absolute simulated cycle the layer started at (for traces)
  std::vector<pe::Psum> outputs;   // [K][P][Q] accumulators as they reached the post-processing unit
};

}  // namespace enos::sim
