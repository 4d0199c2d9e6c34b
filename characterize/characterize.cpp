#include "characterize/characterize.hpp"

#include <algorithm>
#include <random>
#include <stdexcept>

#include "dataflow/limits.hpp"
#include "characterize/energy_cost.hpp"
#include "energy/pricing.hpp"

namespace enos::characterize {

double assumed_input_zero_frac(const spec::Workload& w, std::size_t layer_index, const spec::ArchSpec& arch) {
  if (!arch.zero_gating) return 0.0;
  const std::vector<std::string>& in = w.layers.at(layer_index).inputs;
  return std::find(in.begin(), in.end(), "input") != in.end() ? 0.0 : kAssumedZeroFrac;
}

Characterized characterize(sim::Runner& runner, const CharacterizeItem& item,
                           const energy::EnergyTable& table, uint64_t seed) {
  const spec::ArchSpec& arch = runner.arch();
  // Before the random data is allocated; the callers name the layer's file and path first.
  dataflow::check_layer_limits(item.shape, item.candidate, arch, {arch.file, "layer " + pe::to_string(item.shape)});
  Characterized out;
  out.mapping = dataflow::choose_mapping(item.shape, item.candidate, arch, item.pinned,
                                         energy_cost_model(arch, table), item.residency);
  sim::LayerJob job;
  job.name = pe::to_string(item.shape);
  job.plan = dataflow::make_plan(item.shape, item.candidate, arch, out.mapping, item.residency);
  std::mt19937_64 rng(seed);
  const pe::LayerData data = pe::random_layer_data(item.shape, item.candidate, rng, item.input_zero_frac);
  job.data = &data;
  const sim::LayerResult result = runner.run(job);
  if (result.outputs != pe::reference_conv(item.shape, item.candidate, data))
    throw std::logic_error("the model's outputs differ from the C++ reference for " + job.name +
                           " in " + pe::to_string(item.candidate));

  const energy::EnergyBreakdown priced = energy::price(result.actions, result.cycles.total(), arch, table);
  energy::LutEntry& e = out.entry;
  e.candidate = pe::to_string(item.candidate);
  e.energy_pj = priced.total_pj;
  e.energy_by_level_pj = priced.by_level_pj;
  e.cycles = result.cycles.total();
  e.busy_cycles = result.cycles.busy;
  e.stall_cycles = {{"dram_bandwidth", result.cycles.stall_dram},
                    {"glb_ports", result.cycles.stall_glb_ports},
                    {"noc", result.cycles.stall_noc},
                    {"fill_drain", result.cycles.fill_drain}};
  e.latency_us = double(e.cycles) * arch.cycle_ns() / 1000.0;
  const double capacity = double(e.cycles) * arch.rows * arch.cols * job.plan.lanes;
  e.utilization = capacity > 0 ? double(result.macs) / capacity : 0.0;
  e.macs = result.macs;
  e.mapping = spec::to_json(out.mapping);
  const dataflow::Residency& r = item.residency;
  e.residency = {r.inputs, r.outputs, r.weights, r.reserved_bytes};
  e.input_zero_frac = item.input_zero_frac;
  out.actions = result.actions;
  out.cycles = result.cycles;
  return out;
}

}  // namespace enos::characterize
