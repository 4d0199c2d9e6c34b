#include "search/replay_fit.hpp"

#include <algorithm>
#include <map>
#include <optional>

namespace enos::search {
namespace {

// Where the PE array's share goes after a replay: down by the excess (and a margin), or up by
// most of what was left. The post-processing changes little between neighbouring networks.
double next_array_budget(double array_budget_pj, const ReplayedEnergy& m, double budget_pj, const ReplayFitOptions& o) {
  const double headroom = budget_pj - m.total_pj;
  return headroom < 0 ? array_budget_pj + headroom - o.margin * budget_pj : array_budget_pj + 0.9 * headroom;
}

}  // namespace

ReplayFit fit_to_replay(const std::vector<LayerPreference>& layers, const std::vector<int>& start,
                        double array_budget_pj, double budget_pj, double minimum_pj,
                        const std::function<ReplayedEnergy(const std::vector<int>&)>& measure,
                        const ReplayFitOptions& o) {
  ReplayFit best, cheapest;
  std::map<std::vector<int>, ReplayedEnergy> replayed;  // a network met again is not replayed again
  std::vector<int> a = start;
  double share = array_budget_pj;
  // Once one share gave a network within the budget and another one over it, the next share is
  // halfway between the two: the networks move in discrete steps, and a step by the headroom
  // alone can swing over and under the budget without settling.
  std::optional<double> fits_at, over_at;
  for (int iteration = 0; iteration < 64; ++iteration) {
    auto it = replayed.find(a);
    if (it == replayed.end()) {
      if (int(replayed.size()) == o.rounds) break;
      it = replayed.emplace(a, measure(a)).first;
    }
    const ReplayedEnergy m = it->second;
    const ReplayFit here{a, share, m, int(replayed.size()), m.total_pj <= budget_pj};
    if (here.within_budget && (!best.within_budget || lut_energy_pj(layers, a) > lut_energy_pj(layers, best.assignment)))
      best = here;
    if (cheapest.assignment.empty() || m.total_pj < cheapest.measured.total_pj) cheapest = here;
    if (here.within_budget && budget_pj - m.total_pj <= o.tolerance * budget_pj) break;
    if (here.within_budget) fits_at = std::max(fits_at.value_or(share), share);
    else over_at = std::min(over_at.value_or(share), share);
    const bool bracketed = fits_at && over_at;
    if (bracketed && *over_at - *fits_at < 1e-3 * budget_pj) break;  // nothing between them left to try
    const double next_share =
        std::max(bracketed ? (*fits_at + *over_at) / 2 : next_array_budget(share, m, budget_pj, o), minimum_pj);
    std::vector<int> next = spend_leftover(layers, fit_budget(layers, next_share), next_share);
    if (next == a && !bracketed) break;  // the budget moved too little to change any layer
    a = std::move(next), share = next_share;
  }
  ReplayFit out = best.within_budget ? best : cheapest;
  out.rounds = int(replayed.size());
  return out;
}

}  // namespace enos::search
