#include "characterize/check.hpp"

#include <cmath>
#include <cstdio>

#include "dataflow/analytical.hpp"
#include "dataflow/mapper.hpp"
#include "spec/actions.hpp"
#include "spec/json_reader.hpp"

namespace enos::characterize {
namespace {

struct Comparison {
  bool counts_equal = false;
  bool stall_free = false;
  int64_t sim_cycles = 0, model_cycles = 0;
  double error() const { return sim_cycles ? double(model_cycles - sim_cycles) / double(sim_cycles) : 0.0; }
};

// A datapath or scratchpad action: one a PE performs.
bool is_per_pe(const std::string& name) {
  const std::string_view unit = spec::action::unit_of(name);
  return unit == spec::action::kPe || unit == spec::action::kSpad;
}

// With pe.zero_gating the datapath's and scratchpads' counts depend on the data, which the
// analytical model does not have: those are left out of the comparison (the SystemC counts of
// gated operations are checked against the data in tests/sim/test_zero_gating.cpp).
nlohmann::json comparable(nlohmann::json actions, const spec::ArchSpec& arch) {
  if (!arch.zero_gating) return actions;
  for (auto it = actions.begin(); it != actions.end();)
    it = is_per_pe(it.key()) ? actions.erase(it) : std::next(it);
  return actions;
}

Comparison compare(const CharacterizeInputs& in, const WorkItem& item, const nlohmann::json& cached) {
  const spec::Mapping mapping =
      spec::parse_mapping(spec::JsonNode(cached["entry"]["mapping"], "(cache)", "entry.mapping"));
  const dataflow::LayerPlan plan = dataflow::make_plan(item.item.shape, item.item.candidate, in.arch, mapping, item.item.residency);
  const dataflow::AnalyticalResult model = dataflow::analyze(plan, in.arch);
  Comparison c;
  c.counts_equal = comparable(model.actions.to_json(), in.arch) == comparable(cached["actions"], in.arch);
  const nlohmann::json& stalls = cached["cycles"]["stalls"];
  c.stall_free = stalls["glb_ports"] == 0 && stalls["noc"] == 0;
  c.sim_cycles = cached["cycles"]["total"].get<int64_t>();
  c.model_cycles = model.cycles.total();
  return c;
}

}  // namespace

bool check_against_analytical(const CharacterizeInputs& in, const CharacterizeRun& run, LutCache& cache,
                              std::ostream& out) {
  out << "\nanalytical model vs SystemC model, per distinct entry\n";
  if (in.arch.zero_gating)
    out << "(pe.zero_gating: datapath and scratchpad counts depend on the data and are not compared)\n";
  char line[256];
  std::snprintf(line, sizeof line, "%-30s %-12s %-7s %-10s %12s %12s %8s\n", "shape", "candidate",
                "counts", "stalls", "sim cycles", "model cycles", "error");
  out << line;
  bool all_equal = true;
  double worst_stall_free = 0, worst_other = 0;
  for (const WorkItem& item : run.items) {
    const Comparison c = compare(in, item, *cache.get(item.key));
    all_equal = all_equal && c.counts_equal;
    double& worst = c.stall_free ? worst_stall_free : worst_other;
    worst = std::max(worst, std::fabs(c.error()));
    std::snprintf(line, sizeof line, "%-30s %-12s %-7s %-10s %12lld %12lld %7.2f%%\n",
                  pe::to_string(item.item.shape).c_str(), pe::to_string(item.item.candidate).c_str(),
                  c.counts_equal ? "equal" : "DIFFER", c.stall_free ? "none" : "port/link",
                  (long long)c.sim_cycles, (long long)c.model_cycles, 100.0 * c.error());
    out << line;
  }
  std::snprintf(line, sizeof line,
                "action counts: %s; worst cycle error %.2f%% on stall-free entries, %.2f%% on entries "
                "with port or link stalls (docs/dataflow.md says why those differ)\n",
                all_equal ? "all equal" : "SOME DIFFER", 100.0 * worst_stall_free, 100.0 * worst_other);
  out << line;
  return all_equal;
}

}  // namespace enos::characterize
