#pragma once
// The terminal and file side of a search run, shared by `enos search` and `enos compare`: the
// pipeline itself is search::run_pipeline (search/pipeline.hpp); this prints its progress and
// writes DIR/log.csv. Also the options both commands share.
#include <string>
#include <vector>

#include "search/pipeline.hpp"
#include "tools/shared_options.hpp"

namespace boost::program_options {
class options_description;
class variables_map;
}

namespace enos::tools {

struct SearchRunOptions {
  search::PipelineOptions pipeline;
  bool quiet = false;  // no per-epoch lines (compare prints its own)
};
using SearchRunResult = search::PipelineResult;

SearchRunResult run_search(const SearchRunOptions& o);

// The options of the search recipe that `enos search` and `enos compare` share (LUT, model,
// dataset, budget fraction, epochs, learning rates, start checkpoint, calibration, distillation,
// limits, seed, threads), their defaults from search::PipelineOptions.
SharedOptions search_shared_options();
struct SharedSearchOptions {
  search::PipelineOptions pipeline;
  SharedOptions shared = search_shared_options();  // dataset, limits, threads, seed, pin
  double budget_frac = 0, budget_uj = 0;
  std::string augment = "standard", calibration = "mse";
  // replay: the chosen network fitted to the whole budget by replaying provisional exports
  // (search/replay_fit.hpp); reserve: by the LUT, within 1 − --postproc-reserve of it.
  std::string budget_fit = "replay";
};
void add_shared_search_options(boost::program_options::options_description& d, SharedSearchOptions& o);
// Checks the shared values (std::invalid_argument naming the option), applies threads and
// augmentation, and fills the budget from whichever option was given.
void finish_shared_search_options(SharedSearchOptions& o, const boost::program_options::variables_map& given);

// The commands (tools/torch/search_command.cpp, compare_command.cpp).
int search_command(const std::vector<std::string>& args);
int compare_command(const std::vector<std::string>& args);

}  // namespace enos::tools
