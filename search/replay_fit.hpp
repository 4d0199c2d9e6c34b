#pragma once
// Fitting the chosen network to the whole budget by measurement (docs/search.md, "The
// post-processing reserve"). The LUT prices the PE array only; the post-processing unit's
// energy (requantization, pools, sums, and the DRAM traffic of those passes) depends on the
// network chosen: on a ShuffleNetV2 ×0.5 it was 1.2 µJ of a 50.6 µJ budget, on a ShuffleNet v1
// up to 131.6 of 303.4 µJ, so no fixed share of the budget fits every model. Here each round
// replays a provisional export of the network (`enos validate`'s counts, on the SystemC model),
// moves the PE array's share of the budget by what the replay found over or left, and refits.
#include <functional>
#include <vector>

#include "search/budget.hpp"

namespace enos::search {

// The energy per inference of an export as the replay counts it (pJ).
struct ReplayedEnergy {
  double total_pj = 0, array_pj = 0, postproc_pj = 0;
};

struct ReplayFit {
  std::vector<int> assignment;    // the network to fine-tune and export
  double array_budget_pj = 0;     // the LUT energy it was fitted to
  ReplayedEnergy measured;        // its replay
  int rounds = 0;                 // replays made
  bool within_budget = false;     // false: no network tried fit; `assignment` is the cheapest replayed
};

struct ReplayFitOptions {
  int rounds = 6;  // replays at most (a network met again is not replayed again)
  // A network whose replay leaves less than this share of the budget unspent is kept.
  double tolerance = 0.02;
  // When over, the array's share moves down by the excess and this share of the budget more,
  // so the next round does not land on the edge again.
  double margin = 0.005;
};

// `start` is the network fitted to `array_budget_pj` by the LUT; `measure` replays an
// assignment. Deterministic for a deterministic `measure`. Keeps the feasible network with
// the most LUT energy among those replayed (the widest operands the budget allows).
ReplayFit fit_to_replay(const std::vector<LayerPreference>& layers, const std::vector<int>& start,
                        double array_budget_pj, double budget_pj, double minimum_pj,
                        const std::function<ReplayedEnergy(const std::vector<int>&)>& measure,
                        const ReplayFitOptions& o = {});

}  // namespace enos::search
