#pragma once
// The ENOS search loop (docs/search.md "Search modes"): trains the supernet's weights and
// architecture logits under the energy budget in one of four modes, then turns the result
// into a discrete network of QuantMac layers for fine-tuning and export.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <torch/optim/adam.h>
#include <torch/optim/sgd.h>

#include "models/data.hpp"
#include "models/registry.hpp"
#include "models/trainer.hpp"
#include "search/batch_norm_recalibration.hpp"
#include "search/budget.hpp"
#include "search/search_modes.hpp"
#include "search/supernet.hpp"

namespace enos::search {

enum class SearchMode {
  Single,      // weights and α jointly on the training split
  Bilevel,     // α on the validation split, weights on the rest (first-order DARTS)
  Sequential,  // one layer's α learns per step (cycling); the others hold their argmax
  Stochastic   // one sampled candidate per layer per step (Gumbel-softmax, straight-through)
};
SearchMode parse_search_mode(const std::string& text);  // std::invalid_argument otherwise
std::string to_string(SearchMode m);

struct SearchConfig {
  SearchMode mode = SearchMode::Single;
  int epochs = 1;
  int64_t batch = 128;
  // Weights: SGD, cosine-annealed per step. 0.01 suits a trained start (the default, --init zoo):
  // on 2,000 held-out Fashion-MNIST training images 0.05 ended at 85.7 %, 0.01 at 92.7 %
  // (docs/search.md, "Recipe"); 0.05 knocks a converged network out of its minimum.
  double lr = 0.01;
  double momentum = 0.9, weight_decay = 5e-4;
  double alpha_lr = 0.05;     // α: Adam (β1 = 0.5, as DARTS)
  double budget_pj = 0;       // per inference
  double budget_margin = 0.02;  // E(α) aims this fraction below the budget, so the argmax lands inside
  double dual_rate = 0.05;    // λ += rate·(E/target − 1) per α step
  double tau_start = 5, tau_end = 0.5;  // stochastic: Gumbel temperature, annealed geometrically
  // The first fraction of the steps trains only the weights (α frozen at uniform, no budget
  // pressure): from a trained start the quantized paths must settle before their losses say
  // anything about the candidates (FBNet, ProxylessNAS warm up the same way).
  double alpha_warmup = 0.3;
  double label_smoothing = 0;
  double distill_weight = 0.5, distill_temperature = 4;  // with a teacher (Searcher::set_teacher)
  models::Augment augment = models::Augment::Standard;
  bool channels_last = true;
  uint64_t seed = 1;  // batch order, augmentation, Gumbel draws (with torch::manual_seed)
  // The argmax network on the test set after every epoch, for a person watching a search;
  // `enos compare` turns it off: its tables measure the test set once, on the final network,
  // and the per-epoch passes cost ~10 % of a CIFAR run.
  bool test_each_epoch = true;
};

struct SearchProgress {
  int64_t step = 0, steps = 0;
  double loss = 0, accuracy = 0, images_per_second = 0;
  double expected_energy_pj = 0, lambda = 0;
};

struct SearchEpochReport {
  int epoch = 0;
  models::Evaluation train, validation, test;  // validation/test: the argmax network
  double expected_energy_pj = 0;   // E(α) at the end of the epoch
  double assignment_energy_pj = 0;  // energy of the argmax network
  double lambda = 0, temperature = 0, seconds = 0;
  std::vector<int> assignment;  // argmax per layer (supernet_layers order)
};

class Searcher {
 public:
  // `data` must outlive the searcher; bilevel needs a validation split.
  Searcher(std::shared_ptr<models::Network> net, std::vector<SuperMac> layers, const models::Dataset& data,
           const SearchConfig& config);

  SearchEpochReport train_epoch(int epoch, const std::function<void(const SearchProgress&)>& progress = {});
  models::Evaluation evaluate(const models::TensorSet& set);  // the argmax network
  // Distils from `teacher` (the float network the search started from) in every weight and α step.
  void set_teacher(std::shared_ptr<models::Network> teacher);
  const std::vector<SuperMac>& layers() const { return layers_; }
  double lambda() const { return dual_.lambda(); }
  int64_t steps_per_epoch() const;
  // Preferences for fit_budget: every layer's energies and logits.
  std::vector<LayerPreference> preferences() const;

 private:
  double lr_at(int64_t step) const;
  bool warming_up(int64_t step) const;
  void set_paths(int64_t step);
  // Forward/backward of one batch; returns the loss (cross-entropy) and counts correct.
  double forward_backward(const at::Tensor& x, const at::Tensor& y, bool with_energy, int64_t* correct);
  void step_weights();
  void step_alpha(int64_t step);

  std::shared_ptr<models::Network> net_, teacher_;
  std::vector<SuperMac> layers_;
  std::vector<int> searchable_;  // indices into layers_
  const models::Dataset& data_;
  SearchConfig config_;
  std::unique_ptr<SearchModeRule> rule_;  // what the mode decides (search_modes.hpp)
  std::unique_ptr<torch::optim::SGD> weights_;
  std::vector<std::unique_ptr<torch::optim::Adam>> alphas_;  // one per searchable layer
  DualAscent dual_;
  int64_t step_ = 0;
};

// The recalibration of a network this search (or its fine-tuning) trains: its augmentation.
BatchNormRecalibration batch_norm_recalibration(const SearchConfig& config, int64_t max_images = 2048);

// The discrete network of one candidate per layer (QuantMac layers, no pinning of its own:
// every layer's candidate is given), starting from the supernet's weights, clips and batch
// norms. `layers` and `assignment` as Searcher's.
std::shared_ptr<models::Network> make_discrete_network(const std::string& model, const models::ModelConfig& config,
                                                       const std::optional<InputNormalization>& input,
                                                       const std::vector<SuperMac>& layers,
                                                       const std::vector<int>& assignment,
                                                       const models::Network& supernet);

}  // namespace enos::search
