// `enos run`: the whole pipeline on one config — characterize the architecture for the model,
// search (LibTorch, in enos-nn), replay and report — each stage as a child `enos` process
// (each elaborates its own SystemC model; SystemC allows one elaboration per process).
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include "datasets/dataset_catalog.hpp"
#include "spec/exact_number.hpp"
#include "spec/json_reader.hpp"
#include "spec/process.hpp"
#include "tools/cli.hpp"
#include "tools/option_values.hpp"
#include "tools/run_config.hpp"

namespace po = boost::program_options;

namespace enos::tools {
namespace {

std::string quoted(const std::vector<std::string>& argv) {
  std::string s;
  for (const std::string& a : argv) s += (s.empty() ? "" : " ") + a;
  return s;
}

// Runs `enos ARGS…` with this terminal (its progress bars show) and returns its exit code.
int run_stage(const std::vector<std::string>& args) {
  std::vector<std::string> argv{spec::own_executable()};
  argv.insert(argv.end(), args.begin(), args.end());
  std::printf("$ enos %s\n", quoted(args).c_str());
  const int code = spec::run_child(argv);
  return code >= 128 ? kInternalError : code;  // killed, or not started
}

std::string input_of(const std::string& dataset) {
  const spec::FeatureShape s = datasets::parse_dataset_ref(dataset).info.input;
  return std::to_string(s.H) + "x" + std::to_string(s.W) + "x" + std::to_string(s.C);
}

// The classifier's width: CIFAR-100's LUT is that of a 100-output classifier, or the search
// would refuse it (its last layer's shape differs from the model's).
std::string classes_of(const std::string& dataset) {
  return std::to_string(datasets::parse_dataset_ref(dataset).info.classes);
}

std::vector<std::string> characterize_args(const RunConfig& c) {
  std::vector<std::string> a{"characterize", "--arch", c.arch, "--jobs", std::to_string(c.jobs), "--out", c.out + "/lut.json"};
  if (c.workload.empty()) a.insert(a.end(), {"--model", c.model, "--input", input_of(c.dataset), "--classes", classes_of(c.dataset)});
  else a.insert(a.end(), {"--workload", c.workload});
  if (!c.energy_table.empty()) a.insert(a.end(), {"--energy-table", c.energy_table});
  if (!c.candidates.empty()) a.insert(a.end(), {"--candidates", c.candidates});
  return a;
}

std::vector<std::string> search_args(const RunConfig& c) {
  std::vector<std::string> a{"search", "--lut", c.out + "/lut.json", "--model", c.model, "--dataset", c.dataset,
                             "--init", c.init, "--budget-frac", spec::exact_number(c.budget_frac), "--mode", c.mode,
                             "--epochs", std::to_string(c.epochs), "--finetune-epochs", std::to_string(c.finetune_epochs),
                             "--train-limit", std::to_string(c.train_limit),
                             "--test-limit", std::to_string(c.test_limit), "--seed", std::to_string(c.seed),
                             "--out", c.out + "/search"};
  a.insert(a.end(), c.search_args.begin(), c.search_args.end());
  return a;
}

std::vector<std::string> validate_args(const RunConfig& c, const std::string& export_dir) {
  std::vector<std::string> a{"validate", "--arch", c.arch, "--mapping", export_dir + "/mapping.json", "--dataset", c.dataset,
                             "--images", std::to_string(c.images), "--out", c.out + "/report"};
  if (!c.energy_table.empty()) a.insert(a.end(), {"--energy-table", c.energy_table});
  // Every digit: std::to_string's six decimals would turn a budget of 1e-7 µJ into 0.
  if (c.budget_uj) a.insert(a.end(), {"--budget-uj", spec::exact_number(*c.budget_uj)});
  return a;
}

void check_inputs(const RunConfig& c) {
  datasets::parse_dataset_ref(c.dataset);  // an unknown name fails here, not after the LUT
  if (!std::ifstream(c.arch)) throw spec::SpecError(c.file, "run.arch", "'" + c.arch + "' does not exist");
  if (!c.export_dir.empty() && !std::ifstream(c.export_dir + "/mapping.json"))
    throw spec::SpecError(c.file, "run.search.export", "'" + c.export_dir + "/mapping.json' does not exist");
}

int stage_failed(const char* stage, int code) {
  std::fprintf(stderr, "enos run: the %s stage failed (exit code %d); see its messages above\n", stage, code);
  return code == kOk ? kInternalError : code;
}

int run_pipeline(const RunConfig& c) {
  const auto t0 = std::chrono::steady_clock::now();
  check_inputs(c);
  std::filesystem::create_directories(c.out);
  const bool search = c.export_dir.empty();
  std::printf("enos run (%s): %s on %s, %s\n", c.file.c_str(), c.workload.empty() ? c.model.c_str() : c.workload.c_str(),
              c.dataset.c_str(), search ? ("search " + c.mode + ", budget " + std::to_string(c.budget_frac) + " of the all-int:w8a8 energy").c_str()
                                        : ("export " + c.export_dir).c_str());
  std::printf("\n[1/3] characterize\n");
  if (int rc = run_stage(characterize_args(c))) return stage_failed("characterize", rc);
  std::printf("\n[2/3] search and fine-tune%s\n", search ? "" : " (skipped: the config names an export)");
  if (search)
    if (int rc = run_stage(search_args(c))) return stage_failed("search", rc);
  std::printf("\n[3/3] validate (replay on the SystemC model)\n");
  const int rc = run_stage(validate_args(c, search ? c.out + "/search" : c.export_dir));
  if (rc != kOk && rc != kOverBudget) return stage_failed("validate", rc);
  const double minutes = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() / 60.0;
  std::printf("\nenos run finished in %.1f min. Report: %s/report/report.html — verdict: %s\n", minutes, c.out.c_str(),
              rc == kOk ? "within the energy budget (or none given)" : "OVER the energy budget");
  return rc;
}

}  // namespace

int run_command(const Args& args) {
  return guarded("run", [&] {
    std::string config;
    po::options_description d(
        "enos run [--config FILE]\n\nThe whole pipeline: characterize, search (stochastic ENOS) with fine-tuning, replay and\n"
        "report. Without --config it runs the built-in default (docs/run-config.md).\n\noptions");
    d.add_options()("help,h", "print this help")("config", po::value(&config), "run configuration JSON (docs/run-config.md)");
    if (!parse_options(args, d)) return int(kOk);
    return run_pipeline(config.empty() ? default_run_config() : load_run_config(config));
  });
}

}  // namespace enos::tools
