#include "search/quantize.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <ATen/ATen.h>
#include <torch/csrc/autograd/custom_function.h>

namespace enos::search {
namespace {

// Value `rounded` in the forward pass, gradient of `z` in the backward pass. Written as
// rounded + (z − z) rather than z + (rounded − z): the latter is inexact once |rounded| ≥ 2^24
// in float32 (shift exponents ≥ 24), the former adds an exact zero.
at::Tensor straight_through(const at::Tensor& z, const at::Tensor& rounded) {
  return rounded.detach() + (z - z.detach());
}

// Scales are per output channel: reshape [K] to broadcast over K×(C/g)×R×S or N×K×P×Q.
at::Tensor per_channel(const at::Tensor& s, int64_t dims, int64_t axis) {
  std::vector<int64_t> shape(std::size_t(dims), 1);
  shape[std::size_t(axis)] = -1;
  return s.view(shape);
}

// A positive per-channel statistic, guarded so an all-zero channel does not divide by zero.
at::Tensor channel_max_abs(const at::Tensor& w) { return w.detach().abs().amax({1, 2, 3}).clamp_min(1e-12); }
at::Tensor channel_mean_abs(const at::Tensor& w) { return w.detach().abs().mean({1, 2, 3}).clamp_min(1e-12); }

int max_exponent(const pe::Candidate& c) { return (1 << (c.weight_bits - 1)) - 1; }

// shift: the per-channel power-of-two scale 2^o[k] puts the largest |w| at the top exponent
// (DeepShift-Q rounds in the log domain); e = clamp(round(log2|w / 2^o|), 0, E).
struct ShiftParts {
  at::Tensor scale, exponent, negative;
};
ShiftParts shift_parts(const at::Tensor& latent, const pe::Candidate& c) {
  const int top = max_exponent(c);
  const at::Tensor offset = at::round(at::log2(channel_max_abs(latent))) - top;
  const at::Tensor scale = at::exp2(offset);  // exact powers of two
  const at::Tensor z = latent.detach() / per_channel(scale, 4, 0);
  const at::Tensor exponent = at::round(at::log2(z.abs())).clamp(0, top);  // log2(0) = −inf → 0
  return {scale, exponent, latent.detach() < 0};
}

}  // namespace

namespace {

// PACT as one autograd node: codes = round(clamp(x, 0, c)·L/c), the rounding straight-through.
// Written as separate LibTorch operations (relu, minimum, divide, round, the STE's subtract
// and add) it made six passes over every activation forward and as many backward, which made
// a fake-quantized training step twice a float one; this makes three forward and two backward.
struct PactCodes : public torch::autograd::Function<PactCodes> {
  static at::Tensor forward(torch::autograd::AutogradContext* ctx, const at::Tensor& x, const at::Tensor& clip,
                            double levels) {
    ctx->save_for_backward({x, clip});
    ctx->saved_data["levels"] = levels;
    const double c = clip.item<double>();
    return at::clamp(x, 0.0, c).mul_(levels / c).round_();
  }
  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grad) {
    const auto saved = ctx->get_saved_variables();
    const at::Tensor& x = saved[0];
    const double c = saved[1].item<double>(), levels = ctx->saved_data["levels"].toDouble();
    // Inside (0, c): ∂/∂x = L/c and ∂/∂c = −x·L/c² (the rounding residual's share of PACT's
    // clip gradient); outside, the codes are constant (0 or L). The scale s_x = c/L that
    // multiplies the codes downstream carries the rest of the clip's gradient.
    const at::Tensor gx = grad[0] * (x > 0).logical_and_(x < c) * (levels / c);
    const at::Tensor gc = (gx * x).sum().neg_().div_(c).to(saved[1].scalar_type()).reshape(saved[1].sizes());
    return {gx, gc, at::Tensor()};
  }
};

}  // namespace

at::Tensor pact_codes(const at::Tensor& x, const at::Tensor& positive_clip, double levels) {
  return PactCodes::apply(x, positive_clip, levels);
}

QuantActivations quantize_activations(const at::Tensor& x, const at::Tensor& clip, int act_bits) {
  const double levels = std::ldexp(1.0, act_bits) - 1;
  // A clip that training pushed to (or below) zero would make the scale vanish.
  const at::Tensor positive_clip = clip.clamp_min(1e-4);
  return {pact_codes(x, positive_clip, levels), positive_clip / levels};
}

