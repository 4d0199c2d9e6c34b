#include "search/search_modes.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "search/searcher.hpp"

namespace enos::search {

void SearchModeRule::set_warmup_paths(std::vector<SuperMac>& layers) const {
  for (SuperMac& l : layers) l->set_mixed();
}

std::vector<std::size_t> SearchModeRule::alphas_to_step(int64_t, std::size_t searchable) const {
  std::vector<std::size_t> all(searchable);
  std::iota(all.begin(), all.end(), std::size_t{0});
  return all;
}

namespace {

// Weights and α jointly on the training split, every layer a softmax(α) mix.
class SingleRule : public SearchModeRule {
 public:
  void set_paths(std::vector<SuperMac>& layers, const std::vector<int>&, int64_t) const override {
    for (SuperMac& l : layers) l->set_mixed();
  }
};

// First-order DARTS: α on the validation split, weights on the training split.
class BilevelRule : public SingleRule {
 public:
  bool alpha_on_validation() const override { return true; }
};

// One layer's α learns per step, cycling through the searchable layers; the others hold
// their argmax.
class SequentialRule : public SearchModeRule {
 public:
  void set_paths(std::vector<SuperMac>& layers, const std::vector<int>& searchable, int64_t step) const override {
    for (SuperMac& l : layers) l->set_hard(l->argmax());
    if (!searchable.empty()) layers[std::size_t(searchable[std::size_t(step) % searchable.size()])]->set_mixed();
  }
  std::vector<std::size_t> alphas_to_step(int64_t step, std::size_t searchable) const override {
    if (searchable == 0) return {};
    return {std::size_t(step) % searchable};
  }
};

// One candidate per layer and step drawn by Gumbel-softmax (straight-through), the
// temperature annealed geometrically from tau_start to tau_end over the search.
class StochasticRule : public SearchModeRule {
 public:
  StochasticRule(double tau_start, double tau_end, int64_t total_steps)
      : tau_start_(tau_start), tau_end_(tau_end), last_step_(std::max(1.0, double(total_steps) - 1)) {}
  void set_paths(std::vector<SuperMac>& layers, const std::vector<int>&, int64_t step) const override {
    for (SuperMac& l : layers) l->sample(temperature(step));
  }
  // Warm-up draws one candidate uniformly (at the starting temperature) instead of mixing all.
  void set_warmup_paths(std::vector<SuperMac>& layers) const override {
    for (SuperMac& l : layers) l->sample(tau_start_);
  }
  double temperature(int64_t step) const override {
    return tau_start_ * std::pow(tau_end_ / tau_start_, std::min(1.0, double(step) / last_step_));
  }

 private:
  double tau_start_, tau_end_, last_step_;
};

}  // namespace

std::unique_ptr<SearchModeRule> make_search_mode_rule(SearchMode mode, const SearchConfig& config, int64_t total_steps) {
  switch (mode) {
    case SearchMode::Bilevel: return std::make_unique<BilevelRule>();
    case SearchMode::Sequential: return std::make_unique<SequentialRule>();
    case SearchMode::Stochastic: return std::make_unique<StochasticRule>(config.tau_start, config.tau_end, total_steps);
    case SearchMode::Single: break;
  }
  return std::make_unique<SingleRule>();
}

}  // namespace enos::search
