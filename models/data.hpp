#pragma once
// Datasets as LibTorch tensors: limits, the train/validation split, and batches with
// normalization and seeded augmentation.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <ATen/core/Tensor.h>

#include "datasets/dataset_catalog.hpp"
#include "models/rng.hpp"

namespace enos::models {

struct TensorSet {
  at::Tensor images;  // uint8, N×C×H×W
  at::Tensor labels;  // int64, N
  int64_t size() const { return labels.defined() ? labels.size(0) : 0; }
};
TensorSet to_tensors(const datasets::ImageSet& set);
TensorSet take_first(const TensorSet& set, int64_t n);  // all when n ≤ 0 or n ≥ size

struct DataOptions {
  int64_t train_limit = 0;  // use the first N training examples (0: all)
  int64_t test_limit = 0;   // use the first N test examples (0: all)
  int64_t validation = 0;   // hold out N of the (limited) training examples for validation
  uint64_t seed = 1;        // which examples are held out
};

struct Dataset {
  datasets::DatasetInfo info;
  TensorSet train, validation, test;  // validation is empty unless DataOptions::validation > 0
};
// Reads NAME[:DIR] (datasets/dataset_catalog.hpp) and applies the options. DataError for bad
// files, std::invalid_argument for bad names or options.
Dataset load_dataset(const std::string& name_and_dir, const DataOptions& options);
// The same on images already read (tests, tools that make their own).
Dataset make_dataset(datasets::RawDataset raw, const DataOptions& options);

struct Preprocess {
  std::vector<float> mean, stddev;  // per channel, on pixels scaled to [0, 1]
  int crop_pad = 0;                 // random crop after zero padding (0: none)
  bool flip = false;                // random horizontal flip
  int cutout = 0;                   // side of a random square set to the mean colour (0: none)
  bool channels_last = true;        // the memory format the models run fastest in
};
enum class Augment {
  None,
  Flip,     // random horizontal flip only (where the dataset flips)
  Standard,  // the dataset's: random crop with padding and flip for CIFAR, flip for Fashion-MNIST
  // Standard, then cutout (DeVries & Taylor 2017): a square of half the image's side, centred
  // anywhere (clipped at the borders), set to the mean colour, i.e. 0 after normalization.
  StandardCutout
};
// "none", "flip", "standard", "standard+cutout"; std::invalid_argument otherwise.
Augment parse_augment(const std::string& text);
std::string to_string(Augment a);

// The dataset's normalization and the chosen augmentation.
Preprocess preprocess_for(const datasets::DatasetInfo& info, Augment augment, bool channels_last);

// Float batches of a set: shuffled and augmented from `rng` when given (training), in order
// and unaugmented otherwise (evaluation). The last batch may be smaller.
class BatchStream {
 public:
  BatchStream(const TensorSet& set, int64_t batch, const Preprocess& prep, std::optional<Rng> rng);
  int64_t batches() const { return (int64_t(order_.size()) + batch_ - 1) / batch_; }
  // False when the set is exhausted.
  bool next(at::Tensor& images, at::Tensor& labels);

 private:
  at::Tensor augment(const at::Tensor& images);

  TensorSet set_;
  int64_t batch_;
  Preprocess prep_;
  std::optional<Rng> rng_;
  std::vector<int64_t> order_;
  std::size_t position_ = 0;
  at::Tensor mean_, stddev_;
};

}  // namespace enos::models
