#include "replay/replay.hpp"

#include <optional>

#include "characterize/characterize.hpp"
#include "dataflow/buffer_plan.hpp"
#include "energy/lut.hpp"
#include "replay/network.hpp"
#include "replay/sim_backend.hpp"

namespace enos::replay {
namespace {

std::vector<LayerReplay> describe_layers(const Export& e) {
  std::vector<LayerReplay> out;
  std::size_t m = 0;
  for (std::size_t i = 0; i < e.layers.size(); ++i) {
    const spec::Layer& wl = e.workload.layers[i];
    LayerReplay l;
    l.name = wl.name;
    l.type = spec::to_string(wl.type);
    l.unit = wl.is_mac() ? "pe_array" : "ppu";
    if (wl.is_mac()) {
      l.candidate = pe::to_string(e.layers[i].candidate);
      l.lut_energy_pj = e.mapped[m].energy_pj;
      l.lut_cycles = e.mapped[m].latency_cycles;
      ++m;
    }
    out.push_back(l);
  }
  return out;
}

// The PPU's work per layer: the same for every image, counted once.
void count_postproc(const Export& e, const spec::ArchSpec& arch, const energy::EnergyTable& table,
                    const dataflow::BufferPlan& plan, std::vector<LayerReplay>& layers) {
  const std::vector<TensorFormat> fmt = tensor_formats(e);
  std::map<std::string, PpuInput> tensor_of{{"input", {int64_t(e.workload.input.C) * e.workload.input.H * e.workload.input.W, e.input.bits}}};
  for (std::size_t i = 0; i < e.layers.size(); ++i) {
    const spec::FeatureShape& s = e.workload.layers[i].out;
    tensor_of[e.workload.layers[i].name] = {int64_t(s.C) * s.H * s.W, fmt[i].bits, fmt[i].is_signed};
  }
  for (std::size_t i = 0; i < e.layers.size(); ++i) {
    const spec::Layer& wl = e.workload.layers[i];
    PpuWork w;
    if (wl.is_mac()) {
      w = mac_postproc(wl, e.layers[i]);
    } else {
      std::vector<PpuInput> ins;
      for (const std::string& name : wl.inputs) ins.push_back(tensor_of.at(name));
      w = layer_postproc(wl, e.layers[i], ins, fmt[i].bits, arch, plan.layers.at(i));
      if (w.on_host_path) layers[i].unit = "address";
    }
    layers[i].ppu_actions = w.actions;
    layers[i].ppu_cycles = w.cycles;
    layers[i].ppu.add(energy::price(w.actions, w.cycles, arch, table), 1.0);
  }
}

// The LUT the search used, when its file is still there (check_lut finds it and refuses one
// that changed since the search or belongs to another architecture, as validate does).
std::optional<energy::Lut> search_lut(const Export& e, const spec::ArchSpec& arch) {
  const std::string file = check_lut(e, arch.hash, arch.file);
  if (file.empty()) return std::nullopt;
  return energy::load_lut(file);
}

// Where each MAC layer's LUT entry assumed its data and how many zeros: what the entry recorded
// (docs/lut-format.md), or, without the LUT file, the rule `enos characterize` follows.
void add_residency(const Export& e, const spec::ArchSpec& arch, const dataflow::BufferPlan& actual,
                   std::vector<LayerReplay>& layers) {
  const std::optional<energy::Lut> lut = search_lut(e, arch);
  std::optional<dataflow::BufferPlan> widest;
  for (std::size_t i = 0; i < e.layers.size(); ++i) {
    layers[i].residency = actual.layers.at(i);
    const spec::Layer& wl = e.workload.layers[i];
    if (!wl.is_mac()) continue;
    const energy::LutEntry* entry = lut ? lut->find(wl.name, pe::to_string(e.layers[i].candidate)) : nullptr;
    if (entry) {
      const energy::LutResidency& r = entry->residency;
      layers[i].lut_residency = {r.inputs, r.outputs, r.weights, r.reserved_bytes};
      layers[i].lut_input_zero_frac = entry->input_zero_frac;
      continue;
    }
    if (!widest) widest = dataflow::lut_context_plan(e.workload, arch, e.layers[i].candidate, dataflow::LutContext::Widest);
    layers[i].lut_residency = widest->layers.at(i);
    layers[i].lut_input_zero_frac = characterize::assumed_input_zero_frac(e.workload, i, arch);
  }
}

bool same_counts(const spec::ActionCounts& a, const spec::ActionCounts& b) { return a == b; }

void record_mac(const SimBackend& sim, std::size_t i, const spec::ArchSpec& arch, const energy::EnergyTable& table,
                double weight, bool first, LayerReplay& l, spec::ActionCounts& first_counts) {
  const sim::LayerResult& r = sim.result(i);
  l.array.add(energy::price(r.actions, r.cycles.total(), arch, table), weight);
  if (first) {
    l.mapping = sim.mapping(i);
    l.cycles = r.cycles;
    l.macs = r.macs;
    const double capacity = double(r.cycles.total()) * arch.rows * arch.cols * sim.lanes(i);
    l.utilization = capacity > 0 ? double(r.macs) / capacity : 0.0;
    first_counts = r.actions;
  } else if (!same_counts(first_counts, r.actions)) {
    l.counts_vary = true;
  }
}

}  // namespace

void PricedMean::add(const energy::EnergyBreakdown& b, double weight) {
  energy_pj += weight * b.total_pj;
  cycles += weight * double(b.cycles);
  for (const auto& [level, pj] : b.by_level_pj) by_level_pj[level] += weight * pj;
  for (const auto& [action, p] : b.by_action) by_action_pj[action] += weight * p.energy_pj;
}

void PricedMean::scale(double factor) {
  energy_pj *= factor;
  cycles *= factor;
  for (auto& [level, pj] : by_level_pj) pj *= factor;
  for (auto& [action, pj] : by_action_pj) pj *= factor;
}

int64_t ReplayResult::mismatches() const {
  int64_t n = 0;
  for (const LayerReplay& l : layers) n += l.mismatches;
  return n;
}

ReplayResult replay(sim::Runner& runner, const ReplayRequest& request) {
  const Export& e = *request.exported;
  const spec::ArchSpec& arch = *request.arch;
  ReplayResult result;
  result.layers = describe_layers(e);
  SimBackend sim(runner, *request.table);
  sim.plan_all(e);  // every refusal before the first image
  result.buffer_plan = sim.buffer_plan();
  add_residency(e, arch, sim.buffer_plan(), result.layers);
  count_postproc(e, arch, *request.table, sim.buffer_plan(), result.layers);
  std::map<int64_t, const ReferenceImage*> reference;
  for (const ReferenceImage& r : e.reference) reference[r.index] = &r;

  sim.set_before_run(request.before_mac);
  ReferenceBackend ref;
  std::vector<spec::ActionCounts> first_counts(e.layers.size());
  const int64_t n = request.count;
  for (int64_t img = 0; img < n; ++img) {
    const std::vector<uint8_t> pixels = image_pixels(request.images->set, img);
    sim.set_tracing(request.trace && img == 0);
    const Forward hw = forward(e, pixels, sim);
    const Forward want = forward(e, pixels, ref);
    for (std::size_t i = 0; i < e.layers.size(); ++i) {
      LayerReplay& l = result.layers[i];
      const Difference d = compare_layer(hw, want, i);
      l.checked_values += int64_t(want.outputs[i].values.size() + want.accs[i].size());
      l.mismatches += d.count;
      if (d.count && l.first_mismatch_image < 0) l.first_mismatch_image = img;
      if (!e.workload.layers[i].is_mac()) continue;
      record_mac(sim, i, arch, *request.table, 1.0, img == 0, l, first_counts[i]);
      if (request.trace && img == 0) {
        l.trace = sim.trace(i);
        l.start_cycle = sim.result(i).start_cycle;
      }
    }
    ImageResult ir;
    ir.index = img;
    ir.label = request.images->set.labels[std::size_t(img)];
    ir.prediction = hw.prediction;
    ir.reference_prediction = want.prediction;
    auto it = reference.find(img);
    if (it != reference.end()) ir.fake_quant_prediction = it->second->fake_quant_prediction;
    result.images.push_back(ir);
    if (request.progress) request.progress(img + 1, n);
  }
  for (std::size_t i = 0; i < result.layers.size(); ++i) {
    LayerReplay& l = result.layers[i];
    l.array.scale(1.0 / double(n));
    if (!e.workload.layers[i].is_mac()) continue;
    l.input_zero_frac = sim.input_zero_frac(i);
  }
  return result;
}

}  // namespace enos::replay
