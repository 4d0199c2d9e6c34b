#include "replay/report.hpp"

#include <cmath>

namespace enos::replay {
namespace {

using nlohmann::json;

double rel_error(double replayed, double lut) { return lut > 0 ? (replayed - lut) / lut : 0.0; }

json level_json(const std::map<std::string, double>& m) {
  json j = json::object();
  for (const auto& [k, v] : m) j[k] = v;
  return j;
}

json layer_json(const LayerReplay& l, double cycle_ns) {
  json j = {{"name", l.name}, {"type", l.type}, {"unit", l.unit}};
  const double energy = l.array.energy_pj + l.ppu.energy_pj;
  const double cycles = l.array.cycles + double(l.ppu_cycles);
  j["energy_pj"] = energy;
  j["ppu_energy_pj"] = l.ppu.energy_pj;
  j["ppu_actions"] = l.ppu_actions.to_json();
  j["ppu_cycles"] = l.ppu_cycles;
  j["cycles"] = cycles;
  j["latency_us"] = cycles * cycle_ns / 1000.0;
  std::map<std::string, double> levels = l.array.by_level_pj;
  for (const auto& [k, v] : l.ppu.by_level_pj) levels[k] += v;
  j["energy_by_level_pj"] = level_json(levels);
  j["bit_exact"] = {{"checked_values", l.checked_values}, {"mismatches", l.mismatches},
                    {"first_mismatch_image", l.first_mismatch_image}};
  if (l.unit != "pe_array") return j;
  j["candidate"] = l.candidate;
  j["array_energy_pj"] = l.array.energy_pj;
  j["lut_energy_pj"] = l.lut_energy_pj;
  j["relative_lut_error"] = rel_error(l.array.energy_pj, l.lut_energy_pj);
  j["array_cycles"] = l.array.cycles;
  j["lut_cycles"] = l.lut_cycles;
  j["stall_cycles"] = {{"dram_bandwidth", l.cycles.stall_dram}, {"glb_ports", l.cycles.stall_glb_ports},
                       {"noc", l.cycles.stall_noc}, {"fill_drain", l.cycles.fill_drain}};
  j["stall_free"] = l.cycles.stall_dram + l.cycles.stall_glb_ports + l.cycles.stall_noc == 0;
  j["busy_cycles"] = l.cycles.busy;
  j["macs"] = l.macs;
  j["utilization"] = l.utilization;
  j["mapping"] = spec::to_json(l.mapping);
  j["counts_vary_between_images"] = l.counts_vary;
  return j;
}

struct Totals {
  double array_pj = 0, ppu_pj = 0, lut_pj = 0, cycles = 0, array_cycles = 0, capacity = 0;
  int64_t macs = 0, mismatches = 0, checked = 0;
  std::map<std::string, double> by_level, by_operator;
};

Totals totals(const ReplayResult& r) {
  Totals t;
  for (const LayerReplay& l : r.layers) {
    t.array_pj += l.array.energy_pj;
    t.ppu_pj += l.ppu.energy_pj;
    t.lut_pj += l.lut_energy_pj;
    t.cycles += l.array.cycles + double(l.ppu_cycles);
    t.array_cycles += l.array.cycles;
    t.macs += l.macs;
    if (l.utilization > 0) t.capacity += double(l.macs) / l.utilization;
    t.mismatches += l.mismatches;
    t.checked += l.checked_values;
    for (const auto& [k, v] : l.array.by_level_pj) t.by_level[k] += v;
    for (const auto& [k, v] : l.ppu.by_level_pj) t.by_level[k] += v;
    if (!l.candidate.empty()) t.by_operator[l.candidate] += l.array.energy_pj;
    if (l.ppu.energy_pj > 0) t.by_operator["ppu"] += l.ppu.energy_pj;
  }
  return t;
}

json accuracy_json(const ReplayResult& r) {
  int64_t correct = 0, ref_agree = 0, fq_compared = 0, fq_agree = 0;
  json images = json::array();
  for (const ImageResult& i : r.images) {
    correct += i.prediction == i.label;
    ref_agree += i.prediction == i.reference_prediction;
    if (i.fake_quant_prediction >= 0) {
      ++fq_compared;
      fq_agree += i.prediction == i.fake_quant_prediction;
    }
    images.push_back({{"index", i.index}, {"label", i.label}, {"prediction", i.prediction},
                      {"fake_quant_prediction", i.fake_quant_prediction >= 0 ? json(i.fake_quant_prediction) : json()}});
  }
  const double n = double(std::max<std::size_t>(1, r.images.size()));
  return {{"images", r.images.size()},
          {"correct", correct},
          {"accuracy", double(correct) / n},
          {"integer_reference_agreement", double(ref_agree) / n},
          {"fake_quant_compared", fq_compared},
          {"fake_quant_agreement", fq_compared ? json(double(fq_agree) / double(fq_compared)) : json()},
          {"per_image", images}};
}

}  // namespace

json report_json(const ReportInputs& in) {
  const Export& e = *in.exported;
  const spec::ArchSpec& arch = *in.arch;
  const Totals t = totals(*in.result);
  const double replayed_uj = (t.array_pj + t.ppu_pj) / 1e6;
  json j;
  j["format"] = "enos-validate-report/1";
  j["tool_version"] = in.tool_version;
  std::string verdict = "no_budget";
  if (in.budget_uj) verdict = replayed_uj <= *in.budget_uj ? "within_budget" : "over_budget";
  if (t.mismatches) verdict = "mismatch";
  j["verdict"] = verdict;
  j["architecture"] = {{"name", arch.name}, {"file", arch.file}, {"hash", arch.hash},
                       {"clock_mhz", arch.clock_mhz}, {"technology_nm", arch.technology_nm},
                       {"pe_array", {{"rows", arch.rows}, {"cols", arch.cols}}}};
  j["energy_table"] = {{"name", in.table->name}, {"file", in.table->file}, {"hash", in.table->hash},
                       {"technology_nm", in.table->technology_nm},
                       {"matches_export", in.table->hash == e.table_hash}};
  j["export"] = {{"mapping", e.mapping_file}, {"model", e.model}, {"dataset", e.dataset}, {"mode", e.mode},
                 {"seed", e.seed}, {"lut_file", e.lut_file}, {"lut_hash", e.lut_hash},
                 {"accuracy", e.export_accuracy}, {"test_images", e.export_test_images}};
  j["dataset"] = in.dataset;
  j["bit_exact"] = {{"ok", t.mismatches == 0}, {"checked_values", t.checked}, {"mismatches", t.mismatches}};
  j["energy"] = {{"replayed_uj", replayed_uj},
                 {"array_uj", t.array_pj / 1e6},
                 {"ppu_uj", t.ppu_pj / 1e6},
                 {"lut_estimate_uj", t.lut_pj / 1e6},
                 {"relative_lut_error", rel_error(t.array_pj, t.lut_pj)},
                 {"budget_uj", in.budget_uj ? json(*in.budget_uj) : json()},
                 {"budget_margin_uj", in.budget_uj ? json(*in.budget_uj - replayed_uj) : json()},
                 {"by_level_pj", level_json(t.by_level)},
                 {"by_operator_pj", level_json(t.by_operator)}};
  const double us = t.cycles * arch.cycle_ns() / 1000.0;
  j["latency"] = {{"cycles", t.cycles}, {"array_cycles", t.array_cycles}, {"us", us},
                  {"inferences_per_second", us > 0 ? 1e6 / us : 0.0}, {"clock_mhz", arch.clock_mhz}};
  j["utilization"] = {{"macs", t.macs}, {"array", t.capacity > 0 ? double(t.macs) / t.capacity : 0.0}};
  j["accuracy"] = accuracy_json(*in.result);
  json layers = json::array();
  for (const LayerReplay& l : in.result->layers) layers.push_back(layer_json(l, arch.cycle_ns()));
  j["layers"] = layers;
  return j;
}

}  // namespace enos::replay
