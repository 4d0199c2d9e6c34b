#pragma once
// One finished run of `enos compare`, kept in its folder (DIR/<run>/seed<S>/compare_run.json) so
// that an interrupted comparison resumes where it stopped instead of training every run again,
// and so that another budget's comparison with the same recipe can read the runs that do not
// depend on the budget (--reuse).
#include <optional>
#include <string>
#include <vector>

#include "tools/torch/search_pipeline.hpp"

namespace enos::tools {

// What makes two runs the same: the comparison's arguments but those that only choose which runs
// happen (--seeds, --methods, --reuse), and the run's folder (method and seed).
std::string compare_fingerprint(const std::vector<std::string>& args);
// What makes two runs train the same network when nothing is searched or fitted (the int:w8a8
// reference, a uni-operator network): the fingerprint without the budget, its post-processing
// reserve and the output folder.
std::string recipe_fingerprint(const std::vector<std::string>& args);

struct CompareRun {
  SearchRunResult result;
  std::string lent_by;  // the run folder of another comparison it was read from (--reuse); "" if trained here
};

// Writes the record atomically once the run has finished (or was read from another comparison).
void save_compare_run(const std::string& run_dir, const std::string& fingerprint, const CompareRun& run);
// The record of a finished run with the same fingerprint; nothing when there is none, it is
// damaged or it came from other options (the run is then trained again).
std::optional<CompareRun> load_compare_run(const std::string& run_dir, const std::string& fingerprint);
// The record of a finished run with the same recipe, whatever its budget (records written
// before --reuse existed included: the recipe is read from the fingerprint).
std::optional<CompareRun> load_run_with_recipe(const std::string& run_dir, const std::string& recipe);

}  // namespace enos::tools
