#pragma once
// MAC layers on the SystemC model: each layer mapped once (the mapper with the real energy
// table, as `enos characterize` maps it, so the replay runs the LUT's mapping), then every
// image streamed through the one elaborated accelerator.
#include <functional>
#include <map>

#include "dataflow/buffer_plan.hpp"
#include "energy/table.hpp"
#include "replay/export.hpp"
#include "replay/network.hpp"
#include "sim/runner.hpp"

namespace enos::replay {

class SimBackend : public MacBackend {
 public:
  SimBackend(sim::Runner& runner, const energy::EnergyTable& table) : runner_(runner), table_(table) {}
  std::vector<pe::Psum> run(std::size_t index, const spec::Layer& layer, const NetLayer& net,
                            const pe::LayerData& data) override;
  // Plans the network's buffer (dataflow/buffer_plan.hpp) with the operators the export chose,
  // then checks every MAC layer of the export against the limits and maps it in its place in
  // that plan, before the first image: a refusal is a SpecError naming the export's file and
  // the layer's JSON path.
  void plan_all(const Export& e);
  const dataflow::BufferPlan& buffer_plan() const { return buffer_plan_; }
  // Where layer `index`'s tensors live (nothing resident before plan_all).
  dataflow::Residency residency(std::size_t index) const {
    return index < buffer_plan_.layers.size() ? buffer_plan_.layers[index] : dataflow::Residency{};
  }
  // The last run of layer `index` (its outputs already handed back).
  const sim::LayerResult& result(std::size_t index) const { return results_.at(index); }
  const spec::Mapping& mapping(std::size_t index) const { return plans_.at(index).mapping; }
  int lanes(std::size_t index) const { return plans_.at(index).plan.lanes; }
  // While on, each run logs its modules' activities (sim::TraceEvent) into trace(index).
  void set_tracing(bool on) { tracing_ = on; }
  // Called before each layer is streamed (e.g. to arm a VCD probe for one layer).
  void set_before_run(std::function<void(const spec::Layer&)> f) { before_run_ = std::move(f); }
  const std::vector<sim::TraceEvent>& trace(std::size_t index) { return traces_[index]; }
  // The share of zero activations among every input layer `index` was run with so far (what
  // zero gating skips), 0 before it ran.
  double input_zero_frac(std::size_t index) const;

 private:
  struct Planned {
    spec::Mapping mapping;
    dataflow::LayerPlan plan;
  };
  const Planned& plan(std::size_t index, const spec::Layer& layer, const NetLayer& net);

  sim::Runner& runner_;
  const energy::EnergyTable& table_;
  dataflow::BufferPlan buffer_plan_;
  std::map<std::size_t, std::pair<int64_t, int64_t>> input_zeros_;  // index → (zeros, values)
  std::map<std::size_t, Planned> plans_;
  std::map<std::size_t, sim::LayerResult> results_;
  std::map<std::size_t, std::vector<sim::TraceEvent>> traces_;
  bool tracing_ = false;
  std::function<void(const spec::Layer&)> before_run_;
};

}  // namespace enos::replay
