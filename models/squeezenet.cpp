#include "models/squeezenet.hpp"

#include <torch/nn/modules/dropout.h>

namespace enos::models {
namespace {

ConvSpec conv_spec(const std::string& name, int in, int out, int kernel) {
  ConvSpec s;
  s.name = name;
  s.in_channels = in, s.out_channels = out, s.kernel = kernel, s.pad = kernel / 2;
  return s;
}

struct FireShape {
  int index, in, squeeze, expand;  // torchvision's Sequential index; both expands are `expand` wide
};

}  // namespace

FireImpl::FireImpl(const std::string& name, int in, int squeeze, int expand1x1, int expand3x3,
                   const MacLayerFactory& factory)
    : Traced(name) {
  squeeze_ = register_module("squeeze", ConvBnAct(conv_spec(child("squeeze"), in, squeeze, 1), factory, true, true));
  expand1x1_ = register_module(
      "expand1x1", ConvBnAct(conv_spec(child("expand1x1"), squeeze, expand1x1, 1), factory, true, true));
  expand3x3_ = register_module(
      "expand3x3", ConvBnAct(conv_spec(child("expand3x3"), squeeze, expand3x3, 3), factory, true, true));
}

torch::Tensor FireImpl::forward(const torch::Tensor& x) {
  const torch::Tensor s = squeeze_->forward(x);
  return traced_concat(trace(), child("cat"), {expand1x1_->forward(s), expand3x3_->forward(s)});
}

SqueezeNet::SqueezeNet(int in_channels, int classes, const MacLayerFactory& factory) {
  features_ = register_module("features", torch::nn::Sequential());
  ConvSpec first = conv_spec("features.0", in_channels, 64, 3);
  first.role = MacRole::Input;
  features_->push_back("0", ConvBnAct(first, factory, true, true));
  const FireShape fires[] = {{3, 64, 16, 64},    {4, 128, 16, 64},   {6, 128, 32, 128},  {7, 256, 32, 128},
                             {9, 256, 48, 192},  {10, 384, 48, 192}, {11, 384, 64, 256}, {12, 512, 64, 256}};
  for (const FireShape& f : fires) {
    if (f.index == 3 || f.index == 6 || f.index == 9) {  // a max-pool halves the map first
      const int pool = f.index - 1;
      features_->push_back(std::to_string(pool), Pool("features." + std::to_string(pool), 3, 2, 1));
    }
    const std::string name = "features." + std::to_string(f.index);
    features_->push_back(std::to_string(f.index), Fire(name, f.in, f.squeeze, f.expand, f.expand, factory));
  }
  // The classifier is a 1×1 convolution to the classes (with bias and ReLU, no batch norm)
  // followed by global average pooling: there is no fully connected layer.
  classifier_ = register_module("classifier", torch::nn::Sequential());
  classifier_->push_back("0", torch::nn::Dropout(0.5));
  ConvSpec last = conv_spec("classifier.1", 512, classes, 1);
  last.bias = true, last.role = MacRole::Output;
  classifier_->push_back("1", ConvBnAct(last, factory, false, true));
  classifier_->push_back("3", Pool("classifier.3", 0, 1, 0));
}

torch::Tensor SqueezeNet::forward(torch::Tensor x) {
  return classifier_->forward(features_->forward(x)).flatten(1);
}

}  // namespace enos::models
