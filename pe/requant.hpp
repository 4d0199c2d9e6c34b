#pragma once
// Requantization: turns one output's accumulators into the next layer's activation
// (docs/operators.md, "Requantization"). Per output channel k, with A = output act_bits:
//
//   t   = wrap32(main + bias)                  bias preloads the 32-bit accumulator
//   v   = t · M + aux · M_aux + offset         exact (66 bits; computed in 128)
//   y   = floor(v / 2^n + 1/2)                 one rounding, half up (toward +inf)
//   out = min(max(y, 0), 2^A − 1)              ReLU, then saturate to A bits
//
// A signed output (a layer whose float model has no ReLU and whose output is not read by a MAC
// layer's quantizer, e.g. ShuffleNet v1's last conv of a unit, which feeds the residual add)
// saturates to two's complement instead: out = min(max(y, −2^(A−1)), 2^(A−1) − 1).
//
// M / 2^n approximates the real scale of `main` (int, bin, shift: s_x·s_w[k] / s_out; mf:
// s_x / s_out) and M_aux / 2^n that of mf's `aux` (s_w[k] / s_out). The two mf products are
// summed before the single shift, so they share n and are rounded once. For the other kinds
// aux is always 0 and M_aux has no effect. A folded batch norm lives in M (its scale) and
// offset (its shift β, in units of 2^-n output steps). `bias` counts units of `main`, which
// with 2- and 4-bit operands are coarse (often more than one output step): too coarse for β.
#include <cstdint>
#include <string>
#include <vector>

#include "pe/semantics.hpp"

namespace enos::pe {

struct RequantChannel {
  int32_t multiplier = 0;      // M, any int32 except INT32_MIN (negative for a negative scale)
  int32_t aux_multiplier = 0;  // M_aux, mf only; same range as M
  int shift = 0;               // n, 0..63
  int32_t bias = 0;            // in units of `main`
  int64_t offset = 0;          // in units of 2^-n output steps, |offset| < 2^62

  // Empty when the fields are in range, otherwise the reason. Excluding INT32_MIN keeps
  // |t·M| and |aux·M_aux| below 2^62, so v needs at most 64 bits plus sign.
  std::string check() const;
};

// floor(v / 2^n + 1/2) for n in 0..63, computed without forming v + 2^(n−1) (which could
// overflow): the quotient floor(v / 2^n) plus the first dropped bit.
int64_t rounding_shift_right(int64_t v, int n);

// One output: the formula above. Throws std::invalid_argument for an invalid channel or
// out_act_bits outside act_bits_range().
int32_t requantize(const Psum& acc, const RequantChannel& ch, int out_act_bits);

// A whole layer: `acc` is [K][P][Q] as reference_conv returns it, `channels` has K entries.
// `is_signed` selects the two's-complement range (A ≥ 2).
std::vector<int32_t> requantize_layer(const std::vector<Psum>& acc,
                                      const std::vector<RequantChannel>& channels,
                                      int out_act_bits, bool is_signed = false);

// The integer range of a tensor of `bits` (1..16) bits: [0, 2^bits − 1], or [−2^(bits−1),
// 2^(bits−1) − 1] when signed.
CodeRange tensor_code_range(int bits, bool is_signed);

// The channel whose M / 2^n, M_aux / 2^n and offset / 2^n are nearest to the real scales and
// to `offset_steps` (in output steps) with a shared n: n is the largest (at most 63) that keeps
// both multipliers within int32, so the larger one has 31 significant bits, and the offset
// below 2^62. Multipliers and offset round half away from zero. Throws std::invalid_argument
// for a non-finite argument, a scale of magnitude ≥ 2^31 or an offset of ≥ 2^62 steps.
RequantChannel make_requant_channel(double main_scale, double aux_scale = 0.0, int32_t bias = 0,
                                    double offset_steps = 0.0);

}  // namespace enos::pe
