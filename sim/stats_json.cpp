#include "sim/stats_json.hpp"

#include <algorithm>

#include "sim/simulation.hpp"

namespace enos::sim {
namespace {

struct ActionName {
  std::string level, verb, tensor;
};

// `glb.read.weight` → {glb, read, weight}; names of another shape (`pe.op.int:w8a8`) → empty.
bool split_action(const std::string& name, ActionName& out) {
  const auto a = name.find('.');
  const auto b = name.find('.', a + 1);
  if (a == std::string::npos || b == std::string::npos) return false;
  out = {name.substr(0, a), name.substr(a + 1, b - a - 1), name.substr(b + 1)};
  return out.verb == "read" || out.verb == "write";
}

nlohmann::json shape_json(const pe::ConvShape& s) {
  return {{"C", s.C}, {"K", s.K}, {"H", s.H}, {"W", s.W}, {"R", s.R}, {"S", s.S},
          {"stride", s.stride}, {"pad", s.pad}, {"groups", s.groups}, {"P", s.P()}, {"Q", s.Q()}};
}

nlohmann::json operations(const spec::ActionCounts& actions) {
  nlohmann::json ops = nlohmann::json::object();
  for (const auto& [name, c] : actions.all())
    if (const std::optional<pe::Candidate> op = spec::action::op_candidate(name)) ops[pe::to_string(*op)] = c.count;
  return ops;
}

nlohmann::json noc_view(const spec::ActionCounts& actions) {
  nlohmann::json hops = nlohmann::json::object();
  for (const auto& [name, c] : actions.all())
    if (const std::optional<std::string_view> tensor = spec::action::hop_tensor(name))
      hops[std::string(*tensor)] = {{"word_hops", c.count}, {"bits", c.bits}};
  return hops;
}

const char* home(bool resident) { return resident ? "global_buffer" : "dram"; }

nlohmann::json layer_json(const LayerReport& l, double cycle_ns) {
  const CycleBreakdown& c = l.result.cycles;
  return {{"name", l.name},
          {"shape", shape_json(l.shape)},
          {"mapping", spec::to_json(l.mapping)},
          {"residency",
           {{"inputs", home(l.residency.inputs)},
            {"outputs", home(l.residency.outputs)},
            {"weights", home(l.residency.weights)},
            {"reserved_bytes", l.residency.reserved_bytes}}},
          {"macs", l.result.macs},
          {"cycles", c.to_json()},
          {"latency_us", double(c.total()) * cycle_ns / 1000.0},
          {"utilization", l.utilization},
          {"operations", operations(l.result.actions)},
          {"levels", levels_view(l.result.actions)},
          {"noc", {{"hops", noc_view(l.result.actions)}, {"links", l.noc}}},
          {"actions", l.result.actions.to_json()},
          {"bit_exact", l.mismatches == 0},
          {"mismatched_outputs", l.mismatches}};
}

}  // namespace

nlohmann::json levels_view(const spec::ActionCounts& actions) {
  nlohmann::json levels = nlohmann::json::object();
  for (const auto& [name, c] : actions.all()) {
    ActionName a;
    if (!split_action(name, a)) continue;
    nlohmann::json& slot = levels[a.level][a.tensor][a.verb == "read" ? "reads" : "writes"];
    slot = {{"words", c.count}, {"bits", c.bits}, {"bytes", double(c.bits) / 8.0}};
  }
  return levels;
}

nlohmann::json buffer_plan_json(const dataflow::BufferPlan& plan, const spec::Workload& w) {
  nlohmann::json tensors = nlohmann::json::array(), weights = nlohmann::json::array();
  for (const dataflow::TensorHome& t : plan.tensors) {
    nlohmann::json j = {{"producer", t.producer},
                        {"stored_with", t.stored_with},
                        {"bytes", t.bytes},
                        {"first_layer", w.layers.empty() ? "" : w.layers[t.first].name},
                        {"last_layer", w.layers.empty() ? "" : w.layers[t.last].name},
                        {"home", home(t.resident)}};
    if (!t.resident) j["why"] = t.why_dram;
    tensors.push_back(j);
  }
  for (const dataflow::WeightHome& h : plan.weights)
    weights.push_back({{"layer", h.layer}, {"bytes", h.bytes}, {"home", home(h.resident)}});
  return {{"capacity_bytes", plan.capacity_bytes},
          {"peak_resident_bytes", plan.peak_reserved_bytes()},
          {"resident_weight_bytes", plan.resident_weight_bytes()},
          {"tensors", tensors},
          {"weights", weights}};
}

nlohmann::json to_json(const SimulationReport& report, const SimulationRequest& request) {
  const spec::ArchSpec& arch = *request.arch;
  nlohmann::json layers = nlohmann::json::array();
  const CycleBreakdown cycles = report.total_cycles();
  const spec::ActionCounts actions = report.total_actions();
  int64_t macs = 0;
  double capacity = 0;
  for (const LayerReport& l : report.layers) {
    layers.push_back(layer_json(l, arch.cycle_ns()));
    macs += l.result.macs;
    capacity += l.utilization > 0 ? double(l.result.macs) / l.utilization : 0.0;
  }
  nlohmann::json skipped = nlohmann::json::array();
  for (const spec::Layer* l : report.skipped)
    skipped.push_back({{"name", l->name}, {"type", spec::to_string(l->type)}});
  return {
      {"architecture",
       {{"name", arch.name}, {"file", arch.file}, {"hash", arch.hash},
        {"clock_mhz", arch.clock_mhz}, {"technology_nm", arch.technology_nm},
        {"energy_table", arch.energy_table}}},
      {"workload", {{"name", request.workload->name}, {"file", request.workload->file}}},
      {"operator", pe::to_string(request.candidate)},
      {"seed", request.seed},
      {"bit_exact", report.bit_exact()},
      {"buffer_plan", buffer_plan_json(report.buffer_plan, *request.workload)},
      {"layers", layers},
      {"not_on_array", skipped},
      {"total",
       {{"macs", macs},
        {"cycles", cycles.to_json()},
        {"latency_us", double(cycles.total()) * arch.cycle_ns() / 1000.0},
        {"utilization", capacity > 0 ? double(macs) / capacity : 0.0},
        {"operations", operations(actions)},
        {"levels", levels_view(actions)},
        {"actions", actions.to_json()}}},
  };
}

}  // namespace enos::sim
