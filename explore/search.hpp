#pragma once
// `enos explore --search`: a short ENOS search per Pareto-front architecture, so each is judged
// with the per-layer operators it suits rather than one operator everywhere. For each front
// point × shipped-model workload it writes the point's full LUT (every mode of its PE, through
// the cache) and runs `enos search` on it as a separate process (LibTorch lives in enos-nn).
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "explore/point.hpp"

namespace enos::explore {

struct FrontSearchOptions {
  std::string enos;     // the enos binary that runs `search` (one built with LibTorch)
  std::string dataset;  // --dataset of enos search, e.g. cifar10:DIR
  double budget_frac = 0.5;
  std::vector<std::string> extra;  // further options of enos search (the schedule)
};

// The command line of one point's search: the point's LUT in `dir`, the export in dir/run.
std::vector<std::string> search_command(const FrontSearchOptions& o, const std::string& model, const std::string& dir);

// Resumable: a front point whose search finished (DIR/search/<id>_w<k>/status.json) is not
// searched again. Writes DIR/search.csv; tells `progress` what it does. Returns how many
// searches failed.
int search_front(ExploreContext& ctx, const std::string& dir, const std::vector<nlohmann::json>& points,
                 const FrontSearchOptions& o, std::ostream& progress);

}  // namespace enos::explore
