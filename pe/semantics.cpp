#include "pe/semantics.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace enos::pe {
namespace {

// 128-bit products for worst_case_accumulator_bits: reduction × |x| × |w| can exceed 64 bits
// for absurd reductions, and a bit count must not be wrong there.
__extension__ typedef unsigned __int128 Uint128;

void require_valid(const Candidate& c) {
  if (std::string reason = c.check(); !reason.empty()) throw std::invalid_argument(reason);
}

int32_t max_signed(int bits) { return (int32_t(1) << (bits - 1)) - 1; }

int shift_exponent_bits(const Candidate& c) { return c.weight_bits - 1; }

// Two's complement reduction of ±2^e to 32 bits (see decode_weight in the header).
int32_t wrapped_power_of_two(bool negative, int e) {
  const uint32_t magnitude = e < 32 ? uint32_t(1) << e : 0u;
  return static_cast<int32_t>(negative ? 0u - magnitude : magnitude);
}

int bit_length(Uint128 v) {
  int n = 0;
  for (; v != 0; v >>= 1) ++n;
  return n;
}

// Bits of a signed accumulator holding any value in [−m, m] where m = count · a · 2^e.
int signed_bits_for(int64_t count, int64_t a, int e) {
  const Uint128 m = Uint128(uint64_t(count)) * uint64_t(a);
  return (m == 0 ? 0 : bit_length(m) + e) + 1;
}

}  // namespace

CodeRange weight_code_range(const Candidate& c) {
  require_valid(c);
  switch (c.kind) {
    case OpKind::Int:
    case OpKind::Mf: {
      // Symmetric: −2^(K−1) is left out so that negation never overflows and 0 is centred.
      const int32_t m = max_signed(c.weight_bits);
      return {-m, m};
    }
    case OpKind::Bin: return {0, 1};
    case OpKind::Shift: return {0, (int32_t(1) << c.weight_bits) - 1};
  }
  throw std::logic_error("weight_code_range: unhandled OpKind");
}

CodeRange activation_range(const Candidate& c) {
  require_valid(c);
  return {0, (int32_t(1) << c.act_bits) - 1};
}

int32_t decode_weight(const Candidate& c, int32_t code) {
  const CodeRange r = weight_code_range(c);
  if (code < r.lo || code > r.hi) {
    throw std::invalid_argument("weight code " + std::to_string(code) + " is outside " +
                                to_string(c) + "'s range " + std::to_string(r.lo) + ".." +
                                std::to_string(r.hi));
  }
  switch (c.kind) {
    case OpKind::Int:
    case OpKind::Mf: return code;
    case OpKind::Bin: return code == 1 ? 1 : -1;
    case OpKind::Shift: {
      const int e_bits = shift_exponent_bits(c);
      const bool negative = (code >> e_bits) != 0;
      return wrapped_power_of_two(negative, code & ((1 << e_bits) - 1));
    }
  }
  throw std::logic_error("decode_weight: unhandled OpKind");
}

std::vector<int32_t> decode_weights(const Candidate& c, const std::vector<int32_t>& codes) {
  std::vector<int32_t> values(codes.size());
  // WeightDecoder checks the candidate once, not once per code; same values, same errors.
  std::transform(codes.begin(), codes.end(), values.begin(), WeightDecoder(c));
  return values;
}

int32_t encode_shift(const Candidate& c, bool negative, int exponent) {
  require_valid(c);
  if (c.kind != OpKind::Shift) {
    throw std::invalid_argument("encode_shift needs a shift candidate, got " + to_string(c));
  }
  const int e_bits = shift_exponent_bits(c);
  const int e_max = (1 << e_bits) - 1;
  if (exponent < 0 || exponent > e_max) {
    throw std::invalid_argument("exponent " + std::to_string(exponent) + " is outside " +
                                to_string(c) + "'s range 0.." + std::to_string(e_max));
  }
  return (int32_t(negative) << e_bits) | exponent;
}

int worst_case_accumulator_bits(const Candidate& c, int64_t reduction) {
  require_valid(c);
  if (reduction < 0) {
    throw std::invalid_argument("reduction must be ≥ 0, got " + std::to_string(reduction));
  }
  const int64_t x_max = activation_range(c).hi;
  switch (c.kind) {
    case OpKind::Int: return signed_bits_for(reduction, x_max * max_signed(c.weight_bits), 0);
    case OpKind::Bin: return signed_bits_for(reduction, x_max, 0);
    case OpKind::Shift: {
      const int e_max = (1 << shift_exponent_bits(c)) - 1;
      return signed_bits_for(reduction, x_max, e_max);
    }
    case OpKind::Mf: {
      // main sums ±x, aux sums ±w: each accumulator needs its own width; report the wider.
      return std::max(signed_bits_for(reduction, x_max, 0),
                      signed_bits_for(reduction, max_signed(c.weight_bits), 0));
    }
  }
  throw std::logic_error("worst_case_accumulator_bits: unhandled OpKind");
}

}  // namespace enos::pe
