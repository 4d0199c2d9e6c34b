// QuantLayerFactory's pinning on a real model, and a few training steps per operator kind.
#include <catch2/catch.hpp>

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include "models/registry.hpp"
#include "search/quant_layer.hpp"

namespace enos::search {
namespace {

// A tiny two-MAC-layer network: quantized conv → ReLU → global average → quantized fc.
struct TinyNet : torch::nn::Module {
  explicit TinyNet(const pe::Candidate& c) {
    models::ConvSpec conv_spec{"conv", 3, 8, 3, 1, 1, 1, false, models::MacRole::Hidden};
    models::FcSpec fc_spec{"fc", 8, 4, true, models::MacRole::Hidden};
    conv = register_module("conv", QuantMac(options_for(conv_spec, c)));
    fc = register_module("fc", QuantMac(options_for(fc_spec, c)));
  }
  torch::Tensor forward(const torch::Tensor& x) { return fc->forward(conv->forward(x).relu().mean({2, 3})); }
  QuantMac conv{nullptr}, fc{nullptr};
};

// Four classes, each brightening one quadrant of the image: learnable by TinyNet.
std::pair<torch::Tensor, torch::Tensor> synthetic_batch() {
  const int64_t n = 64;
  torch::Tensor labels = torch::arange(n) % 4;
  torch::Tensor x = torch::rand({n, 3, 8, 8}) * 0.5;
  for (int64_t i = 0; i < n; ++i) {
    const int64_t q = labels[i].item<int64_t>();
    x[i].narrow(1, (q / 2) * 4, 4).narrow(2, (q % 2) * 4, 4).add_(1.0);
  }
  return {x, labels};
}

TEST_CASE("a few training steps reduce the loss for every operator kind", "[search][training]") {
  at::set_num_threads(1);
  torch::manual_seed(4);
  const auto [x, labels] = synthetic_batch();
  for (const pe::Candidate& c : pe::standard_candidates()) {
    INFO(pe::to_string(c));
    torch::manual_seed(5);
    TinyNet net(c);
    torch::optim::Adam optimizer(net.parameters(), torch::optim::AdamOptions(0.02));
    double first = 0, last = 0;
    for (int step = 0; step < 60; ++step) {
      optimizer.zero_grad();
      const torch::Tensor loss = torch::nn::functional::cross_entropy(net.forward(x), labels);
      loss.backward();
      optimizer.step();
      (step == 0 ? first : last) = loss.item<double>();
    }
    UNSCOPED_INFO(pe::to_string(c) << ": loss " << first << " -> " << last);
    REQUIRE(std::isfinite(last));
    REQUIRE(last < 0.8 * first);
  }
}

TEST_CASE("QuantLayerFactory pins the first and last MAC layers", "[search][factory]") {
  QuantFactoryConfig config;
  config.candidate = pe::parse_candidate("int:w4a4");
  config.input = InputNormalization{{0.5f, 0.5f, 0.5f}, {0.25f, 0.25f, 0.25f}};
  torch::manual_seed(1);
  const auto net = models::make_model("shufflenetv2_x0.5", {{3, 32, 32}, 10}, QuantLayerFactory(config));
  int inputs = 0, outputs = 0, hidden = 0;
  for (const auto& m : net->modules()) {
    const auto layer = std::dynamic_pointer_cast<QuantMacImpl>(m);
    if (!layer) continue;
    const models::MacRole role = layer->options().role;
    inputs += role == models::MacRole::Input, outputs += role == models::MacRole::Output;
    hidden += role == models::MacRole::Hidden;
    REQUIRE(pe::to_string(layer->options().candidate) == (role == models::MacRole::Hidden ? "int:w4a4" : "int:w8a8"));
  }
  REQUIRE(inputs == 1);
  REQUIRE(outputs == 1);
  REQUIRE(hidden > 10);
  net->eval();
  const torch::Tensor y = net->forward(torch::randn({2, 3, 32, 32}));
  REQUIRE(y.size(0) == 2);
  REQUIRE(y.size(1) == 10);
  REQUIRE(torch::isfinite(y).all().item<bool>());

  config.pin_first_last.reset();  // unpinned: every layer the candidate
  const QuantLayerFactory unpinned(config);
  REQUIRE(unpinned.candidate_for("conv1", models::MacRole::Input) == config.candidate);
}

}  // namespace
}  // namespace enos::search
