#include "pe/requant.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <stdexcept>

namespace enos::pe {
namespace {

constexpr int kMaxShift = 63;
constexpr int32_t kInt32Min = std::numeric_limits<int32_t>::min();
constexpr int32_t kInt32Max = std::numeric_limits<int32_t>::max();
constexpr int64_t kOffsetLimit = int64_t(1) << 62;  // |offset| < 2^62
__extension__ typedef __int128 Int128;  // GCC's 128-bit integer; __extension__ keeps -Wpedantic quiet

// floor(v / 2^n + 1/2), n in 0..63, as the quotient floor(v / 2^n) plus the first dropped
// bit, so v + 2^(n−1) (which could overflow) is never formed. >> on a negative integer is an
// arithmetic shift (floor) on every compiler this project supports and guaranteed from C++20.
template <typename Int>
Int round_shift(Int v, int n) {
  return n == 0 ? v : (v >> n) + ((v >> (n - 1)) & 1);
}

void require_act_bits(int bits) {
  const BitRange r = act_bits_range();
  if (bits < r.lo || bits > r.hi) {
    throw std::invalid_argument("output activations take " + std::to_string(r.lo) + ".." +
                                std::to_string(r.hi) + " bits, got " + std::to_string(bits));
  }
}

void require_valid(const RequantChannel& ch) {
  if (std::string e = ch.check(); !e.empty()) throw std::invalid_argument(e);
}

// The rounding shift and clamp, shared by requantize and requantize_layer (which validates
// once per layer instead of once per output).
int32_t requantize_unchecked(const Psum& acc, const RequantChannel& ch, int32_t out_min, int32_t out_max) {
  const int64_t t = wrap_add(acc.main, ch.bias);
  // Each term is below 2^62 in magnitude, but their sum can pass 2^63: sum in 128 bits (a
  // 65-bit adder in hardware).
  const Int128 v = Int128(t * ch.multiplier) + Int128(int64_t(acc.aux) * ch.aux_multiplier) + ch.offset;
  return static_cast<int32_t>(std::clamp<Int128>(round_shift(v, ch.shift), out_min, out_max));
}

// The shared shift for the larger scale magnitude `m` > 0: m · 2^n in [2^30, 2^31).
int shift_for(double m) {
  int exponent = 0;
  std::frexp(m, &exponent);  // m = f · 2^exponent, f in [0.5, 1)
  int n = std::min(31 - exponent, kMaxShift);
  if (n >= 0 && std::llround(std::ldexp(m, n)) > kInt32Max) --n;  // f rounded up to 1
  if (n < 0) {
    throw std::invalid_argument("requantization scale " + std::to_string(m) +
                                " is too large for a 32-bit multiplier");
  }
  return n;
}

// The largest n ≤ 63 with |round(steps · 2^n)| < 2^62.
int shift_for_offset(double steps) {
  int n = kMaxShift;
  while (n >= 0 && std::fabs(std::round(std::ldexp(steps, n))) >= std::ldexp(1.0, 62)) --n;
  if (n < 0) {
    throw std::invalid_argument("requantization offset of " + std::to_string(steps) +
                                " output steps does not fit in 62 bits");
  }
  return n;
}

}  // namespace

std::string RequantChannel::check() const {
  if (multiplier == kInt32Min || aux_multiplier == kInt32Min) {
    return "requantization multiplier must not be -2^31";
  }
  if (shift < 0 || shift > kMaxShift) {
    return "requantization shift must be 0..63, got " + std::to_string(shift);
  }
  if (offset <= -kOffsetLimit || offset >= kOffsetLimit) {
    return "requantization offset must be within ±(2^62 − 1), got " + std::to_string(offset);
  }
  return {};
}

int64_t rounding_shift_right(int64_t v, int n) {
  if (n < 0 || n > kMaxShift) {
    throw std::invalid_argument("rounding shift must be 0..63, got " + std::to_string(n));
  }
  return round_shift(v, n);
}

int32_t requantize(const Psum& acc, const RequantChannel& ch, int out_act_bits) {
  require_act_bits(out_act_bits);
  require_valid(ch);
  return requantize_unchecked(acc, ch, 0, (int32_t(1) << out_act_bits) - 1);
}

std::vector<int32_t> requantize_layer(const std::vector<Psum>& acc,
                                      const std::vector<RequantChannel>& channels,
                                      int out_act_bits, bool is_signed) {
  require_act_bits(out_act_bits);
  if (is_signed && out_act_bits < 2) throw std::invalid_argument("a signed output needs at least 2 bits");
  if (channels.empty() || acc.size() % channels.size() != 0) {
    throw std::invalid_argument(std::to_string(acc.size()) + " accumulators do not split into " +
                                std::to_string(channels.size()) + " output channels");
  }
  for (const RequantChannel& ch : channels) require_valid(ch);
  const CodeRange range = tensor_code_range(out_act_bits, is_signed);
  const std::size_t plane = acc.size() / channels.size();
  std::vector<int32_t> out(acc.size());
  for (std::size_t i = 0; i < acc.size(); ++i) {
    out[i] = requantize_unchecked(acc[i], channels[i / plane], range.lo, range.hi);
  }
  return out;
}

CodeRange tensor_code_range(int bits, bool is_signed) {
  if (is_signed) return {-(int32_t(1) << (bits - 1)), (int32_t(1) << (bits - 1)) - 1};
  return {0, (int32_t(1) << bits) - 1};
}

RequantChannel make_requant_channel(double main_scale, double aux_scale, int32_t bias, double offset_steps) {
  if (!std::isfinite(main_scale) || !std::isfinite(aux_scale) || !std::isfinite(offset_steps)) {
    throw std::invalid_argument("requantization scales and offset must be finite");
  }
  RequantChannel ch;
  ch.bias = bias;
  const double m = std::max(std::fabs(main_scale), std::fabs(aux_scale));
  if (m == 0.0 && offset_steps == 0.0) return ch;  // every output is 0
  ch.shift = std::min(m == 0.0 ? kMaxShift : shift_for(m), shift_for_offset(offset_steps));
  ch.multiplier = static_cast<int32_t>(std::llround(std::ldexp(main_scale, ch.shift)));
  ch.aux_multiplier = static_cast<int32_t>(std::llround(std::ldexp(aux_scale, ch.shift)));
  ch.offset = std::llround(std::ldexp(offset_steps, ch.shift));
  return ch;
}

}  // namespace enos::pe
