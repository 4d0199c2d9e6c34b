// Shapes and counts of every model, the MAC-layer factory, and the workload export (the
// shipped configs/workloads files must equal a fresh export).
#include <fstream>
#include <map>
#include <sstream>

#include <ATen/ATen.h>
#include <torch/nn/modules/conv.h>

#include "models/registry.hpp"
#include "models/workload_text.hpp"
#include "models_test_util.hpp"  // last: it includes Catch after LibTorch

using namespace enos;
using namespace enos::models;

namespace {

const spec::FeatureShape kCifar{3, 32, 32}, kFashion{1, 28, 28};

std::string read_text(const std::string& file) {
  std::ifstream in(file);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// SqueezeNet 1.1 as adapted (stride-1 3×3 first conv, pools halving with padding), by hand.
int64_t squeezenet_macs(int c, int h) {
  int64_t macs = int64_t(64) * h * h * c * 9;
  int channels = 64;
  auto fire = [&](int squeeze, int expand) {
    macs += int64_t(squeeze) * h * h * channels + int64_t(expand) * h * h * squeeze * (1 + 9);
    channels = 2 * expand;
  };
  auto pool = [&] { h = (h + 2 - 3) / 2 + 1; };
  pool(), fire(16, 64), fire(16, 64), pool(), fire(32, 128), fire(32, 128);
  pool(), fire(48, 192), fire(48, 192), fire(64, 256), fire(64, 256);
  return macs + int64_t(10) * h * h * 512;
}

// Records what the models ask for, and builds float layers.
class RecordingFactory : public MacLayerFactory {
 public:
  mutable std::vector<ConvSpec> convs;
  mutable std::vector<FcSpec> fcs;
  torch::nn::AnyModule conv(const ConvSpec& s) const override {
    convs.push_back(s);
    return float_.conv(s);
  }
  torch::nn::AnyModule fc(const FcSpec& s) const override {
    fcs.push_back(s);
    return float_.fc(s);
  }

 private:
  FloatLayerFactory float_;
};

}  // namespace

TEST_CASE("every model maps both inputs to logits", "[models][shapes]") {
  test::single_thread();
  for (const ModelInfo& m : model_catalog()) {
    for (const spec::FeatureShape& in : {kCifar, kFashion}) {
      INFO(m.name << " " << input_shape_text(in));
      const auto net = make_model(m.name, {in, 10});
      net->eval();
      const at::Tensor y = net->forward(at::randn({2, in.C, in.H, in.W}));
      CHECK(y.sizes() == at::IntArrayRef({2, 10}));
    }
  }
  CHECK(make_model("squeezenet1_1", {kCifar, 100})->forward(at::randn({2, 3, 32, 32})).size(1) == 100);
  CHECK_THROWS_WITH(make_model("resnet18", {}), Catch::Contains("unknown model 'resnet18'"));
}

TEST_CASE("ShuffleNetV2 counts match the published CIFAR figures", "[models][counts]") {
  // torchvision's ImageNet models have 1,366,792 and 2,278,604 parameters; a 10-class head
  // instead of 1000 removes 1024·990 + 990 = 1,014,750 of them.
  CHECK(parameter_count(*make_model("shufflenetv2_x0.5", {kCifar, 10})) == 352'042);
  CHECK(parameter_count(*make_model("shufflenetv2_x1.0", {kCifar, 10})) == 1'263'854);
  // ≈ 11 M and ≈ 45 M MACs at 32×32 (stride-1 stem, no max-pool).
  CHECK(spec::mac_count(export_model("shufflenetv2_x0.5", {kCifar, 10})) == 10'902'016);
  CHECK(spec::mac_count(export_model("shufflenetv2_x1.0", {kCifar, 10})) == 45'002'112);
  // One input channel removes 24·2·9 first-layer weights.
  CHECK(parameter_count(*make_model("shufflenetv2_x0.5", {kFashion, 10})) == 352'042 - 24 * 2 * 9);
}

TEST_CASE("SqueezeNet 1.1 counts: torchvision's plus batch norm", "[models][counts]") {
  // torchvision: 1,235,496 parameters; the 10-class classifier removes 512·990 + 990; batch
  // norm after the 2,944 output channels of the other convs replaces their biases (+1 each).
  CHECK(parameter_count(*make_model("squeezenet1_1", {kCifar, 10})) == 1'235'496 - 507'870 + 2'944);
  CHECK(spec::mac_count(export_model("squeezenet1_1", {kCifar, 10})) == squeezenet_macs(3, 32));
  CHECK(spec::mac_count(export_model("squeezenet1_1", {kFashion, 10})) == squeezenet_macs(1, 28));
}

TEST_CASE("ShuffleNet v1 (3 groups) counts follow the paper's unit", "[models][counts]") {
  // By hand: stem 3×3 to 24; units of grouped 1×1 (bottleneck out/4) → depthwise 3×3 →
  // grouped 1×1 to out (or out − in when stride 2 concatenates the pooled input); BN after each.
  int64_t params = 3 * 9 * 24 + 2 * 24, macs = int64_t(32) * 32 * 3 * 9 * 24;
  int in = 24, h = 32;
  const int repeats[] = {4, 8, 4}, channels[] = {240, 480, 960};
  for (int s = 0; s < 3; ++s) {
    for (int u = 0; u < repeats[s]; ++u) {
      const int out = channels[s], mid = out / 4, branch = u == 0 ? out - in : out, g1 = in == 24 ? 1 : 3;
      const int h_out = u == 0 ? h / 2 : h;
      params += int64_t(in / g1) * mid + 2 * mid + 9 * mid + 2 * mid + int64_t(mid / 3) * branch + 2 * branch;
      macs += int64_t(h) * h * (in / g1) * mid + int64_t(h_out) * h_out * (9 * mid + int64_t(mid / 3) * branch);
      in = out, h = h_out;
    }
  }
  params += 960 * 10 + 10, macs += 960 * 10;
  CHECK(parameter_count(*make_model("shufflenetv1_g3", {kCifar, 10})) == params);
  CHECK(spec::mac_count(export_model("shufflenetv1_g3", {kCifar, 10})) == macs);
  // The ImageNet model (1000 classes) would have ≈ 1.9 M parameters, as usually quoted.
  CHECK(params - 9'610 + 961'000 == Approx(1.9e6).epsilon(0.03));
}

TEST_CASE("every MAC layer comes from the factory, named as in the export", "[models][factory]") {
  for (const ModelInfo& m : model_catalog()) {
    INFO(m.name);
    RecordingFactory factory;
    const auto net = make_model(m.name, {kCifar, 10}, factory);
    const spec::Workload w = export_workload(*net, kCifar, "w", "");
    std::vector<std::string> exported, built;
    for (const spec::Layer& l : w.layers)
      if (l.is_mac()) exported.push_back(l.name);
    for (const ConvSpec& s : factory.convs) built.push_back(s.name);
    for (const FcSpec& s : factory.fcs) built.push_back(s.name);
    std::sort(exported.begin(), exported.end());
    std::sort(built.begin(), built.end());
    CHECK(built == exported);
    // The roles the search pins: the layer reading the input, the one producing logits.
    CHECK(factory.convs.front().role == MacRole::Input);
    CHECK(factory.convs.front().name == w.layers.front().name);
    const std::string last = w.layers.back().is_mac() ? w.layers.back().name : w.layers[w.layers.size() - 2].name;
    int outputs = 0;
    for (const ConvSpec& s : factory.convs) outputs += s.role == MacRole::Output && s.name == last;
    for (const FcSpec& s : factory.fcs) outputs += s.role == MacRole::Output && s.name == last;
    CHECK(outputs == 1);
  }
}

TEST_CASE("the shipped workloads equal a fresh export", "[models][export]") {
  int files = 0;
  for (const ModelInfo& m : model_catalog()) {
    for (const spec::FeatureShape& in : {kCifar, kFashion}) {
      const std::string name = m.name + "_" + input_shape_text(in);
      INFO(name << " (regenerate with tools/export_workloads.sh)");
      const std::string file = std::string(ENOS_CONFIG_DIR) + "/workloads/" + name + ".json";
      const spec::Workload fresh = export_model(m.name, {in, 10});
      CHECK(workload_text(fresh) == read_text(file));
      CHECK(spec::to_json(spec::load_workload(file)) == spec::to_json(fresh));
      ++files;
    }
    // CIFAR-100: the same network with a 100-output classifier.
    const std::string file = std::string(ENOS_CONFIG_DIR) + "/workloads/" + m.name + "_32x32x3_100classes.json";
    INFO(file << " (regenerate with tools/export_workloads.sh)");
    const spec::Workload fresh = export_model(m.name, {kCifar, 100});
    CHECK(workload_text(fresh) == read_text(file));
    CHECK(spec::mac_count(fresh) > spec::mac_count(export_model(m.name, {kCifar, 10})));
    ++files;
  }
  CHECK(files == 12);
}

TEST_CASE("the export lists the non-MAC layers with their parameters", "[models][export]") {
  const spec::Workload w = export_model("shufflenetv2_x0.5", {kFashion, 10});
  std::map<std::string, const spec::Layer*> by_name;
  for (const spec::Layer& l : w.layers) by_name[l.name] = &l;
  const spec::Layer& split = *by_name.at("stage3.1.split.1");
  CHECK(split.type == spec::LayerType::Split);
  CHECK(split.groups == 2);
  CHECK(split.part == 1);
  CHECK((split.inputs == std::vector<std::string>{"stage3.0.shuffle"}));
  CHECK((by_name.at("stage3.1.cat")->inputs == std::vector<std::string>{"stage3.1.split.0", "stage3.1.branch2.5"}));
  CHECK((by_name.at("stage4.0.shuffle")->out == spec::FeatureShape{192, 4, 4}));  // 28 → 14 → 7 → 4
  CHECK(by_name.at("fc")->conv.C == 1024);

  const spec::Workload s = export_model("squeezenet1_1", {kCifar, 100});
  const spec::Layer& pool = s.layers[1];
  CHECK(pool.name == "features.2");
  CHECK(pool.type == spec::LayerType::MaxPool);
  CHECK((pool.kernel == 3 && pool.stride == 2 && pool.pad == 1));
  CHECK(s.layers.back().type == spec::LayerType::GlobalAvgPool);
  CHECK((s.layers.back().out == spec::FeatureShape{100, 1, 1}));
}

TEST_CASE("channel shuffle is the same in both memory formats", "[models][shapes]") {
  const at::Tensor x = at::arange(2 * 8 * 3 * 3, at::kFloat).view({2, 8, 3, 3});
  const at::Tensor a = traced_channel_shuffle(nullptr, "s", x, 2);
  const at::Tensor b = traced_channel_shuffle(nullptr, "s", x.contiguous(at::MemoryFormat::ChannelsLast), 2);
  CHECK(b.is_contiguous(at::MemoryFormat::ChannelsLast));
  CHECK(at::equal(a, b));
  // Channels 0..3 and 4..7 interleave: 0, 4, 1, 5, ...
  CHECK(at::equal(a.select(1, 1), x.select(1, 4)));
  CHECK(at::equal(a.select(1, 2), x.select(1, 1)));
}

TEST_CASE("input shapes parse as HxWxC", "[models][export]") {
  CHECK((parse_input_shape("28x28x1") == spec::FeatureShape{1, 28, 28}));
  CHECK(input_shape_text({3, 32, 32}) == "32x32x3");
  CHECK_THROWS_WITH(parse_input_shape("32x32"), Catch::Contains("expected HxWxC"));
  CHECK_THROWS_WITH(parse_input_shape("32x0x3"), Catch::Contains("positive"));
}
