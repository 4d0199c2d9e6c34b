// The supernet → discrete switch: every candidate's supernet path is on one scale (mf's sign
// weights used to be ~1/|w| times the others and drowned the mix, so the batch norms learnt
// statistics no argmax network produces: ENOS's networks ended at chance on Fashion-MNIST),
// and after recalibrate_batch_norm the argmax network in eval mode predicts as in train mode.
#include <catch2/catch.hpp>

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include "search/searcher.hpp"
#include "tests/search/tiny_search.hpp"

namespace enos::search {
namespace {

std::vector<std::string> standard_names() {
  std::vector<std::string> names;
  for (const pe::Candidate& c : pe::standard_candidates()) names.push_back(pe::to_string(c));
  return names;
}

torch::Tensor rms_per_channel(const torch::Tensor& y) { return y.pow(2).mean({0, 2, 3}).sqrt(); }

TEST_CASE("every candidate's supernet path is on the scale of the others", "[search][supernet][switch]") {
  at::set_num_threads(1);
  torch::manual_seed(11);
  const std::vector<std::string> names = standard_names();
  for (int groups : {1, 16}) {  // a dense 1×1-like and a depthwise layer, as ShuffleNetV2 has
    SuperMacOptions o;
    o.name = "layer";
    o.base = options_for(models::ConvSpec{"layer", 16, 16, 3, 1, 1, groups, false, models::MacRole::Hidden}, pe::Candidate{});
    for (const std::string& n : names) o.choices.push_back({n, testing::tiny_energy(n), 0});
    SuperMac layer(o);
    const torch::Tensor x = torch::randn({4, 16, 8, 8}).relu() * 2;
    torch::NoGradGuard no_grad;
    layer->set_hard(0);  // int:w8a8
    const torch::Tensor reference = rms_per_channel(layer->forward(x));
    for (int i = 1; i < int(names.size()); ++i) {
      layer->set_hard(i);
      const torch::Tensor ratio = rms_per_channel(layer->forward(x)) / reference;
      INFO(names[std::size_t(i)] << ", groups " << groups << ": rms ratio to int:w8a8 " << ratio);
      REQUIRE(ratio.min().item<double>() > 0.25);
      REQUIRE(ratio.max().item<double>() < 4);
    }
  }
}

TEST_CASE("after recalibrate_batch_norm the argmax network predicts in eval mode as in train mode",
          "[search][switch]") {
  at::set_num_threads(1);
  const std::vector<std::string> names = standard_names();
  const energy::Lut lut = testing::tiny_lut(names);
  const models::Dataset data = testing::quadrant_dataset(256, 0, 64);
  SupernetConfig sc;
  sc.lut = &lut, sc.lut_file = "tiny.json";
  sc.input = InputNormalization{data.info.mean, data.info.stddev};
  torch::manual_seed(7);
  auto net = std::make_shared<testing::TinyNet>(SupernetFactory(sc));
  std::vector<SuperMac> layers = supernet_layers(*net, lut, "tiny.json");
  const models::Preprocess prep = models::preprocess_for(data.info, models::Augment::None, false);
  models::BatchStream batches(data.train, 256, prep, std::nullopt);
  torch::Tensor x, y;
  REQUIRE(batches.next(x, y));
  torch::NoGradGuard no_grad;
  // The mixture's statistics, as the supernet leaves them.
  net->train();
  for (SuperMac& l : layers) l->set_mixed();
  for (int i = 0; i < 20; ++i) net->forward(x);
  // An argmax network with bin and mf hidden layers (indices in the standard order).
  const std::vector<int> assignment = {0, 3, 4, 0};
  for (std::size_t i = 0; i < layers.size(); ++i) layers[i]->set_hard(layers[i]->searchable() ? assignment[i] : 0);
  // Un-augmented: the train-mode pass below normalizes these very images.
  recalibrate_batch_norm(*net, data.train, data.info, {models::Augment::None, 1, false});
  const torch::Tensor eval_predictions = net->forward(x).argmax(1);
  net->train();  // batch statistics of the same 256 images: what recalibration estimated
  const torch::Tensor train_predictions = net->forward(x).argmax(1);
  const double agreement = eval_predictions.eq(train_predictions).to(torch::kDouble).mean().item<double>();
  INFO("eval/train prediction agreement " << agreement);
  REQUIRE(agreement >= 0.95);
}

}  // namespace
}  // namespace enos::search
