#include "tools/torch/compare_record.hpp"

#include <fstream>
#include <set>

#include <nlohmann/json.hpp>

#include "spec/atomic_file.hpp"

namespace enos::tools {
namespace {

constexpr const char* kFormat = "enos-compare-run/1";

std::string record_path(const std::string& run_dir) { return run_dir + "/compare_run.json"; }

// The arguments joined, without the options named (and their values, "--x v" or "--x=v").
std::string arguments_without(const std::vector<std::string>& args, const std::set<std::string>& left_out) {
  std::string f;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (left_out.count(a)) {
      ++i;  // and its value
      continue;
    }
    if (left_out.count(a.substr(0, a.find('=')))) continue;
    f += a;
    f += '\n';
  }
  return f;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (std::size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1)
    lines.push_back(text.substr(start, end - start));
  return lines;
}

// The record in `run_dir` whose fingerprint `matches`.
template <typename Match>
std::optional<CompareRun> load_record(const std::string& run_dir, const Match& matches) {
  std::ifstream in(record_path(run_dir));
  if (!in) return std::nullopt;
  try {
    const nlohmann::json j = nlohmann::json::parse(in);
    if (j.at("format") != kFormat || !matches(j.at("fingerprint").get<std::string>())) return std::nullopt;
    CompareRun run;
    SearchRunResult& r = run.result;
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
    if (j.contains("lent_by")) j.at("lent_by").get_to(run.lent_by);
    return run;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;  // damaged or from another version: train the run again
  }
}

}  // namespace

std::string compare_fingerprint(const std::vector<std::string>& args) {
  return arguments_without(args, {"--seeds", "--methods", "--reuse"});
}

std::string recipe_fingerprint(const std::vector<std::string>& args) {
  return arguments_without(args,
                           {"--seeds", "--methods", "--reuse", "--budget-frac", "--budget-uj", "--postproc-reserve", "--out"});
}

void save_compare_run(const std::string& run_dir, const std::string& fingerprint, const CompareRun& run) {
  const SearchRunResult& r = run.result;
  nlohmann::json j = {{"format", kFormat},
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
  if (!run.lent_by.empty()) j["lent_by"] = run.lent_by;
  spec::write_file_atomically(record_path(run_dir), j.dump(2) + "\n");
}

std::optional<CompareRun> load_compare_run(const std::string& run_dir, const std::string& fingerprint) {
  return load_record(run_dir, [&](const std::string& f) { return f == fingerprint; });
}

std::optional<CompareRun> load_run_with_recipe(const std::string& run_dir, const std::string& recipe) {
  // The record's fingerprint is its arguments, one per line: its recipe is theirs.
  return load_record(run_dir, [&](const std::string& f) { return recipe_fingerprint(split_lines(f)) == recipe; });
}

}  // namespace enos::tools
