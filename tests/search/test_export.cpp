// The export (docs/export-format.md) round-trips through the replay's loader, and the
// exported integer network, evaluated by the replay's C++ reference (pe::reference_conv +
// pe::requantize_layer + the integer non-MAC operations), predicts what the fake-quantized
// LibTorch model predicts on most images.
#include <catch2/catch.hpp>

#include <filesystem>

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include "models/registry.hpp"
#include "models/trainer.hpp"
#include "replay/export.hpp"
#include "replay/network.hpp"
#include "search/export.hpp"
#include "search/quant_layer.hpp"
#include "tests/search/tiny_search.hpp"

namespace enos::search {
namespace {


// Exports `net` (trained briefly on the quadrant data), loads it back and replays the test images.
void check_round_trip(const std::shared_ptr<models::Network>& net, const models::Dataset& data, const std::string& name,
                      double min_agreement) {
  models::TrainConfig tc;
  tc.epochs = 2, tc.batch = 32, tc.lr = 0.05, tc.augment = models::Augment::None;
  models::Trainer trainer(net, data, tc);
  for (int e = 1; e <= tc.epochs; ++e) trainer.train_epoch(e);
  net->eval();
  const spec::Workload w = models::export_workload(*net, data.info.input, "w", "");
  const energy::Lut lut = testing::workload_lut(w, pe::standard_candidates());
  ExportInfo info;
  info.model = name, info.dataset = "quadrants", info.mode = "uniform", info.pin_first_last = "int:w8a8";
  info.lut = &lut, info.accuracy = trainer.evaluate(data.test).accuracy, info.test_images = data.test.size();
  const std::string dir = testing::export_dir(name);
  const ExportSummary s = export_network(*net, data, info, dir);
  REQUIRE(s.reference_images == data.test.size());

  const replay::Export e = replay::load_export(dir + "/mapping.json");
  REQUIRE(e.model == name);
  REQUIRE(e.layers.size() == w.layers.size());
  REQUIRE(e.reference.size() == std::size_t(data.test.size()));
  replay::tensor_formats(e);  // every MAC input agrees with its producer or rescales
  // The codes in weights.bin are the layer's own.
  const auto modules = net->named_modules();
  int checked = 0;
  for (std::size_t i = 0; i < e.layers.size(); ++i) {
    if (!e.workload.layers[i].is_mac()) continue;
    const std::string& n = e.layers[i].name;
    const auto* m = modules.find(n + ".conv");
    if (!m) m = modules.find(n + ".fc");
    REQUIRE(m);
    const auto layer = std::dynamic_pointer_cast<QuantMacImpl>(*m);
    REQUIRE(layer);
    REQUIRE(export_layer(*layer).weight_codes == e.layers[i].weight_codes);
    ++checked;
  }
  REQUIRE(checked == int(e.mapped.size()));
  replay::ReferenceBackend backend;
  int agree = 0;
  const at::Tensor images = data.test.images.contiguous();
  for (std::size_t i = 0; i < e.reference.size(); ++i) {
    const at::Tensor img = images[int64_t(i)].contiguous();
    const std::vector<uint8_t> bytes(img.data_ptr<uint8_t>(), img.data_ptr<uint8_t>() + img.numel());
    const replay::Forward f = replay::forward(e, bytes, backend);
    agree += f.prediction == e.reference[i].fake_quant_prediction;
  }
  const double agreement = double(agree) / double(e.reference.size());
  UNSCOPED_INFO(name << ": integer replay agrees with the fake-quantized model on " << agree << "/" << e.reference.size()
                     << "; " << s.calibrated_tensors << " calibrated tensors, " << s.rescaled_inputs << " rescaled inputs");
  REQUIRE(agreement >= min_agreement);
}

// `model` with every MAC layer fake-quantized to `candidate` (first and last pinned to
// int:w8a8), freshly initialised from `seed`, for the quadrant data; one thread.
std::shared_ptr<models::Network> uniform_model(const std::string& model, const std::string& candidate,
                                               const models::Dataset& data, uint64_t seed) {
  at::set_num_threads(1);
  QuantFactoryConfig q;
  q.candidate = pe::parse_candidate(candidate);
  q.input = InputNormalization{data.info.mean, data.info.stddev};
  torch::manual_seed(seed);
  return models::make_model(model, {data.info.input, 4}, QuantLayerFactory(q));
}

TEST_CASE("a tiny mixed network's export round-trips and its integer replay agrees", "[search][export]") {
  at::set_num_threads(1);
  const models::Dataset data = testing::quadrant_dataset(256, 0, 64);
  QuantFactoryConfig q;
  q.pin_first_last.reset();
  q.per_layer = {{"conv0", pe::parse_candidate("int:w8a8")}, {"conv1", pe::parse_candidate("mf:w8a8")},
                 {"conv2", pe::parse_candidate("int:w4a4")}, {"fc", pe::parse_candidate("shift:w4a8")}};
  q.input = InputNormalization{data.info.mean, data.info.stddev};
  torch::manual_seed(11);
  auto net = std::make_shared<testing::TinyNet>(QuantLayerFactory(q));
  check_round_trip(net, data, "tiny", 0.9);
}

TEST_CASE("ShuffleNetV2's export (split, concat, shuffle) round-trips and its integer replay agrees",
          "[search][export]") {
  at::set_num_threads(1);
  const models::Dataset data = testing::quadrant_dataset(256, 0, 48);
  QuantFactoryConfig q;
  q.candidate = pe::parse_candidate("int:w4a4");
  q.per_layer = {{"stage3.0.branch2.0", pe::parse_candidate("bin:w1a8")}};
  q.input = InputNormalization{data.info.mean, data.info.stddev};
  torch::manual_seed(12);
  auto net = models::make_model("shufflenetv2_x0.5", {data.info.input, 4}, QuantLayerFactory(q));
  check_round_trip(net, data, "shufflenetv2_x0.5", 0.8);
}

TEST_CASE("a 2-bit ShuffleNetV2's integer replay agrees once the folded offsets are whole accumulator units",
          "[search][export]") {
  const models::Dataset data = testing::quadrant_dataset(256, 0, 48);
  // int:w2a2: one unit of `main` is most of an output step
  check_round_trip(uniform_model("shufflenetv2_x0.5", "int:w2a2", data, 13), data, "shufflenetv2_x0.5_w2a2", 0.8);
}

TEST_CASE("SqueezeNet's export (logits from the global average pool) round-trips and its integer replay agrees",
          "[search][export]") {
  const models::Dataset data = testing::quadrant_dataset(256, 0, 48);
  check_round_trip(uniform_model("squeezenet1_1", "int:w4a4", data, 14), data, "squeezenet1_1", 0.9);
}

TEST_CASE("ShuffleNet v1's export (signed residual adds, pooled shortcut) round-trips and its integer replay agrees",
          "[search][export]") {
  const models::Dataset data = testing::quadrant_dataset(256, 0, 48);
  check_round_trip(uniform_model("shufflenetv1_g3", "int:w4a4", data, 15), data, "shufflenetv1_g3", 0.9);
  const replay::Export e = replay::load_export(testing::export_path("shufflenetv1_g3") + "/mapping.json");
  // Every unit's last conv feeds a sum without ReLU: a signed tensor, and the sums too.
  int signed_convs = 0, signed_sums = 0;
  const std::vector<replay::TensorFormat> fmt = replay::tensor_formats(e);
  for (std::size_t i = 0; i < e.layers.size(); ++i) {
    const spec::Layer& l = e.workload.layers[i];
    signed_convs += l.is_mac() && fmt[i].is_signed;
    signed_sums += (l.type == spec::LayerType::Add || l.type == spec::LayerType::Concat) && fmt[i].is_signed;
    if (l.type == spec::LayerType::ReLU) CHECK_FALSE(fmt[i].is_signed);
  }
  CHECK(signed_convs == 16);  // 4 + 8 + 4 units
  CHECK(signed_sums == 16);
}

}  // namespace
}  // namespace enos::search
