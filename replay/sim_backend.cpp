#include "replay/sim_backend.hpp"

#include <algorithm>

#include "characterize/energy_cost.hpp"
#include "dataflow/limits.hpp"
#include "spec/json_reader.hpp"

namespace enos::replay {

const SimBackend::Planned& SimBackend::plan(std::size_t index, const spec::Layer& layer, const NetLayer& net) {
  auto it = plans_.find(index);
  if (it != plans_.end()) return it->second;
  const spec::ArchSpec& arch = runner_.arch();
  Planned p;
  spec::require_mode(arch, net.candidate);
  try {
    p.mapping = dataflow::choose_mapping(layer.conv, net.candidate, arch, layer.mapping,
                                         characterize::energy_cost_model(arch, table_), residency(index));
  } catch (const dataflow::MappingError& e) {
    throw dataflow::MappingError("layer '" + layer.name + "' on " + arch.file + ": " + e.what());
  }
  p.plan = dataflow::make_plan(layer.conv, net.candidate, arch, p.mapping, residency(index));
  return plans_.emplace(index, std::move(p)).first->second;
}

void SimBackend::plan_all(const Export& e) {
  const spec::ArchSpec& arch = runner_.arch();
  spec::check_fits(e.workload, arch);  // a pinned dataflow, named at its JSON path
  buffer_plan_ = dataflow::plan_buffers(
      e.workload, arch, [&](std::size_t i) { return e.layers[i].candidate; },
      [&](std::size_t i) { return e.workload.layers[i].mapping; });
  for (std::size_t i = 0; i < e.layers.size(); ++i) {
    const spec::Layer& layer = e.workload.layers[i];
    if (!layer.is_mac()) continue;
    const std::string path = "mapping.workload.layers[" + std::to_string(i) + "]";
    dataflow::check_layer_limits(layer.conv, e.layers[i].candidate, arch, {e.mapping_file, path});
    try {
      plan(i, layer, e.layers[i]);
    } catch (const dataflow::MappingError& err) {
      throw spec::SpecError(e.mapping_file, path, err.what());
    }
  }
}

std::vector<pe::Psum> SimBackend::run(std::size_t index, const spec::Layer& layer, const NetLayer& net,
                                      const pe::LayerData& data) {
  sim::LayerJob job;
  job.name = layer.name;
  job.plan = plan(index, layer, net).plan;
  job.data = &data;
  if (tracing_) {
    traces_[index].clear();
    job.trace = &traces_[index];
  }
  if (before_run_) before_run_(layer);
  auto& [zeros, values] = input_zeros_[index];
  zeros += std::count(data.inputs.begin(), data.inputs.end(), 0);
  values += int64_t(data.inputs.size());
  sim::LayerResult r = runner_.run(job);
  std::vector<pe::Psum> out = std::move(r.outputs);
  r.outputs.clear();
  results_[index] = std::move(r);
  return out;
}

double SimBackend::input_zero_frac(std::size_t index) const {
  const auto it = input_zeros_.find(index);
  return it == input_zeros_.end() || it->second.second == 0 ? 0.0 : double(it->second.first) / double(it->second.second);
}

}  // namespace enos::replay
