// Warm start and calibration (search/warm_start.hpp): a float checkpoint lands in the supernet
// (the input layer folded to pixels, fully connected weights as 1×1 convolutions), the float
// path then computes what the float network computes, the calibrated clips depend on the
// activation width, and an int:w8a8 network calibrated this way stays close to the float one.
#include <cmath>

#include <torch/torch.h>

#include "models/checkpoint.hpp"
#include "search/searcher.hpp"
#include "search/warm_start.hpp"
#include "tiny_search.hpp"

#undef CHECK
#include <catch2/catch.hpp>

using namespace enos;
using namespace enos::search;
using namespace enos::search::testing;
using Catch::Contains;

namespace {

const models::CheckpointIdentity kTiny{"tiny", {3, 8, 8}, 4, "float"};

std::shared_ptr<TinyNet> trained_float_net() {
  torch::manual_seed(21);
  auto net = std::make_shared<TinyNet>(models::FloatLayerFactory());
  torch::optim::SGD sgd(net->parameters(), torch::optim::SGDOptions(0.05).momentum(0.9));
  const models::Dataset d = quadrant_dataset(64, 0, 8);
  const torch::Tensor x = d.train.images.to(torch::kFloat) / 255;
  for (int step = 0; step < 20; ++step) {
    sgd.zero_grad();
    torch::nn::functional::cross_entropy(net->forward(x), d.train.labels).backward();
    sgd.step();
  }
  return net;
}

std::shared_ptr<TinyNet> supernet(const energy::Lut& lut, const InputNormalization& input) {
  SupernetConfig sc;
  sc.lut = &lut, sc.lut_file = "tiny-lut.json", sc.input = input;
  return std::make_shared<TinyNet>(SupernetFactory(sc));
}

std::string saved(const TinyNet& net, const std::string& name) {
  const std::string dir = export_dir(name);
  models::save_checkpoint(dir + "/float.pt", net, kTiny);
  return dir + "/float.pt";
}

}  // namespace

TEST_CASE("a float checkpoint lands in the supernet, whose float path is the float network", "[search][warm]") {
  at::set_num_threads(1);
  const auto float_net = trained_float_net();
  const std::string file = saved(*float_net, "warm_float");
  const energy::Lut lut = tiny_lut({"int:w8a8", "int:w4a4", "int:w2a2"});
  // mean 0: the folded input layer then differs from the float one by rounding only.
  const InputNormalization input{{0, 0, 0}, {0.5f, 0.25f, 2.0f}};
  const auto net = supernet(lut, input);
  load_float_checkpoint(*net, file, kTiny);
  const auto params = net->named_parameters();
  CHECK(torch::equal(params["conv1.conv.weight"], float_net->named_parameters()["conv1.conv.weight"]));
  CHECK(torch::equal(params["fc.fc.weight"].flatten(1), float_net->named_parameters()["fc.fc.weight"]));
  CHECK(torch::allclose(params["conv0.conv.weight"] * torch::tensor({0.5f, 0.25f, 2.0f}).view({1, 3, 1, 1}),
                        float_net->named_parameters()["conv0.conv.weight"]));
  CHECK(torch::equal(net->named_buffers()["conv2.bn.running_var"], float_net->named_buffers()["conv2.bn.running_var"]));

  const std::vector<SuperMac> layers = supernet_layers(*net, lut, "tiny-lut.json");
  for (SuperMac l : layers) l->set_float();
  net->eval(), float_net->eval();
  const torch::Tensor pixels = quadrant_set(16, 9).images.to(torch::kFloat) / 255;
  const torch::Tensor normalized = pixels / torch::tensor({0.5f, 0.25f, 2.0f}).view({1, 3, 1, 1});
  torch::NoGradGuard no_grad;
  CHECK(torch::allclose(net->forward(normalized), float_net->forward(normalized), 1e-4, 1e-4));
}

