#pragma once
// The replay: N test images through the exported network, every MAC layer on the SystemC
// model (the mapping the characterization chose, the exported integer weights), every other
// layer on the post-processing unit; each layer's output compared bit for bit with the
// whole-network C++ integer reference; action counts priced with the energy table.
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "dataflow/buffer_plan.hpp"
#include "energy/pricing.hpp"
#include "energy/table.hpp"
#include "replay/dataset.hpp"
#include "replay/export.hpp"
#include "replay/postproc.hpp"
#include "sim/runner.hpp"
#include "spec/mapping.hpp"

namespace enos::replay {

// Means over the replayed images (counts are data-independent in this model, so every image
// prices the same; `counts_vary` says when that did not hold).
struct PricedMean {
  double energy_pj = 0;
  std::map<std::string, double> by_level_pj;
  std::map<std::string, double> by_action_pj;
  double cycles = 0;
  void add(const energy::EnergyBreakdown& b, double weight);
  void scale(double factor);  // sums are divided once at the end, so equal images give exact means
};

struct LayerReplay {
  std::string name, type;
  std::string unit;  // "pe_array", "ppu" or "address" (a remapping: nothing executed)
  // MAC layers
  std::string candidate;
  spec::Mapping mapping;
  PricedMean array;  // the SystemC model's counts, priced (what the LUT estimates)
  dataflow::CycleBreakdown cycles;  // of the first image
  int64_t macs = 0;
  double utilization = 0;
  double lut_energy_pj = 0;
  int64_t lut_cycles = 0;
  // Where its tensors lived in the replay (the buffer plan of the network as chosen), and
  // where the LUT assumed them (its entry's record: the plan at the widest mode, docs/lut-format.md).
  dataflow::Residency residency, lut_residency;
  // Zero activations among its inputs over the images, and the share the LUT assumed
  // (characterize::assumed_input_zero_frac); they matter where the array gates zeros.
  double input_zero_frac = 0, lut_input_zero_frac = 0;
  bool counts_vary = false;
  // Every layer
  PricedMean ppu;    // requantization/rescale (MAC layers) or the layer itself
  spec::ActionCounts ppu_actions;  // per image
  int64_t ppu_cycles = 0;
  int64_t checked_values = 0;      // over all images
  int64_t mismatches = 0;
  int64_t first_mismatch_image = -1;
  // The first image's module activities (ReplayRequest::trace), absolute simulated cycles.
  std::vector<sim::TraceEvent> trace;
  int64_t start_cycle = 0;
};

struct ImageResult {
  int64_t index = 0;
  int label = 0;
  int prediction = -1;            // the simulated hardware
  int reference_prediction = -1;  // the C++ integer reference
  int fake_quant_prediction = -1; // reference.json; −1 when it has no entry
};

struct ReplayResult {
  dataflow::BufferPlan buffer_plan;  // the network as chosen (what the replay ran)
  std::vector<LayerReplay> layers;
  std::vector<ImageResult> images;
  int64_t mismatches() const;
};

struct ReplayRequest {
  const Export* exported = nullptr;
  const spec::ArchSpec* arch = nullptr;
  const energy::EnergyTable* table = nullptr;
  const TestImages* images = nullptr;
  int64_t count = 20;
  std::function<void(int64_t done, int64_t total)> progress;  // after each image
  bool trace = false;  // keep the first image's per-tile activities (--trace)
  std::function<void(const spec::Layer&)> before_mac;  // before each MAC layer runs on the model
};

// Throws dataflow::MappingError / spec::SpecError for an export the architecture cannot run.
ReplayResult replay(sim::Runner& runner, const ReplayRequest& request);

}  // namespace enos::replay
