#pragma once
// The four search modes behind one interface (docs/search.md, "Search modes"), in the way
// Timeloop separates its search algorithms from the model they search: the Searcher owns the
// network, the optimizers, the budget's dual and the data, and asks its mode, step by step,
// which path each supernet layer takes, which layers' α learn and on which data.
#include <cstdint>
#include <memory>
#include <vector>

#include "search/supernet.hpp"

namespace enos::search {

enum class SearchMode;
struct SearchConfig;

class SearchModeRule {
 public:
  virtual ~SearchModeRule() = default;
  // The paths of one step after the α warm-up.
  virtual void set_paths(std::vector<SuperMac>& layers, const std::vector<int>& searchable, int64_t step) const = 0;
  // The paths of one warm-up step: every candidate trains (all in the mix).
  virtual void set_warmup_paths(std::vector<SuperMac>& layers) const;
  // Which of the searchable layers' α take this step (positions in `searchable`): all of them.
  virtual std::vector<std::size_t> alphas_to_step(int64_t step, std::size_t searchable) const;
  // Whether α learns on the validation split after a weight step on training data (bilevel).
  virtual bool alpha_on_validation() const { return false; }
  // The Gumbel temperature of a step (0: the mode draws nothing).
  virtual double temperature(int64_t) const { return 0; }
};

// The rule of a mode; `total_steps`: the search's steps over all its epochs.
std::unique_ptr<SearchModeRule> make_search_mode_rule(SearchMode mode, const SearchConfig& config, int64_t total_steps);

}  // namespace enos::search
