#include "search/batch_norm_recalibration.hpp"

#include <utility>
#include <vector>

#include <torch/nn/modules/batchnorm.h>
#include <torch/utils.h>

namespace enos::search {
namespace {

// The augmentation draws of recalibration, apart from the training epochs' streams (1, 2, ...).
constexpr uint64_t kRecalibrationStream = 0xb47c4;

}  // namespace

void recalibrate_batch_norm(models::Network& net, const models::TensorSet& set, const datasets::DatasetInfo& info,
                            const BatchNormRecalibration& how) {
  torch::NoGradGuard no_grad;
  std::vector<std::pair<torch::nn::BatchNorm2dImpl*, c10::optional<double>>> bns;
  for (const auto& m : net.modules())
    if (auto* bn = dynamic_cast<torch::nn::BatchNorm2dImpl*>(m.get())) {
      bns.emplace_back(bn, bn->options.momentum());
      bn->reset_running_stats();
      bn->options.momentum(c10::optional<double>());  // cumulative average over the batches
    }
  if (!bns.empty() && set.size() > 0) {
    net.train();
    std::optional<models::Rng> draws;
    if (how.augment != models::Augment::None) draws.emplace(how.seed, kRecalibrationStream);
    models::BatchStream batches(models::take_first(set, how.max_images), 256,
                                models::preprocess_for(info, how.augment, how.channels_last), draws);
    at::Tensor x, y;
    while (batches.next(x, y)) net.forward(x);
  }
  for (auto& [bn, momentum] : bns) bn->options.momentum(momentum);
  net.eval();
}

}  // namespace enos::search
