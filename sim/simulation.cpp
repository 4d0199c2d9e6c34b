#include "sim/simulation.hpp"

#include <random>

#include "dataflow/limits.hpp"
#include "sim/stats_json.hpp"
#include "spec/json_reader.hpp"

namespace enos::sim {
namespace {

// Each layer draws from its own stream so adding a layer never changes another's data.
std::mt19937_64 layer_rng(uint64_t seed, std::size_t layer_index) {
  std::seed_seq seq{uint32_t(seed), uint32_t(seed >> 32), uint32_t(layer_index)};
  return std::mt19937_64(seq);
}

int64_t count_mismatches(const std::vector<pe::Psum>& got, const std::vector<pe::Psum>& want) {
  int64_t bad = 0;
  for (std::size_t i = 0; i < want.size(); ++i) bad += got[i] != want[i];
  return bad;
}

// Everything that can be refused without running: a pinned dataflow the architecture lacks
// (named at its JSON path) and a layer beyond the limits (docs/cli.md), before any layer runs.
void check_before_running(const SimulationRequest& request) {
  const spec::Workload& w = *request.workload;
  spec::check_fits(w, *request.arch);
  for (std::size_t i = 0; i < w.layers.size(); ++i)
    if (w.layers[i].is_mac())
      dataflow::check_layer_limits(w.layers[i].conv, request.candidate, *request.arch, {w.file, spec::layer_path(w, i)});
}

}  // namespace

bool SimulationReport::bit_exact() const {
  for (const LayerReport& l : layers)
    if (l.mismatches) return false;
  return true;
}

spec::ActionCounts SimulationReport::total_actions() const {
  spec::ActionCounts all;
  for (const LayerReport& l : layers) all.merge(l.result.actions);
  return all;
}

CycleBreakdown SimulationReport::total_cycles() const {
  CycleBreakdown all;
  for (const LayerReport& l : layers) all += l.result.cycles;
  return all;
}

SimulationReport simulate(Runner& runner, const SimulationRequest& request) {
  const spec::ArchSpec& arch = *request.arch;
  const spec::Workload& workload = *request.workload;
  SimulationReport report;
  check_before_running(request);
  const auto pins_of = [&](std::size_t i) {
    const spec::Layer& layer = workload.layers[i];
    return spec::is_empty(layer.mapping) ? request.pin : layer.mapping;
  };
  report.buffer_plan = dataflow::plan_buffers(
      workload, arch, [&](std::size_t) { return request.candidate; }, pins_of);
  std::size_t index = 0;
  for (const spec::Layer& layer : workload.layers) {
    ++index;
    if (!layer.is_mac()) {
      report.skipped.push_back(&layer);
      continue;
    }
    const dataflow::Residency& residency = report.buffer_plan.layers[index - 1];
    spec::Mapping mapping;
    try {
      mapping = dataflow::choose_mapping(layer.conv, request.candidate, arch, pins_of(index - 1), request.cost,
                                         residency);
    } catch (const dataflow::MappingError& e) {
      // Name what the user can change: the layer (workload) and the buffers (architecture).
      throw spec::SpecError(request.workload->file, spec::layer_path(*request.workload, index - 1),
                            "layer '" + layer.name + "' cannot run on " + arch.file + ": " + e.what());
    }
    LayerJob job;
    job.name = layer.name;
    job.plan = dataflow::make_plan(layer.conv, request.candidate, arch, mapping, residency);
    std::mt19937_64 rng = layer_rng(request.seed, index);
    const pe::LayerData data = pe::random_layer_data(layer.conv, request.candidate, rng);
    job.data = &data;

    LayerReport lr;
    lr.name = layer.name;
    lr.shape = layer.conv;
    lr.mapping = mapping;
    lr.residency = residency;
    lr.result = runner.run(job);
    lr.noc = runner.last_noc_stats();
    lr.mismatches = count_mismatches(lr.result.outputs,
                                     pe::reference_conv(layer.conv, request.candidate, data));
    const double capacity = double(lr.result.cycles.total()) * arch.rows * arch.cols * job.plan.lanes;
    lr.utilization = capacity > 0 ? double(lr.result.macs) / capacity : 0.0;
    lr.result.outputs.clear();  // checked; the report does not carry them
    lr.result.outputs.shrink_to_fit();
    report.layers.push_back(std::move(lr));
  }
  return report;
}

}  // namespace enos::sim
