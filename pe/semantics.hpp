#pragma once
// Integer semantics of every operator (docs/operators.md is the written form of this file).
// Weights are stored as codes of weight_bits bits; decode_weight gives the integer the
// arithmetic uses. Activations are unsigned act_bits-bit integers.
//
// Accumulators are 32-bit two's complement and wrap on overflow. Wrapping addition is
// associative, so every loop order, tiling and dataflow yields the same bits as the
// reference; worst_case_accumulator_bits() tells when a layer could wrap at all.
#include <cstdint>
#include <vector>

#include "pe/candidate.hpp"

namespace enos::pe {

constexpr int kAccumulatorBits = 32;

// The accumulator pair of one output. `main` holds Σ w·x (int, bin, shift) or Σ sign(w)·x
// (mf); `aux` holds Σ sign(x)·w for mf and stays 0 otherwise. The two mf sums carry
// different scales (activation scale vs weight scale), so they are kept apart and combined
// only in requantization.
struct Psum {
  int32_t main = 0;
  int32_t aux = 0;
  bool operator==(const Psum& o) const { return main == o.main && aux == o.aux; }
  bool operator!=(const Psum& o) const { return !(*this == o); }
};

inline int32_t wrap_add(int32_t acc, int64_t term) {
  return static_cast<int32_t>(static_cast<uint32_t>(acc) + static_cast<uint32_t>(term));
}

// Inclusive range of valid weight codes and activations for a candidate.
struct CodeRange {
  int32_t lo, hi;
};
CodeRange weight_code_range(const Candidate& c);
CodeRange activation_range(const Candidate& c);

// Integer value of a weight code: int/mf: the signed code itself; bin: 0 → −1, 1 → +1;
// shift: code = (sign << (bits−1)) | e, value = (sign ? −1 : +1) · 2^e.
// Throws std::invalid_argument when the code is outside weight_code_range(c).
//
// The result is the value modulo 2^32 as an int32: exact for every kind except shift
// exponents ≥ 31 (shift:w6 and wider), where 2^e does not fit. Because the accumulator is
// itself modulo 2^32, mac() with the reduced value gives exactly the bits of the exact
// product, so the rule "exact sum, wrapped to 32 bits" holds for every code.
int32_t decode_weight(const Candidate& c, int32_t code);

// decode_weight over a whole tensor, so hot loops decode each weight once.
std::vector<int32_t> decode_weights(const Candidate& c, const std::vector<int32_t>& codes);

// The shift code of (negative ? −1 : +1) · 2^exponent; throws std::invalid_argument when the
// candidate is not shift or the exponent does not fit its weight_bits − 1 exponent bits.
int32_t encode_shift(const Candidate& c, bool negative, int exponent);

// decode_weight with the candidate validated once: for decoding many codes of one layer.
class WeightDecoder {
 public:
  explicit WeightDecoder(const Candidate& c) : c_(c), range_(weight_code_range(c)) {}
  int32_t operator()(int32_t code) const {
    if (code < range_.lo || code > range_.hi) return decode_weight(c_, code);  // throws, with the reason
    switch (c_.kind) {
      case OpKind::Bin: return code == 1 ? 1 : -1;
      case OpKind::Shift: return decode_weight(c_, code);
      default: return code;
    }
  }

 private:
  Candidate c_;
  CodeRange range_;
};

inline int32_t sign_of(int32_t v) { return (v > 0) - (v < 0); }

// One multiply-accumulate in the operator's arithmetic; `w` is the decoded weight.
inline void mac(OpKind kind, Psum& acc, int32_t w, int32_t x) {
  if (kind == OpKind::Mf) {
    acc.main = wrap_add(acc.main, int64_t(sign_of(w)) * x);
    acc.aux = wrap_add(acc.aux, int64_t(sign_of(x)) * w);
  } else {
    acc.main = wrap_add(acc.main, int64_t(w) * x);
  }
}

// Bits a signed accumulator needs for the worst-case sum of `reduction` products (the
// largest |term| repeated; for mf the wider of the two accumulators). A layer can wrap only
// when this exceeds kAccumulatorBits. Throws std::invalid_argument for a negative reduction.
int worst_case_accumulator_bits(const Candidate& c, int64_t reduction);

}  // namespace enos::pe
