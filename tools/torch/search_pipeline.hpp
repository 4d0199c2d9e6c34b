#pragma once
// The whole `enos search` run, shared by `enos search` and `enos compare`: supernet search
// under the budget, argmax (fitted to the budget), fine-tuning of the discrete network, test
// accuracy, LUT energy, export (docs/export-format.md), log.csv.
#include <optional>
#include <string>
#include <vector>

#include "models/data.hpp"
#include "search/searcher.hpp"

namespace enos::tools {

struct SearchRunOptions {
  std::string lut_file, model, dataset, out, pin = "int:w8a8", mode = "single";
  std::optional<double> budget_uj, budget_frac;
  search::SearchConfig config;
  models::DataOptions data;
  int finetune_epochs = 2;
  double finetune_lr = 0.01;
  double validation_frac = 0.5;  // bilevel: the share of the training split α learns on
  bool int_only = false;         // the EdMIPS-like baseline: int:* candidates only
  std::optional<std::string> only;  // a uni-operator baseline: every hidden layer runs this candidate
  bool quiet = false;            // no per-epoch lines (compare prints its own)
  int reference_images = 256;
};

struct SearchRunResult {
  std::vector<std::string> assignment;  // candidate per LUT layer
  double energy_pj = 0, budget_pj = 0, reference_pj = 0;  // reference: all-int:w8a8
  double accuracy = 0;          // test accuracy after fine-tuning (fake-quantized)
  double search_seconds = 0, finetune_seconds = 0;
  bool fitted = false;          // the argmax exceeded the budget and was fitted to it
};

// Throws std::invalid_argument / spec::SpecError for bad input (exit 2 through guarded()).
SearchRunResult run_search(SearchRunOptions o);

}  // namespace enos::tools

namespace enos::tools {
// The commands (tools/torch/search_command.cpp, compare_command.cpp).
int search_command(const std::vector<std::string>& args);
int compare_command(const std::vector<std::string>& args);
}  // namespace enos::tools
