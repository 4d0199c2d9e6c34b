#include "models/data.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include <ATen/ATen.h>

namespace enos::models {

TensorSet to_tensors(const datasets::ImageSet& set) {
  TensorSet t;
  const int64_t n = set.count();
  t.images = at::empty({n, set.channels, set.height, set.width}, at::kByte);
  if (n > 0) std::memcpy(t.images.data_ptr<uint8_t>(), set.pixels.data(), set.pixels.size());
  t.labels = at::empty({n}, at::kLong);
  for (int64_t i = 0; i < n; ++i) t.labels.data_ptr<int64_t>()[i] = set.labels[std::size_t(i)];
  return t;
}

TensorSet take_first(const TensorSet& set, int64_t n) {
  if (n <= 0 || n >= set.size()) return set;
  return {set.images.narrow(0, 0, n), set.labels.narrow(0, 0, n)};
}

Dataset make_dataset(datasets::RawDataset raw, const DataOptions& o) {
  if (o.train_limit < 0 || o.test_limit < 0 || o.validation < 0)
    throw std::invalid_argument("--train-limit, --test-limit and --validation must be ≥ 0");
  Dataset d{raw.info, take_first(to_tensors(raw.train), o.train_limit), {}, take_first(to_tensors(raw.test), o.test_limit)};
  if (o.validation == 0) return d;
  if (o.validation >= d.train.size())
    throw std::invalid_argument("--validation " + std::to_string(o.validation) + " leaves no training examples (" +
                                std::to_string(d.train.size()) + " in all)");
  // A seeded random subset: the first examples of a file may be ordered by class.
  Rng rng(o.seed, /*stream=*/0x7661);
  const std::vector<int64_t> order = permutation(d.train.size(), rng);
  const int64_t keep = d.train.size() - o.validation;
  const at::Tensor all = at::tensor(order, at::kLong);
  const at::Tensor train_idx = std::get<0>(all.narrow(0, 0, keep).sort());
  const at::Tensor val_idx = std::get<0>(all.narrow(0, keep, o.validation).sort());
  d.validation = {d.train.images.index_select(0, val_idx), d.train.labels.index_select(0, val_idx)};
  d.train = {d.train.images.index_select(0, train_idx), d.train.labels.index_select(0, train_idx)};
  return d;
}

Dataset load_dataset(const std::string& name_and_dir, const DataOptions& options) {
  return make_dataset(datasets::load_raw_dataset(datasets::parse_dataset_ref(name_and_dir)), options);
}

Augment parse_augment(const std::string& text) {
  for (Augment a : {Augment::None, Augment::Flip, Augment::Standard, Augment::StandardCutout})
    if (text == to_string(a)) return a;
  throw std::invalid_argument("augmentation must be none, flip, standard or standard+cutout, got '" + text + "'");
}

std::string to_string(Augment a) {
  switch (a) {
    case Augment::None: return "none";
    case Augment::Flip: return "flip";
    case Augment::Standard: return "standard";
    case Augment::StandardCutout: return "standard+cutout";
  }
  return "?";
}

Preprocess preprocess_for(const datasets::DatasetInfo& info, Augment augment, bool channels_last) {
  const bool standard = augment == Augment::Standard || augment == Augment::StandardCutout;
  Preprocess p{info.mean, info.stddev, standard ? info.crop_pad : 0, augment != Augment::None && info.flip, 0,
               channels_last};
  if (augment == Augment::StandardCutout) p.cutout = int(info.input.H / 2);
  return p;
}

BatchStream::BatchStream(const TensorSet& set, int64_t batch, const Preprocess& prep, std::optional<Rng> rng)
    : set_(set), batch_(batch), prep_(prep), rng_(rng) {
  if (batch < 1) throw std::invalid_argument("batch size must be ≥ 1");
  if (rng_) {
    order_ = permutation(set.size(), *rng_);
  } else {
    order_.resize(std::size_t(set.size()));
    for (std::size_t i = 0; i < order_.size(); ++i) order_[i] = int64_t(i);
  }
  const int64_t c = int64_t(prep.mean.size());
  mean_ = at::tensor(prep.mean).view({1, c, 1, 1});
  stddev_ = at::tensor(prep.stddev).view({1, c, 1, 1});
}

bool BatchStream::next(at::Tensor& images, at::Tensor& labels) {
  if (position_ >= order_.size()) return false;
  const std::size_t n = std::min(order_.size() - position_, std::size_t(batch_));
  const at::Tensor idx = at::tensor(std::vector<int64_t>(order_.begin() + long(position_),
                                                         order_.begin() + long(position_ + n)), at::kLong);
  position_ += n;
  at::Tensor x = set_.images.index_select(0, idx).to(at::kFloat).div_(255.0);
  if (rng_) x = augment(x);
  x = x.sub_(mean_).div_(stddev_);
  images = prep_.channels_last ? x.contiguous(at::MemoryFormat::ChannelsLast) : x;
  labels = set_.labels.index_select(0, idx);
  return true;
}

namespace {

// Sets a side × side square centred at (cy, cx), clipped at the borders, to `fill` per channel.
void cut_out(at::Tensor& img, int64_t cy, int64_t cx, int64_t side, const at::Tensor& fill) {
  const int64_t y0 = std::max<int64_t>(0, cy - side / 2), y1 = std::min<int64_t>(img.size(1), cy + side - side / 2);
  const int64_t x0 = std::max<int64_t>(0, cx - side / 2), x1 = std::min<int64_t>(img.size(2), cx + side - side / 2);
  img = img.clone();
  img.narrow(1, y0, y1 - y0).narrow(2, x0, x1 - x0).copy_(fill.expand({img.size(0), y1 - y0, x1 - x0}));
}

}  // namespace

at::Tensor BatchStream::augment(const at::Tensor& x) {
  if (prep_.crop_pad == 0 && !prep_.flip && prep_.cutout == 0) return x;
  const int64_t p = prep_.crop_pad, h = x.size(2), w = x.size(3);
  // Zero padding before normalization pads with black, as torchvision's RandomCrop does.
  const at::Tensor padded = p > 0 ? at::constant_pad_nd(x, {p, p, p, p}, 0.0) : x;
  std::vector<at::Tensor> out;
  out.reserve(std::size_t(x.size(0)));
  for (int64_t i = 0; i < x.size(0); ++i) {
    const int64_t dy = int64_t(rng_->below(uint64_t(2 * p + 1))), dx = int64_t(rng_->below(uint64_t(2 * p + 1)));
    at::Tensor img = padded[i].narrow(1, dy, h).narrow(2, dx, w);
    if (prep_.flip && rng_->below(2) == 1) img = img.flip({2});
    if (prep_.cutout > 0) {
      const int64_t cy = int64_t(rng_->below(uint64_t(h))), cx = int64_t(rng_->below(uint64_t(w)));
      cut_out(img, cy, cx, prep_.cutout, mean_.view({-1, 1, 1}));
    }
    out.push_back(img);
  }
  return at::stack(out);
}

}  // namespace enos::models
