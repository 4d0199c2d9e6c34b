#pragma once
// The configuration of `enos run` (docs/run-config.md): every stage's inputs. Paths are
// relative to the config file's folder; the built-in default uses the shipped configs.
#include <optional>
#include <string>
#include <vector>

namespace enos::tools {

struct RunConfig {
  std::string file;  // "built-in default" when none was given
  std::string out = "out/run";
  std::string arch;          // architecture JSON
  std::string energy_table;  // empty: the architecture's
  std::string model = "shufflenetv2_x0.5";
  std::string workload;      // instead of model: a workload JSON to characterize
  std::string dataset = "fashion-mnist";  // NAME[:DIR]
  // characterize
  int jobs = 2;
  std::string candidates;  // empty: every mode of the PE
  // search
  std::string export_dir;  // when set, the search is skipped and this export is validated
  std::string init = "zoo";  // the search's start: zoo, none or a checkpoint file
  std::string mode = "stochastic";
  double budget_frac = 0.6;
  int epochs = 2;
  int finetune_epochs = 1;
  int train_limit = 6000;
  int test_limit = 1000;
  uint64_t seed = 1;
  std::vector<std::string> search_args;  // passed through to `enos search` (e.g. fine-tune options)
  // validate
  int images = 200;  // the replay takes ~50 ms an image; 200 measure the agreement to 0.5 %
  std::optional<double> budget_uj;  // default: the export's
};

RunConfig default_run_config();
// Throws spec::SpecError "<file>: run.<path>: <reason>"; unknown keys are errors.
RunConfig load_run_config(const std::string& file);

}  // namespace enos::tools