TEST_CASE("a checkpoint of another network is refused naming both", "[search][warm]") {
  const auto float_net = trained_float_net();
  const std::string file = saved(*float_net, "warm_other");
  const energy::Lut lut = tiny_lut({"int:w8a8"});
  const auto net = supernet(lut, {{0, 0, 0}, {1, 1, 1}});
  CHECK_THROWS_WITH(load_float_checkpoint(*net, file, {"tiny", {3, 8, 8}, 10, "float"}),
                    Contains("holds tiny on 8x8x3 inputs, 4 classes") && Contains("needs tiny on 8x8x3 inputs, 10 classes"));
}

TEST_CASE("calibrated clips: narrower widths clip lower; each method behaves as documented", "[search][warm]") {
  std::vector<float> uniform, half_normal;
  torch::manual_seed(2);
  const torch::Tensor u = torch::rand({20000}), n = torch::randn({20000}).abs();
  uniform.assign(u.data_ptr<float>(), u.data_ptr<float>() + u.numel());
  half_normal.assign(n.data_ptr<float>(), n.data_ptr<float>() + n.numel());
  // Uniform data: at 8 bits the range is worth keeping whole.
  CHECK(calibrated_clip(uniform, 8, ClipMethod::Mse) > 0.97);
  CHECK(calibrated_clip(uniform, 8, ClipMethod::Percentile) == Approx(0.9999).margin(0.002));
  // A long tail: fewer levels buy resolution by clipping more of it (HWGQ: ≈1.6σ at 2 bits).
  const double c2 = calibrated_clip(half_normal, 2, ClipMethod::Mse), c4 = calibrated_clip(half_normal, 4, ClipMethod::Mse),
               c8 = calibrated_clip(half_normal, 8, ClipMethod::Mse);
  CHECK(c2 < c4);
  CHECK(c4 < c8);
  CHECK(c2 == Approx(1.6).margin(0.35));
  CHECK(calibrated_clip(half_normal, 2, ClipMethod::Lsq) < calibrated_clip(half_normal, 8, ClipMethod::Lsq));
}

TEST_CASE("calibration from a trained start: every width its clip, int:w8a8 close to float", "[search][warm]") {
  at::set_num_threads(1);
  const auto float_net = trained_float_net();
  const std::string file = saved(*float_net, "warm_calibrate");
  const energy::Lut lut = tiny_lut({"int:w8a8", "int:w4a4", "int:w2a2"});
  const models::Dataset d = quadrant_dataset(128, 0, 32);
  const InputNormalization input{d.info.mean, d.info.stddev};
  const auto net = supernet(lut, input);
  load_float_checkpoint(*net, file, kTiny);
  const std::vector<SuperMac> layers = supernet_layers(*net, lut, "tiny-lut.json");
  CalibrationConfig config;
  config.images = 128, config.batch_norm.channels_last = false;
  const std::vector<std::string> log = calibrate_supernet(*net, layers, d.train, d.info, config);
  CHECK(log.size() == 2 * 3 + 1);  // conv1, conv2: a8 a4 a2; fc: a8 (pinned); conv0 reads pixels
  for (const SuperMac& l : layers) {
    if (l->reads_pixels() || l->activation_widths().size() < 3) continue;
    INFO(l->options().name);
    CHECK(l->clip(2).item<double>() < l->clip(8).item<double>());
    CHECK(l->clip(8).item<double>() != 4.0);  // no longer the constant start
  }
  // Every layer on int:w8a8 (index 0): the quantized network follows the float network.
  for (SuperMac l : layers) l->set_float();
  recalibrate_batch_norm(*net, d.train, d.info, {models::Augment::Standard, 1, false});
  const models::Preprocess prep = models::preprocess_for(d.info, models::Augment::None, false);
  models::BatchStream batches(d.test, 32, prep, std::nullopt);
  torch::Tensor x, y;
  batches.next(x, y);
  torch::NoGradGuard no_grad;
  const torch::Tensor reference = net->forward(x);
  for (SuperMac l : layers) l->set_hard(0);
  const torch::Tensor quantized = net->forward(x);
  const double relative = ((quantized - reference).norm() / reference.norm()).item<double>();
  CHECK(relative < 0.05);
}