QuantWeights quantize_weights(const at::Tensor& latent, const pe::Candidate& c) {
  switch (c.kind) {
    case pe::OpKind::Int:
    case pe::OpKind::Mf: {
      // Symmetric per-channel scale: codes −Q..Q, −2^(K−1) unused (operators.md). Max-abs
      // for K ≥ 3. For K = 2 (ternary codes) max-abs puts the zero threshold at max|w|/2,
      // which zeroes ~80 % of a trained layer's weights, and int:w2a2 networks did not learn
      // (10 % on Fashion-MNIST after 2 epochs); the scale 1.4·mean|w| puts it at
      // 0.7·mean|w|, Ternary Weight Networks' threshold (Li & Liu 2016).
      const double q = max_exponent(c);
      const at::Tensor scale = c.weight_bits == 2 ? 1.4 * channel_mean_abs(latent) : channel_max_abs(latent) / q;
      const at::Tensor z = latent / per_channel(scale, 4, 0);
      return {straight_through(z, z.detach().round().clamp(-q, q)), scale};
    }
    case pe::OpKind::Bin: {
      // α[k] = mean|w[k]| (XNOR-Net); sign(0) is +1 because bin has no zero weight.
      const at::Tensor scale = channel_mean_abs(latent);
      const at::Tensor z = latent / per_channel(scale, 4, 0);
      return {straight_through(z, at::where(latent.detach() < 0, -1.0, 1.0).to(latent.scalar_type())), scale};
    }
    case pe::OpKind::Shift: {
      const ShiftParts p = shift_parts(latent, c);
      at::Tensor value = at::where(p.negative, -at::exp2(p.exponent), at::exp2(p.exponent));
      // decode_weight's reduction modulo 2^32: 2^31 → −2^31 (either sign), 2^e≥32 → 0.
      value = at::where(p.exponent >= 32, at::zeros_like(value), value);
      value = at::where(p.exponent == 31, at::full_like(value, -2147483648.0), value);
      const at::Tensor z = latent / per_channel(p.scale, 4, 0);
      return {straight_through(z, value), p.scale};
    }
  }
  throw std::invalid_argument("unknown operator kind");
}

at::Tensor weight_codes(const at::Tensor& latent, const pe::Candidate& c) {
  if (c.kind == pe::OpKind::Shift) {
    const ShiftParts p = shift_parts(latent, c);
    return (p.negative.to(at::kInt) * (1 << (c.weight_bits - 1)) + p.exponent.to(at::kInt)).contiguous();
  }
  const at::Tensor v = quantize_weights(latent, c).values.detach();
  if (c.kind == pe::OpKind::Bin) return (v > 0).to(at::kInt).contiguous();  // code 1 → +1, 0 → −1
  return v.to(at::kInt).contiguous();  // int, mf: the code is the value
}

double max_partial_sum(const pe::Candidate& c, int64_t reduction) {
  const double max_x = std::ldexp(1.0, c.act_bits) - 1;
  double max_w = 1;
  if (c.kind == pe::OpKind::Int || c.kind == pe::OpKind::Mf) max_w = max_exponent(c);
  if (c.kind == pe::OpKind::Shift) max_w = std::ldexp(1.0, std::min(max_exponent(c), 31));
  // mf's accumulators hold Σ ±x and Σ ±w separately; the others Σ w·x.
  const double term = c.kind == pe::OpKind::Mf ? std::max(max_x, max_w) : max_w * max_x;
  return term * double(reduction);
}

Accumulators accumulate(const QuantActivations& x, const QuantWeights& w, const pe::Candidate& c,
                        const ConvGeometry& g) {
  const int64_t reduction = w.values.size(1) * w.values.size(2) * w.values.size(3);
  const double bound = max_partial_sum(c, reduction);
  if (bound >= std::ldexp(1.0, 53))
    throw std::invalid_argument(pe::to_string(c) + ": a sum of " + std::to_string(reduction) +
                                " terms can exceed 2^53, which the LibTorch module cannot sum exactly");
  // Integers below 2^24 are exact in float32 whatever the summation order (every product and
  // partial sum is an integer that fits the mantissa); beyond that, float64 up to 2^53.
  const at::ScalarType type = bound <= std::ldexp(1.0, 24) ? at::kFloat : at::kDouble;
  const at::Tensor xi = x.codes.to(type), wi = w.values.to(type);
  auto conv = [&](const at::Tensor& in, const at::Tensor& weight) {
    return at::conv2d(in, weight, {}, g.stride, g.pad, 1, g.groups);
  };
  Accumulators acc;
  if (c.kind == pe::OpKind::Mf) {
    // Σ sign(w)·x and Σ sign(x)·w: sign(w) and sign(x) are constants of the step, so the
    // gradient reaches x through `main` and the weight through `aux`.
    acc.main = conv(xi, wi.detach().sign());
    acc.aux = conv(xi.detach().sign(), wi);
  } else {
    acc.main = conv(xi, wi);
  }
  if (bound > std::ldexp(1.0, 31) - 1) {  // can leave int32: reduce modulo 2^32 (exact in float64)
    const double m = std::ldexp(1.0, 32), half = std::ldexp(1.0, 31);
    auto wrap = [&](const at::Tensor& v) { return straight_through(v, v - m * at::floor((v + half) / m)); };
    acc.main = wrap(acc.main);
    if (acc.aux.defined()) acc.aux = wrap(acc.aux);
  }
  return acc;
}

at::Tensor dequantize(const Accumulators& acc, const QuantActivations& x, const QuantWeights& w,
                      const pe::Candidate& c, at::ScalarType dtype) {
  // The wider of the two: a float64 module whose sums fit float32 still scales in float64.
  const at::ScalarType type = at::promoteTypes(acc.main.scalar_type(), dtype);
  const at::Tensor sx = x.scale.to(type), sw = per_channel(w.scale.to(type), 4, 1);
  const at::Tensor main = acc.main.to(type);
  const at::Tensor y = c.kind == pe::OpKind::Mf ? main * sx + acc.aux.to(type) * sw : main * (sx * sw);
  return y.to(dtype);
}

}  // namespace enos::search
