// Each fake-quantized operator against the C++ integer reference (docs/operators.md): the
// module's accumulators and forward equal pe::reference_conv on the exported codes, exactly.
#include <catch2/catch.hpp>

#include <cmath>

#include <torch/torch.h>

#include "pe/reference.hpp"
#include "search/quant_layer.hpp"

namespace enos::search {
namespace {

struct Case {
  const char* name;
  int C, K, H, W, kernel, stride, pad, groups;
  bool fc;
};

const Case kCases[] = {
    {"3x3 pad 1", 3, 4, 6, 6, 3, 1, 1, 1, false},  {"3x3 stride 2", 4, 6, 7, 5, 3, 2, 1, 1, false},
    {"depthwise", 5, 5, 6, 6, 3, 1, 1, 5, false},  {"grouped 1x1", 6, 4, 4, 4, 1, 1, 0, 2, false},
    {"5x5 no pad", 2, 3, 7, 7, 5, 2, 0, 1, false}, {"wide (float64 sums)", 64, 2, 4, 4, 3, 1, 1, 1, false},
    {"fully connected", 20, 7, 1, 1, 1, 1, 0, 1, true}};

// The standard candidates, plus two whose sums can leave 32 bits (the wrap path).
std::vector<pe::Candidate> candidates() {
  std::vector<pe::Candidate> c = pe::standard_candidates();
  c.push_back(pe::parse_candidate("int:w16a16"));
  c.push_back(pe::parse_candidate("shift:w6a8"));
  return c;
}

QuantMac make_layer(const Case& k, const pe::Candidate& c, torch::Dtype dtype) {
  QuantMacOptions o;
  o.candidate = c, o.fully_connected = k.fc;
  o.in_channels = k.C, o.out_channels = k.K, o.kernel = k.kernel, o.stride = k.stride, o.pad = k.pad;
  o.groups = k.groups;
  QuantMac layer(o);
  layer->to(dtype);
  torch::NoGradGuard no_grad;
  layer->clip.fill_(2.0);
  return layer;
}

torch::Tensor make_input(const Case& k, int64_t n, torch::Dtype dtype) {
  // Some negative (ReLU'd to 0), some above the clip (saturated), the rest in between.
  const torch::Tensor x = torch::rand({n, k.C, k.H, k.W}, torch::TensorOptions().dtype(dtype)) * 2.6 - 0.4;
  return k.fc ? x.flatten(1) : x;
}

void check_against_reference(const Case& k, const pe::Candidate& c, torch::Dtype dtype) {
  QuantMac layer = make_layer(k, c, dtype);
  const int64_t n = 2;
  const torch::Tensor x = make_input(k, n, dtype);
  const pe::ConvShape shape = layer->shape(k.H, k.W);
  const LayerExport e = export_layer(*layer);
  const Accumulators acc = layer->accumulate(x);
  const torch::Tensor main = acc.main.detach().to(torch::kDouble).reshape({n, -1});
  const torch::Tensor aux = c.kind == pe::OpKind::Mf ? acc.aux.detach().to(torch::kDouble).reshape({n, -1}) : main;
  layer->eval();  // the exact integer path (train mode runs one float32 convolution)
  const torch::Tensor y = layer->forward(x).detach().to(torch::kDouble).reshape({n, -1});
  layer->train();
  const int64_t per_channel = shape.P() * shape.Q();
  for (int64_t item = 0; item < n; ++item) {
    const std::vector<pe::Psum> ref = pe::reference_conv(shape, c, {e.weight_codes, integer_activations(*layer, x, item)});
    REQUIRE(int64_t(ref.size()) == main.size(1));
    for (std::size_t i = 0; i < ref.size(); ++i) {
      INFO("output " << i << " of item " << item);
      REQUIRE(main[item][int64_t(i)].item<double>() == double(ref[i].main));
      if (c.kind == pe::OpKind::Mf) REQUIRE(aux[item][int64_t(i)].item<double>() == double(ref[i].aux));
      if (dtype != torch::kDouble) continue;  // float32 forward rounds the scaled value
      const double sw = e.weight_scale[i / std::size_t(per_channel)], out = y[item][int64_t(i)].item<double>();
      if (c.kind == pe::OpKind::Mf) {
        const double expected = e.act_scale * ref[i].main + sw * ref[i].aux;
        REQUIRE(std::abs(out - expected) <= 1e-12 * (std::abs(expected) + e.act_scale + sw));
      } else {
        REQUIRE(std::round(out / (e.act_scale * sw)) == double(ref[i].main));
      }
    }
  }
}

TEST_CASE("every operator's accumulators equal the integer reference exactly", "[search][operators]") {
  for (const pe::Candidate& c : candidates()) {
    for (const Case& k : kCases) {
      for (const torch::Dtype dtype : {torch::kFloat, torch::kDouble}) {
        INFO(pe::to_string(c) << ", " << k.name << (dtype == torch::kDouble ? ", float64" : ", float32"));
        torch::manual_seed(7);
        check_against_reference(k, c, dtype);
      }
    }
  }
}

TEST_CASE("training's float32 convolution computes the exact path's values", "[search][operators]") {
  at::set_num_threads(1);
  torch::manual_seed(12);
  for (const Case& k : kCases)
    for (const pe::Candidate& c : pe::standard_candidates()) {
      INFO(pe::to_string(c) << ", " << k.name);
      QuantMac layer = make_layer(k, c, torch::kFloat);
      const torch::Tensor x = make_input(k, 2, torch::kFloat);
      const torch::Tensor trained = layer->forward(x).detach();  // train mode
      layer->eval();
      const torch::Tensor exact = layer->forward(x).detach();
      REQUIRE(torch::allclose(trained, exact, 1e-4, 1e-4 * exact.abs().max().item<double>()));
    }
}

TEST_CASE("the input layer sees the un-normalized 8-bit pixels", "[search][operators]") {
  QuantMacOptions o;
  o.candidate = pe::parse_candidate("int:w8a8"), o.role = models::MacRole::Input;
  o.in_channels = 3, o.out_channels = 4, o.kernel = 3, o.pad = 1;
  o.input = InputNormalization{{0.49f, 0.48f, 0.45f}, {0.25f, 0.24f, 0.26f}};
  const QuantMac layer(o);
  torch::manual_seed(3);
  const torch::Tensor pixels = torch::randint(0, 256, {1, 3, 5, 5}, torch::kInt);
  const torch::Tensor mean = torch::tensor(o.input->mean).view({1, 3, 1, 1});
  const torch::Tensor stddev = torch::tensor(o.input->stddev).view({1, 3, 1, 1});
  const torch::Tensor x = (pixels.to(torch::kFloat) / 255 - mean) / stddev;  // as models::BatchStream does
  const std::vector<int32_t> expected(pixels.data_ptr<int32_t>(), pixels.data_ptr<int32_t>() + pixels.numel());
  REQUIRE(integer_activations(*layer, x) == expected);
  REQUIRE(layer->named_parameters().find("clip") == nullptr);  // fixed, not learned
}

TEST_CASE("straight-through gradients reach the latent weight, the clip and the input", "[search][operators]") {
  for (const pe::Candidate& c : pe::standard_candidates()) {
    for (const Case& k : {kCases[1], kCases[2], kCases[6]}) {
      INFO(pe::to_string(c) << ", " << k.name);
      torch::manual_seed(11);
      QuantMac layer = make_layer(k, c, torch::kFloat);
      const torch::Tensor x = make_input(k, 2, torch::kFloat).requires_grad_();
      const torch::Tensor y = layer->forward(x);
      (y * torch::randn_like(y)).sum().backward();
      for (const torch::Tensor& g : {layer->weight.grad(), layer->clip.grad(), x.grad()}) {
        REQUIRE(g.defined());
        REQUIRE(torch::isfinite(g).all().item<bool>());
        REQUIRE(g.abs().sum().item<double>() > 0);
      }
    }
  }
}

}  // namespace
}  // namespace enos::search
