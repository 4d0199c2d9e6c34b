// The replay-measured budget fit (search/replay_fit.hpp) over random networks, with a model of
// the replay in which the post-processing depends on the network chosen (as on ShuffleNet v1,
// where narrower tensors stay on chip): the fit ends within the whole budget whenever a
// network tried fits, spends what a fixed reserve would leave, and is deterministic.
#include <catch2/catch.hpp>

#include <numeric>
#include <random>

#include "search/replay_fit.hpp"

namespace enos::search {
namespace {

const std::vector<std::string> kCandidates = {"int:w8a8", "int:w4a8", "int:w4a4", "int:w2a4", "int:w2a2"};

struct Network {
  std::vector<LayerPreference> layers;
  std::vector<double> array_error;  // the replay's array energy / the LUT's, per layer
  double postproc_per_pj = 0;       // post-processing per pJ of LUT energy ...
  double postproc_fixed_pj = 0;     // ... and what no choice changes
};

Network random_network(uint32_t seed, int n_layers, double postproc_per_pj) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> size(50, 500), logit(-2, 2), error(-0.05, 0.05);
  Network net;
  for (int i = 0; i < n_layers; ++i) {
    LayerPreference l;
    const double base = size(rng);
    for (std::size_t c = 0; c < kCandidates.size(); ++c) {
      l.energy_pj.push_back(base / double(1 << c) + 5);  // every narrower candidate cheaper
      l.logits.push_back(logit(rng));
    }
    l.candidates = kCandidates;
    net.layers.push_back(l);
    net.array_error.push_back(1 + error(rng));
  }
  net.postproc_per_pj = postproc_per_pj, net.postproc_fixed_pj = 20;
  return net;
}

double lut_pj(const Network& net, const std::vector<int>& a) {
  double total = 0;
  for (std::size_t i = 0; i < a.size(); ++i) total += net.layers[i].energy_pj[std::size_t(a[i])];
  return total;
}

ReplayedEnergy replay(const Network& net, const std::vector<int>& a) {
  ReplayedEnergy e;
  for (std::size_t i = 0; i < a.size(); ++i) e.array_pj += net.layers[i].energy_pj[std::size_t(a[i])] * net.array_error[i];
  e.postproc_pj = net.postproc_fixed_pj + net.postproc_per_pj * lut_pj(net, a);
  e.total_pj = e.array_pj + e.postproc_pj;
  return e;
}

double cheapest_pj(const Network& net) {
  double total = 0;
  for (const LayerPreference& l : net.layers) total += *std::min_element(l.energy_pj.begin(), l.energy_pj.end());
  return total;
}

struct Fitted {
  ReplayFit fit;
  std::vector<int> start;
  int calls = 0;
};

// The LUT fit with a reserve, as the pipeline makes it, then the replay fit.
Fitted fit(const Network& net, double budget_pj, double reserve, ReplayFitOptions o = {}) {
  Fitted f;
  const double share = budget_pj * (1 - reserve);
  f.start = spend_leftover(net.layers, fit_budget(net.layers, share), share);
  f.fit = fit_to_replay(net.layers, f.start, share, budget_pj, cheapest_pj(net),
                        [&](const std::vector<int>& a) {
                          ++f.calls;
                          return replay(net, a);
                        },
                        o);
  return f;
}

}  // namespace

TEST_CASE("the replay fit meets the whole budget where the post-processing outgrows the reserve",
          "[search][budget][replay-fit]") {
  int over_at_start = 0;
  for (uint32_t seed = 1; seed <= 40; ++seed) {
    // Post-processing from 2 % to 60 % of the array's energy: ShuffleNetV2's share to v1's.
    const Network net = random_network(seed, 6 + int(seed % 20), 0.02 + 0.58 * double(seed % 7) / 6);
    const double widest = lut_pj(net, std::vector<int>(net.layers.size(), 0));
    const double budget = widest * (0.35 + 0.4 * double(seed % 5) / 4);
    INFO("seed " << seed << ", budget " << budget);
    const Fitted f = fit(net, budget, 0.1, {8, 0.02, 0.005});
    over_at_start += replay(net, f.start).total_pj > budget;
    CHECK(f.fit.rounds == f.calls);
    CHECK(f.fit.measured.total_pj == replay(net, f.fit.assignment).total_pj);
    CHECK(f.fit.within_budget == (f.fit.measured.total_pj <= budget));
    // Some network fits: the cheapest, with its post-processing, leaves room.
    const std::vector<int> cheapest(net.layers.size(), int(kCandidates.size()) - 1);
    if (replay(net, cheapest).total_pj <= 0.97 * budget) CHECK(f.fit.within_budget);
  }
  CHECK(over_at_start > 5);  // the fixed reserve alone would have failed these
}

TEST_CASE("the replay fit spends what an unneeded reserve leaves", "[search][budget][replay-fit]") {
  for (uint32_t seed = 1; seed <= 20; ++seed) {
    const Network net = random_network(seed, 20, 0.01);  // post-processing far below the reserve
    const double budget = 0.5 * lut_pj(net, std::vector<int>(net.layers.size(), 0));
    INFO("seed " << seed);
    const Fitted f = fit(net, budget, 0.1);
    REQUIRE(f.fit.within_budget);
    CHECK(lut_pj(net, f.fit.assignment) >= lut_pj(net, f.start));
    CHECK(f.fit.measured.total_pj > replay(net, f.start).total_pj);  // more of the budget spent
    CHECK(f.fit.array_budget_pj > 0.9 * budget);
  }
}

TEST_CASE("the replay fit keeps the cheapest network when none fits, and is deterministic",
          "[search][budget][replay-fit]") {
  const Network net = random_network(7, 12, 0.5);
  const double below_everything = 0.5 * replay(net, std::vector<int>(net.layers.size(), 4)).total_pj;
  const Fitted f = fit(net, below_everything, 0.1);
  CHECK_FALSE(f.fit.within_budget);
  CHECK(f.fit.measured.total_pj > below_everything);
  const double budget = 0.6 * lut_pj(net, std::vector<int>(net.layers.size(), 0));
  const Fitted a = fit(net, budget, 0.1), b = fit(net, budget, 0.1);
  CHECK(a.fit.assignment == b.fit.assignment);
  CHECK(a.fit.measured.total_pj == b.fit.measured.total_pj);
  CHECK(a.fit.rounds == b.fit.rounds);
}

}  // namespace enos::search
