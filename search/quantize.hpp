#pragma once
// Fake quantization of every operator kind (docs/operators.md, docs/search.md). The functions
// here are free of module state so that several candidates can quantize ONE latent float
// weight and one activation clip (the supernet of the search shares them per layer).
//
// Exactness: the integer parts (codes, accumulators) are exact integers held in floating
// point; accumulate() sums them in float32 only when every partial sum is provably below 2^24
// and in float64 otherwise, and reduces modulo 2^32 like pe::wrap_add. Gradients pass
// straight through every rounding (STE).
#include <cstdint>

#include <ATen/core/Tensor.h>

#include "pe/candidate.hpp"

namespace enos::search {

// Convolution geometry of a MAC layer (a fully connected layer is a 1×1 convolution on 1×1).
struct ConvGeometry {
  int stride = 1, pad = 0, groups = 1;
};

// Unsigned A-bit activations, PACT-style: x_int = round(min(max(x, 0), clip) / s_x) with
// s_x = clip / (2^A − 1). `codes` holds x_int (exact integers) and passes gradients straight
// through the rounding; `scale` (0-dim) carries the gradient to `clip`.
struct QuantActivations {
  at::Tensor codes;
  at::Tensor scale;
};
QuantActivations quantize_activations(const at::Tensor& x, const at::Tensor& clip, int act_bits);
// The codes alone, for `levels` = 2^A − 1 and a clip already kept positive (one autograd node).
at::Tensor pact_codes(const at::Tensor& x, const at::Tensor& positive_clip, double levels);

// Weights [K][C/g][R][S] as the decoded integers pe::decode_weight gives (int/mf: the code;
// bin: ±1; shift: ±2^e, reduced modulo 2^32 as decode_weight does), with a straight-through
// gradient to the latent weight, and the per-output-channel scale [K] (detached: it is a
// function of the weight, not a parameter). Real weight = scale[k] · value.
struct QuantWeights {
  at::Tensor values;
  at::Tensor scale;
};
QuantWeights quantize_weights(const at::Tensor& latent, const pe::Candidate& c);

// The stored weight codes (int32 tensor, same shape) of quantize_weights(latent, c).values.
at::Tensor weight_codes(const at::Tensor& latent, const pe::Candidate& c);

// The two accumulators of docs/operators.md ("What is accumulated") for a batch, N×K×P×Q,
// exact integers in float32 or float64 (see above). `aux` is undefined except for mf.
struct Accumulators {
  at::Tensor main, aux;
};
Accumulators accumulate(const QuantActivations& x, const QuantWeights& w, const pe::Candidate& c,
                        const ConvGeometry& g);

// The real output: s_x·s_w[k]·main (int, bin, shift) or s_x·main + s_w[k]·aux (mf), in `dtype`.
at::Tensor dequantize(const Accumulators& acc, const QuantActivations& x, const QuantWeights& w,
                      const pe::Candidate& c, at::ScalarType dtype);

// Largest magnitude a partial sum of `reduction` terms can reach with the decoded (32-bit
// reduced) weights: decides float32 (≤ 2^24), float64 (< 2^53) or unsupported (throws
// std::invalid_argument from accumulate()).
double max_partial_sum(const pe::Candidate& c, int64_t reduction);

}  // namespace enos::search
