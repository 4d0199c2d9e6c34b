#include "models/shufflenet_v1.hpp"

namespace enos::models {
namespace {

constexpr int kGroups = 3;
constexpr int kStem = 24;
constexpr int kRepeats[] = {4, 8, 4};
constexpr int kChannels[] = {240, 480, 960};  // groups 3, width 1×

ConvSpec conv_spec(const std::string& name, int in, int out, int kernel, int stride, int groups) {
  ConvSpec s;
  s.name = name;
  s.in_channels = in, s.out_channels = out;
  s.kernel = kernel, s.stride = stride, s.pad = kernel / 2, s.groups = groups;
  return s;
}

}  // namespace

ShuffleUnitImpl::ShuffleUnitImpl(const std::string& name, int in, int out, int stride, int groups, int groups_first,
                                 const MacLayerFactory& factory)
    : Traced(name), stride_(stride), groups_first_(groups_first) {
  const int mid = out / 4;                            // the bottleneck
  const int branch = stride > 1 ? out - in : out;     // stride 2 concatenates the pooled input
  conv1_ = register_module("conv1", ConvBnAct(conv_spec(child("conv1"), in, mid, 1, 1, groups_first), factory, true, true));
  conv2_ = register_module("conv2", ConvBnAct(conv_spec(child("conv2"), mid, mid, 3, stride, mid), factory, true, false));
  conv3_ = register_module("conv3", ConvBnAct(conv_spec(child("conv3"), mid, branch, 1, 1, groups), factory, true, false));
  // Sixteen residual sums with no normalization after them grow the activations enough to
  // make SGD at 0.1 diverge from the default initialization; identity units at the start do not.
  if (stride == 1) conv3_->zero_init_scale();
}

torch::Tensor ShuffleUnitImpl::forward(const torch::Tensor& x) {
  torch::Tensor y = conv1_->forward(x);
  if (groups_first_ > 1) y = traced_channel_shuffle(trace(), child("shuffle"), y, groups_first_);
  y = conv3_->forward(conv2_->forward(y));
  if (stride_ > 1) {
    const torch::Tensor shortcut = traced_avg_pool(trace(), child("shortcut"), x, 3, 2, 1);
    y = traced_concat(trace(), child("cat"), {shortcut, y});
  } else {
    y = traced_add(trace(), child("add"), x, y);
  }
  return traced_relu(trace(), child("relu"), y);
}

ShuffleNetV1::ShuffleNetV1(int in_channels, int classes, const MacLayerFactory& factory) {
  conv1_ = register_module("conv1", torch::nn::Sequential());
  ConvSpec first = conv_spec("conv1.0", in_channels, kStem, 3, 1, 1);
  first.role = MacRole::Input;
  conv1_->push_back("0", ConvBnAct(first, factory, true, true));
  int in = kStem;
  torch::nn::Sequential* stages[] = {&stage2_, &stage3_, &stage4_};
  for (int s = 0; s < 3; ++s) {
    const std::string name = "stage" + std::to_string(s + 2);
    *stages[s] = register_module(name, torch::nn::Sequential());
    for (int u = 0; u < kRepeats[s]; ++u) {
      const int groups_first = in == kStem ? 1 : kGroups;
      (*stages[s])->push_back(
          ShuffleUnit(name + "." + std::to_string(u), in, kChannels[s], u == 0 ? 2 : 1, kGroups, groups_first, factory));
      in = kChannels[s];
    }
  }
  FcSpec fc;
  fc.name = "fc", fc.in_features = in, fc.out_features = classes;
  fc_ = register_module("fc", FcLayer(fc, factory));
}

torch::Tensor ShuffleNetV1::forward(torch::Tensor x) {
  x = stage4_->forward(stage3_->forward(stage2_->forward(conv1_->forward(x))));
  return fc_->forward(traced_global_avg_pool(trace(), "gap", x));
}

}  // namespace enos::models
