#pragma once
// Re-estimating batch-norm statistics after the weights or the operators of a network changed
// (docs/search.md "Batch norm"): from the training images as training presents them.
#include <cstdint>

#include "models/data.hpp"
#include "models/registry.hpp"

namespace enos::search {

struct BatchNormRecalibration {
  // The images as the network's training saw them, augmentation included. A network trained
  // on augmented images learnt its later layers against the statistics of those images: the
  // CIFAR recipe's crops pad with black, so its first layer's output variance over plain
  // images is 0.71 of the trained one, and statistics re-estimated on plain images cost the
  // float ShuffleNetV2 ×0.5 of the zoo 5.5 points on CIFAR-10 (87.10 → 81.60 % on 2,000 test
  // images; with the training's augmentation 87.50 %). Fashion-MNIST (flips only) barely moves.
  models::Augment augment = models::Augment::Standard;
  uint64_t seed = 1;  // the augmentation's draws (a stream of its own)
  bool channels_last = true;
  int64_t max_images = 2048;  // the first N of the set
};

// Re-estimates every batch norm's running statistics of `net` from `set` seen as `how` says,
// in train mode without gradients: the population mean and variance of the network as it now
// is. The supernet's statistics describe its mixture (or the last step's weights), not the
// argmax or fine-tuned network that eval mode then normalizes with. Leaves `net` in eval mode.
void recalibrate_batch_norm(models::Network& net, const models::TensorSet& set, const datasets::DatasetInfo& info,
                            const BatchNormRecalibration& how);

}  // namespace enos::search
