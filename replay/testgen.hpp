#pragma once
// A random but valid export (docs/export-format.md) of a small workload, with a matching LUT
// measured on the SystemC model and a tiny idx dataset: what the tests and `enos
// dev-make-export` replay without depending on the LibTorch search.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dataflow/buffer_plan.hpp"
#include "energy/table.hpp"
#include "pe/candidate.hpp"
#include "sim/runner.hpp"
#include "spec/arch.hpp"
#include "spec/workload.hpp"

namespace enos::replay {

struct TestExportRequest {
  const spec::Workload* workload = nullptr;  // input must be 1×H×W (idx images)
  const energy::EnergyTable* table = nullptr;
  std::vector<pe::Candidate> candidates;  // MAC layer i gets candidates[i % size]
  uint64_t seed = 1;
  int images = 8;
  std::optional<double> budget_uj;
  std::string out_dir;  // gets mapping.json, network.json, weights.bin, lut.json, reference.json, data/
  // Where the LUT's entries assume their data lives (as `enos characterize` does: widest).
  dataflow::LutContext lut_context = dataflow::LutContext::Widest;
};

// Writes the files; the LUT is characterized on `runner` (which elaborates the model).
void make_test_export(sim::Runner& runner, const TestExportRequest& request);

}  // namespace enos::replay
