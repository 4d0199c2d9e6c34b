#pragma once
// One finished run of `enos compare`, kept in its folder (DIR/<run>/seed<S>/compare_run.json) so
// that an interrupted comparison resumes where it stopped instead of training every run again.
#include <optional>
#include <string>
#include <vector>

#include "tools/torch/search_pipeline.hpp"

namespace enos::tools {

// What makes two runs the same: the comparison's arguments but those that only choose which runs
// happen (--seeds, --methods), and the run's folder (method and seed).
std::string compare_fingerprint(const std::vector<std::string>& args);

// Writes the record atomically once the run has finished.
void save_compare_run(const std::string& run_dir, const std::string& fingerprint, const SearchRunResult& r);
// The record of a finished run with the same fingerprint; nothing when there is none, it is
// damaged or it came from other options (the run is then trained again).
std::optional<SearchRunResult> load_compare_run(const std::string& run_dir, const std::string& fingerprint);

}  // namespace enos::tools
