#include "search/quant_layer.hpp"

#include <cmath>
#include <stdexcept>

#include <ATen/ATen.h>
#include <torch/nn/init.h>
#include <torch/nn/modules/container/any.h>

namespace enos::search {
namespace {

std::vector<int32_t> to_int_vector(const torch::Tensor& t) {
  const torch::Tensor c = t.to(torch::kInt).contiguous();
  return {c.data_ptr<int32_t>(), c.data_ptr<int32_t>() + c.numel()};
}

std::vector<double> to_double_vector(const torch::Tensor& t) {
  const torch::Tensor c = t.detach().to(torch::kDouble).contiguous();
  return {c.data_ptr<double>(), c.data_ptr<double>() + c.numel()};
}

}  // namespace

QuantMacOptions options_for(const models::ConvSpec& s, const pe::Candidate& c) {
  QuantMacOptions o;
  o.candidate = c, o.role = s.role;
  o.in_channels = s.in_channels, o.out_channels = s.out_channels;
  o.kernel = s.kernel, o.stride = s.stride, o.pad = s.pad, o.groups = s.groups, o.bias = s.bias;
  return o;
}

QuantMacOptions options_for(const models::FcSpec& s, const pe::Candidate& c) {
  QuantMacOptions o;
  o.candidate = c, o.role = s.role, o.fully_connected = true;
  o.in_channels = s.in_features, o.out_channels = s.out_features, o.bias = s.bias;
  return o;
}

QuantMacImpl::QuantMacImpl(const QuantMacOptions& o) : options_(o) {
  if (const std::string why = o.candidate.check(); !why.empty()) throw std::invalid_argument(why);
  if (const std::string why = shape(o.kernel, o.kernel).check(); !why.empty()) throw std::invalid_argument(why);
  const int fan_in = o.in_channels / o.groups * o.kernel * o.kernel;
  // Refuse at construction what accumulate() could not sum exactly.
  if (max_partial_sum(o.candidate, fan_in) >= std::ldexp(1.0, 53))
    throw std::invalid_argument(pe::to_string(o.candidate) + " with " + std::to_string(fan_in) +
                                " terms per output cannot be summed exactly (use shift:w5 or narrower)");
  // PyTorch's Conv2d/Linear initialization, so quantized and float runs start alike.
  weight = register_parameter("weight", torch::empty({o.out_channels, o.in_channels / o.groups, o.kernel, o.kernel}));
  torch::nn::init::kaiming_uniform_(weight, std::sqrt(5.0));
  if (o.bias) {
    const double bound = 1 / std::sqrt(double(fan_in));
    bias = register_parameter("bias", torch::empty({o.out_channels}).uniform_(-bound, bound));
  }
  if (o.role == models::MacRole::Input) {
    // The image, un-normalized to [0, 1] pixels: a fixed clip of 1 makes A = 8 codes the
    // original 8-bit pixels, exactly what the replay feeds the first layer.
    clip = register_buffer("clip", torch::ones({}));
    if (o.input) {
      const auto c = int64_t(o.in_channels);
      if (int64_t(o.input->mean.size()) != c || int64_t(o.input->stddev.size()) != c)
        throw std::invalid_argument("input normalization needs one mean and stddev per input channel");
      input_mean_ = register_buffer("input_mean", torch::tensor(o.input->mean).view({1, c, 1, 1}));
      input_stddev_ = register_buffer("input_stddev", torch::tensor(o.input->stddev).view({1, c, 1, 1}));
    }
  } else {
    clip = register_parameter("clip", torch::full({}, o.initial_clip));
  }
}

torch::Tensor QuantMacImpl::to_nchw(const torch::Tensor& x) const {
  return options_.fully_connected ? x.reshape({x.size(0), -1, 1, 1}) : x;
}

QuantActivations QuantMacImpl::quantize_input(const torch::Tensor& x) const {
  torch::Tensor t = to_nchw(x);
  if (input_mean_.defined()) t = t * input_stddev_ + input_mean_;
  return quantize_activations(t, clip, options_.candidate.act_bits);
}

Accumulators QuantMacImpl::accumulate(const torch::Tensor& x) const {
  return search::accumulate(quantize_input(x), quantize_weight(), options_.candidate, geometry());
}

torch::Tensor QuantMacImpl::forward(const torch::Tensor& x) {
  if (is_training()) return training_forward(x);
  const QuantActivations q = quantize_input(x);
  const QuantWeights w = quantize_weight();
  const Accumulators acc = search::accumulate(q, w, options_.candidate, geometry());
  torch::Tensor y = dequantize(acc, q, w, options_.candidate, x.scalar_type());
  if (bias.defined()) y = y + bias.to(y.scalar_type()).view({1, -1, 1, 1});
  return options_.fully_connected ? y.flatten(1) : y;
}

torch::Tensor QuantMacImpl::training_forward(const torch::Tensor& x) {
  // The same values up to float32 rounding: every scale folded into the (small) weight, one
  // float32 convolution of the integer codes, no exact integer sums and no reduction modulo
  // 2^32 (which only shift:w6 and wider reach). Training needs the gradients, not the bits.
  const QuantActivations q = quantize_input(x);
  const QuantWeights w = quantize_weight();
  const torch::Tensor sw = w.scale.view({-1, 1, 1, 1}).to(x.scalar_type());
  const torch::Tensor sx = q.scale.to(x.scalar_type());
  const ConvGeometry g = geometry();
  auto conv = [&](const torch::Tensor& in, const torch::Tensor& weight) {
    return at::conv2d(in, weight, bias, g.stride, g.pad, 1, g.groups);
  };
  torch::Tensor y;
  if (options_.candidate.kind == pe::OpKind::Mf)
    y = conv(q.codes, sx * w.values.detach().sign()) + at::conv2d(q.codes.detach().sign(), sw * w.values, {}, g.stride, g.pad, 1, g.groups);
  else
    y = conv(q.codes, (sx * sw) * w.values);
  return options_.fully_connected ? y.flatten(1) : y;
}

pe::ConvShape QuantMacImpl::shape(int height, int width) const {
  pe::ConvShape s;
  s.C = options_.in_channels, s.K = options_.out_channels;
  s.H = options_.fully_connected ? 1 : height, s.W = options_.fully_connected ? 1 : width;
  s.R = s.S = options_.kernel;
  s.stride = options_.stride, s.pad = options_.pad, s.groups = options_.groups;
  return s;
}

LayerExport export_layer(const QuantMacImpl& layer) {
  torch::NoGradGuard no_grad;
  LayerExport e;
  e.candidate = layer.options().candidate;
  e.weight_codes = to_int_vector(weight_codes(layer.weight, e.candidate));
  e.weight_scale = to_double_vector(layer.quantize_weight().scale);
  e.act_scale = quantize_activations(torch::zeros({1}), layer.clip, e.candidate.act_bits).scale.item<double>();
  if (layer.bias.defined()) e.bias = to_double_vector(layer.bias);
  return e;
}

std::vector<int32_t> integer_activations(const QuantMacImpl& layer, const torch::Tensor& x, int64_t item) {
  torch::NoGradGuard no_grad;
  return to_int_vector(layer.quantize_input(x).codes[item]);
}

pe::Candidate QuantLayerFactory::candidate_for(const std::string& name, models::MacRole role) const {
  if (config_.pin_first_last && role != models::MacRole::Hidden) return *config_.pin_first_last;
  if (const auto it = config_.per_layer.find(name); it != config_.per_layer.end()) return it->second;
  return config_.candidate;
}

torch::nn::AnyModule QuantLayerFactory::conv(const models::ConvSpec& spec) const {
  QuantMacOptions o = options_for(spec, candidate_for(spec.name, spec.role));
  if (spec.role == models::MacRole::Input) o.input = config_.input;
  return torch::nn::AnyModule(QuantMac(o));
}

torch::nn::AnyModule QuantLayerFactory::fc(const models::FcSpec& spec) const {
  QuantMacOptions o = options_for(spec, candidate_for(spec.name, spec.role));
  if (spec.role == models::MacRole::Input) o.input = config_.input;
  return torch::nn::AnyModule(QuantMac(o));
}

}  // namespace enos::search
