#include "models/layers.hpp"

#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>

namespace enos::models {

torch::nn::AnyModule FloatLayerFactory::conv(const ConvSpec& s) const {
  auto options = torch::nn::Conv2dOptions(s.in_channels, s.out_channels, s.kernel)
                     .stride(s.stride)
                     .padding(s.pad)
                     .groups(s.groups)
                     .bias(s.bias);
  return torch::nn::AnyModule(torch::nn::Conv2d(options));
}

torch::nn::AnyModule FloatLayerFactory::fc(const FcSpec& s) const {
  return torch::nn::AnyModule(torch::nn::Linear(torch::nn::LinearOptions(s.in_features, s.out_features).bias(s.bias)));
}

ConvBnActImpl::ConvBnActImpl(const ConvSpec& spec, const MacLayerFactory& factory, bool batch_norm, bool relu)
    : Traced(spec.name), spec_(spec), conv_(factory.conv(spec)), relu_(relu) {
  register_module("conv", conv_.ptr());
  if (batch_norm) bn_ = register_module("bn", torch::nn::BatchNorm2d(spec.out_channels));
}

void ConvBnActImpl::zero_init_scale() {
  torch::NoGradGuard no_grad;
  if (bn_) bn_->weight.zero_();
}

torch::Tensor ConvBnActImpl::forward(const torch::Tensor& x) {
  torch::Tensor y = conv_.forward(x);
  if (bn_) y = bn_->forward(y);
  if (relu_) y = y.relu_();
  if (trace()) {
    spec::Layer l;
    l.name = layer_name();
    l.type = spec::LayerType::Conv;
    l.conv.C = spec_.in_channels, l.conv.K = spec_.out_channels;
    l.conv.R = l.conv.S = spec_.kernel;
    l.conv.stride = spec_.stride, l.conv.pad = spec_.pad, l.conv.groups = spec_.groups;
    trace()->mac(std::move(l), x, y);
  }
  return y;
}

FcLayerImpl::FcLayerImpl(const FcSpec& spec, const MacLayerFactory& factory)
    : Traced(spec.name), spec_(spec), fc_(factory.fc(spec)) {
  register_module("fc", fc_.ptr());
}

torch::Tensor FcLayerImpl::forward(const torch::Tensor& x) {
  torch::Tensor y = fc_.forward(x.flatten(1));
  if (trace()) {
    spec::Layer l;
    l.name = layer_name();
    l.type = spec::LayerType::FullyConnected;
    l.conv.K = spec_.out_features;
    trace()->mac(std::move(l), x, y);
  }
  return y;
}

PoolImpl::PoolImpl(const std::string& name, int kernel, int stride, int pad)
    : Traced(name), kernel_(kernel), stride_(stride), pad_(pad) {}

torch::Tensor PoolImpl::forward(const torch::Tensor& x) {
  if (kernel_ == 0) return traced_global_avg_pool(trace(), layer_name(), x);
  return traced_max_pool(trace(), layer_name(), x, kernel_, stride_, pad_);
}

}  // namespace enos::models
