#include "tools/torch/compare_record.hpp"

#include <fstream>

#include <nlohmann/json.hpp>

#include "spec/atomic_file.hpp"

namespace enos::tools {
namespace {

constexpr const char* kFormat = "enos-compare-run/1";

std::string record_path(const std::string& run_dir) { return run_dir + "/compare_run.json"; }

}  // namespace

std::string compare_fingerprint(const std::vector<std::string>& args) {
  std::string f;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    const bool selects_runs = a == "--seeds" || a == "--methods";
    if (selects_runs) {
      ++i;  // and its value
      continue;
    }
    if (a.rfind("--seeds=", 0) == 0 || a.rfind("--methods=", 0) == 0) continue;
    f += a;
    f += '\n';
  }
  return f;
}

void save_compare_run(const std::string& run_dir, const std::string& fingerprint, const SearchRunResult& r) {
  const nlohmann::json j = {{"format", kFormat},
                            {"fingerprint", fingerprint},
                            {"assignment", r.assignment},
                            {"energy_pj", r.energy_pj},
                            {"budget_pj", r.budget_pj},
                            {"reference_pj", r.reference_pj},
                            {"array_budget_pj", r.array_budget_pj},
                            {"accuracy", r.accuracy},
                            {"test_images", r.test_images},
                            {"holdout_accuracy", r.holdout_accuracy},
                            {"search_seconds", r.search_seconds},
                            {"finetune_seconds", r.finetune_seconds},
                            {"fitted", r.fitted},
                            {"spent_pj", r.spent_pj},
                            {"init", r.init},
                            {"seed", r.seed},
                            {"start_accuracy", r.start_accuracy}};
  spec::write_file_atomically(record_path(run_dir), j.dump(2) + "\n");
}

std::optional<SearchRunResult> load_compare_run(const std::string& run_dir, const std::string& fingerprint) {
  std::ifstream in(record_path(run_dir));
  if (!in) return std::nullopt;
  try {
    const nlohmann::json j = nlohmann::json::parse(in);
    if (j.at("format") != kFormat || j.at("fingerprint") != fingerprint) return std::nullopt;
    SearchRunResult r;
    j.at("assignment").get_to(r.assignment);
    j.at("energy_pj").get_to(r.energy_pj);
    j.at("budget_pj").get_to(r.budget_pj);
    j.at("reference_pj").get_to(r.reference_pj);
    j.at("array_budget_pj").get_to(r.array_budget_pj);
    j.at("accuracy").get_to(r.accuracy);
    j.at("test_images").get_to(r.test_images);
    j.at("holdout_accuracy").get_to(r.holdout_accuracy);
    j.at("search_seconds").get_to(r.search_seconds);
    j.at("finetune_seconds").get_to(r.finetune_seconds);
    j.at("fitted").get_to(r.fitted);
    j.at("spent_pj").get_to(r.spent_pj);
    j.at("init").get_to(r.init);
    j.at("seed").get_to(r.seed);
    j.at("start_accuracy").get_to(r.start_accuracy);
    return r;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;  // damaged or from another version: train the run again
  }
}

}  // namespace enos::tools
