// report.json (docs/validate.md): every key carries its unit (`_pj`, `_uj`, `_us`, `_mhz`,
// `_nm`, `cycles`) or `_frac` (a fraction, 0–1); cycle counts are integers.
#include <cmath>

#include "replay/report_parts.hpp"

namespace enos::replay {
namespace {

using nlohmann::json;

// Wilson's 95 % interval of a proportion: with 20 images, 45 % could be anything from 26 %
// to 66 %, which is what a reader comparing it with the export's figure needs to know.
json wilson_interval(int64_t hits, int64_t n) {
  if (n <= 0) return json();
  const double z = 1.959964, p = double(hits) / double(n), nn = double(n);
  const double centre = (p + z * z / (2 * nn)) / (1 + z * z / nn);
  const double half = z * std::sqrt(p * (1 - p) / nn + z * z / (4 * nn * nn)) / (1 + z * z / nn);
  return json::array({std::max(0.0, centre - half), std::min(1.0, centre + half)});
}

json fraction_or_null(int64_t hits, int64_t n) { return n > 0 ? json(double(hits) / double(n)) : json(); }

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
  const int64_t n = int64_t(r.images.size());
  return {{"images", n},
          {"correct", correct},
          {"accuracy_frac", fraction_or_null(correct, n)},
          {"accuracy_ci95_frac", wilson_interval(correct, n)},
          {"integer_reference_agreeing", ref_agree},
          {"integer_reference_agreement_frac", fraction_or_null(ref_agree, n)},
          {"fake_quant_compared", fq_compared},
          {"fake_quant_agreeing", fq_agree},
          {"fake_quant_agreement_frac", fraction_or_null(fq_agree, fq_compared)},
          {"per_image", images}};
}

std::string verdict_of(double replayed_uj, const std::optional<double>& budget_uj, int64_t mismatches) {
  if (mismatches) return "mismatch";
  if (!budget_uj) return "no_budget";
  return replayed_uj <= *budget_uj ? "within_budget" : "over_budget";
}

void add_budget(json& energy, const std::optional<double>& budget_uj) {
  const double replayed = energy["replayed_uj"].get<double>();
  const bool has = budget_uj && *budget_uj > 0;
  energy["budget_uj"] = budget_uj ? json(*budget_uj) : json();
  energy["budget_margin_uj"] = budget_uj ? json(*budget_uj - replayed) : json();
  energy["budget_margin_frac"] = has ? json((*budget_uj - replayed) / *budget_uj) : json();
  energy["budget_used_frac"] = has ? json(replayed / *budget_uj) : json();
}

json export_json(const Export& e) {
  return {{"mapping", e.mapping_file}, {"model", e.model}, {"dataset", e.dataset}, {"mode", e.mode}, {"seed", e.seed},
          {"lut_file", e.lut_file}, {"lut_hash", e.lut_hash},
          // The fake-quantized model's test accuracy as the search measured it (LibTorch).
          {"accuracy_frac", e.export_test_images > 0 ? json(e.export_accuracy) : json()},
          {"test_images", e.export_test_images}};
}

}  // namespace

json report_json(const ReportInputs& in) {
  const Export& e = *in.exported;
  const spec::ArchSpec& arch = *in.arch;
  json j;
  j["format"] = "enos-validate-report/2";
  j["tool_version"] = in.tool_version;
  j["architecture"] = {{"name", arch.name}, {"file", arch.file}, {"hash", arch.hash},
                       {"clock_mhz", arch.clock_mhz}, {"technology_nm", arch.technology_nm},
                       {"pe_array", {{"rows", arch.rows}, {"cols", arch.cols}}}, {"pes", arch.rows * arch.cols}};
  j["energy_table"] = {{"name", in.table->name}, {"file", in.table->file}, {"hash", in.table->hash},
                       {"technology_nm", in.table->technology_nm},
                       {"matches_export", in.table->hash == e.table_hash}};
  j["export"] = export_json(e);
  j["dataset"] = in.dataset;
  const json layers = detail::layers_json(in);
  int64_t checked = 0, mismatches = 0;
  for (const json& l : layers) {
    checked += l["bit_exact"]["checked_values"].get<int64_t>();
    mismatches += l["bit_exact"]["mismatches"].get<int64_t>();
  }
  j["bit_exact"] = {{"ok", mismatches == 0}, {"checked_values", checked}, {"mismatches", mismatches}};
  j["energy"] = detail::energy_totals(layers);
  add_budget(j["energy"], in.budget_uj);
  j["verdict"] = verdict_of(j["energy"]["replayed_uj"].get<double>(), in.budget_uj, mismatches);
  j["latency"] = detail::latency_totals(layers, arch.clock_mhz);
  j["utilization"] = detail::utilization_totals(layers, int64_t(arch.rows) * arch.cols);
  j["accuracy"] = accuracy_json(*in.result);
  j["layers"] = layers;
  j["flags"] = detail::report_flags(j);
  return j;
}

}  // namespace enos::replay
