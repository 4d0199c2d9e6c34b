#include "models/shufflenet.hpp"

#include <stdexcept>

namespace enos::models {
namespace {

ConvSpec conv_spec(const std::string& name, int in, int out, int kernel, int stride, int groups) {
  ConvSpec s;
  s.name = name;
  s.in_channels = in, s.out_channels = out;
  s.kernel = kernel, s.stride = stride, s.pad = kernel / 2, s.groups = groups;
  return s;
}

// torchvision's Sequential indices: each conv is followed by BN (and ReLU), so the convs sit
// at 0, 2 (branch 1) and 0, 3, 5 (branch 2); keeping them keeps torchvision's names.
// Unlike torchvision, the depthwise convolutions are followed by a ReLU too: the integer
// pipeline carries unsigned activations (every requantization ends in ReLU, docs/operators.md),
// so the float network trains with the nonlinearity the hardware applies, and a trained float
// checkpoint is the network the search quantizes (docs/models.md).
void add_conv(torch::nn::Sequential& seq, const std::string& prefix, int index, ConvSpec spec,
              const MacLayerFactory& factory, bool relu) {
  spec.name = prefix + "." + std::to_string(index);
  seq->push_back(std::to_string(index), ConvBnAct(spec, factory, /*batch_norm=*/true, relu));
}

}  // namespace

ShuffleNetV2Config shufflenetv2_config(double width, int in_channels, int classes) {
  ShuffleNetV2Config c;
  c.in_channels = in_channels, c.classes = classes;
  if (width == 0.5) c.channels = {24, 48, 96, 192, 1024};
  else if (width == 1.0) c.channels = {24, 116, 232, 464, 1024};
  else if (width == 1.5) c.channels = {24, 176, 352, 704, 1024};
  else if (width == 2.0) c.channels = {24, 244, 488, 976, 2048};
  else throw std::invalid_argument("ShuffleNetV2 width must be 0.5, 1.0, 1.5 or 2.0");
  return c;
}

InvertedResidualImpl::InvertedResidualImpl(const std::string& name, int in, int out, int stride,
                                           const MacLayerFactory& factory)
    : Traced(name), stride_(stride) {
  const int features = out / 2;
  if (stride == 1 && in != out) throw std::logic_error(name + ": a stride-1 unit needs in == out channels");
  if (stride > 1) {
    const std::string b1 = child("branch1");
    branch1_ = register_module("branch1", torch::nn::Sequential());
    add_conv(branch1_, b1, 0, conv_spec("", in, in, 3, stride, in), factory, true);
    add_conv(branch1_, b1, 2, conv_spec("", in, features, 1, 1, 1), factory, true);
  }
  const std::string b2 = child("branch2");
  branch2_ = register_module("branch2", torch::nn::Sequential());
  add_conv(branch2_, b2, 0, conv_spec("", stride > 1 ? in : features, features, 1, 1, 1), factory, true);
  add_conv(branch2_, b2, 3, conv_spec("", features, features, 3, stride, features), factory, true);
  add_conv(branch2_, b2, 5, conv_spec("", features, features, 1, 1, 1), factory, true);
}

torch::Tensor InvertedResidualImpl::forward(const torch::Tensor& x) {
  torch::Tensor y;
  if (stride_ == 1) {
    const std::vector<torch::Tensor> halves = traced_split(trace(), child("split"), x, 2);
    y = traced_concat(trace(), child("cat"), {halves[0], branch2_->forward(halves[1])});
  } else {
    y = traced_concat(trace(), child("cat"), {branch1_->forward(x), branch2_->forward(x)});
  }
  return traced_channel_shuffle(trace(), child("shuffle"), y, 2);
}

ShuffleNetV2::ShuffleNetV2(const ShuffleNetV2Config& c, const MacLayerFactory& factory) {
  conv1_ = register_module("conv1", torch::nn::Sequential());
  ConvSpec first = conv_spec("", c.in_channels, c.channels[0], 3, 1, 1);
  first.role = MacRole::Input;
  add_conv(conv1_, "conv1", 0, first, factory, true);
  int in = c.channels[0];
  torch::nn::Sequential* stages[] = {&stage2_, &stage3_, &stage4_};
  for (int s = 0; s < 3; ++s) {
    const std::string name = "stage" + std::to_string(s + 2);
    *stages[s] = register_module(name, torch::nn::Sequential());
    for (int u = 0; u < c.repeats[std::size_t(s)]; ++u) {
      const std::string unit = name + "." + std::to_string(u);
      (*stages[s])->push_back(InvertedResidual(unit, in, c.channels[std::size_t(s) + 1], u == 0 ? 2 : 1, factory));
      in = c.channels[std::size_t(s) + 1];
    }
  }
  conv5_ = register_module("conv5", torch::nn::Sequential());
  add_conv(conv5_, "conv5", 0, conv_spec("", in, c.channels[4], 1, 1, 1), factory, true);
  FcSpec fc;
  fc.name = "fc", fc.in_features = c.channels[4], fc.out_features = c.classes;
  fc_ = register_module("fc", FcLayer(fc, factory));
}

torch::Tensor ShuffleNetV2::forward(torch::Tensor x) {
  x = conv1_->forward(x);
  x = stage4_->forward(stage3_->forward(stage2_->forward(x)));
  x = conv5_->forward(x);
  return fc_->forward(traced_global_avg_pool(trace(), "gap", x));
}

}  // namespace enos::models
