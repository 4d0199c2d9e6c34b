// Integer semantics: code ranges, decode tables, the mac of each kind, wrap-around and the
// accumulator-width bound.
#include <catch2/catch.hpp>

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdint>
#include <map>
#include <random>
#include <stdexcept>
#include <vector>

#include "pe/semantics.hpp"

using namespace enos::pe;

namespace {

Candidate cand(const char* text) { return parse_candidate(text); }

std::vector<Candidate> all_valid_candidates() {
  std::vector<Candidate> all;
  for (OpKind kind : {OpKind::Int, OpKind::Bin, OpKind::Mf, OpKind::Shift}) {
    for (int w = 1; w <= 16; ++w) {
      for (int a = 1; a <= 16; ++a) {
        if (Candidate c{kind, w, a}; c.check().empty()) all.push_back(c);
      }
    }
  }
  return all;
}

// Minimal signed width for [-m, m] (m an integer), by search rather than by bit arithmetic:
// the first width whose largest value 2^(bits-1) - 1 reaches m.
int signed_bits_by_search(long double m) {
  int bits = 1;
  while (std::ldexp(1.0L, bits - 1) <= m) ++bits;
  return bits;
}

}  // namespace

TEST_CASE("weight codes and activations span the documented ranges", "[pe][semantics]") {
  for (const Candidate& c : all_valid_candidates()) {
    INFO(to_string(c));
    const CodeRange w = weight_code_range(c);
    const CodeRange x = activation_range(c);
    CHECK(x.lo == 0);
    CHECK(x.hi == (1 << c.act_bits) - 1);
    switch (c.kind) {
      case OpKind::Int:
      case OpKind::Mf:
        CHECK(w.hi == (1 << (c.weight_bits - 1)) - 1);
        CHECK(w.lo == -w.hi);
        break;
      case OpKind::Bin:
        CHECK(w.lo == 0);
        CHECK(w.hi == 1);
        break;
      case OpKind::Shift:
        CHECK(w.lo == 0);
        CHECK(w.hi == (1 << c.weight_bits) - 1);
        break;
    }
  }
  CHECK_THROWS_AS(weight_code_range(Candidate{OpKind::Int, 40, 8}), std::invalid_argument);
}

TEST_CASE("int and mf codes are their own values", "[pe][semantics]") {
  for (const char* text : {"int:w4a4", "int:w2a2", "mf:w8a8", "int:w16a16"}) {
    const Candidate c = cand(text);
    const CodeRange r = weight_code_range(c);
    for (int32_t code = r.lo; code <= r.hi; ++code) CHECK(decode_weight(c, code) == code);
    CHECK_THROWS_AS(decode_weight(c, r.hi + 1), std::invalid_argument);
    CHECK_THROWS_AS(decode_weight(c, r.lo - 1), std::invalid_argument);
  }
  CHECK(weight_code_range(cand("int:w2a2")).hi == 1);  // int:w2 is ternary {-1, 0, 1}
}

TEST_CASE("bin decodes 0 to -1 and 1 to +1", "[pe][semantics]") {
  const Candidate c = cand("bin:w1a8");
  CHECK(decode_weight(c, 0) == -1);
  CHECK(decode_weight(c, 1) == +1);
  CHECK_THROWS_AS(decode_weight(c, 2), std::invalid_argument);
  CHECK_THROWS_AS(decode_weight(c, -1), std::invalid_argument);
}

TEST_CASE("shift decodes (sign << (K-1)) | e to ±2^e", "[pe][semantics]") {
  // Hand-written tables: the top bit is the sign, the rest the exponent.
  const std::map<int32_t, int32_t> w3 = {{0b000, 1},  {0b001, 2},  {0b010, 4},  {0b011, 8},
                                         {0b100, -1}, {0b101, -2}, {0b110, -4}, {0b111, -8}};
  for (const auto& [code, value] : w3) CHECK(decode_weight(cand("shift:w3a8"), code) == value);
  const std::vector<int32_t> w4 = {1,  2,  4,  8,  16,  32,  64,  128,
                                   -1, -2, -4, -8, -16, -32, -64, -128};
  for (int32_t code = 0; code < 16; ++code) {
    CHECK(decode_weight(cand("shift:w4a8"), code) == w4[code]);
  }
  CHECK_THROWS_AS(decode_weight(cand("shift:w4a8"), 16), std::invalid_argument);
  CHECK_THROWS_AS(decode_weight(cand("shift:w4a8"), -1), std::invalid_argument);
}

TEST_CASE("shift exponents beyond 30 decode modulo 2^32", "[pe][semantics]") {
  const Candidate c = cand("shift:w8a8");  // exponents 0..127
  CHECK(decode_weight(c, encode_shift(c, false, 30)) == (1 << 30));
  CHECK(decode_weight(c, encode_shift(c, true, 30)) == -(1 << 30));
  CHECK(decode_weight(c, encode_shift(c, false, 31)) == INT32_MIN);  // 2^31 ≡ -2^31
  CHECK(decode_weight(c, encode_shift(c, true, 31)) == INT32_MIN);
  for (int e = 32; e <= 127; ++e) CHECK(decode_weight(c, encode_shift(c, e % 2 == 0, e)) == 0);
  // The reduced weight gives the exact product's low 32 bits: 3 · 2^31 ≡ 2^31 (mod 2^32).
  Psum acc;
  mac(OpKind::Shift, acc, decode_weight(c, encode_shift(c, false, 31)), 3);
  CHECK(acc.main == INT32_MIN);
}

TEST_CASE("encode_shift inverts decode_weight for every shift width", "[pe][semantics]") {
  for (int bits = 2; bits <= 8; ++bits) {
    const Candidate c{OpKind::Shift, bits, 8};
    const int e_max = (1 << (bits - 1)) - 1;
    for (int e = 0; e <= std::min(e_max, 30); ++e) {
      CHECK(decode_weight(c, encode_shift(c, false, e)) == (int32_t(1) << e));
      CHECK(decode_weight(c, encode_shift(c, true, e)) == -(int32_t(1) << e));
    }
    CHECK_THROWS_AS(encode_shift(c, false, e_max + 1), std::invalid_argument);
    CHECK_THROWS_AS(encode_shift(c, false, -1), std::invalid_argument);
  }
  CHECK_THROWS_AS(encode_shift(cand("int:w4a4"), false, 1), std::invalid_argument);
}

TEST_CASE("decode_weights decodes a tensor element by element", "[pe][semantics]") {
  const Candidate c = cand("shift:w4a8");
  CHECK(decode_weights(c, {0, 9, 15, 3}) == std::vector<int32_t>{1, -2, -128, 8});
  CHECK_THROWS_AS(decode_weights(c, {0, 16}), std::invalid_argument);
}

TEST_CASE("mac: int, bin and shift add w*x; mf adds sign(w)*x and sign(x)*w apart",
          "[pe][semantics]") {
  Psum acc;
  mac(OpKind::Int, acc, -7, 3);
  mac(OpKind::Int, acc, 5, 2);
  CHECK(acc == Psum{-11, 0});

  // mf hand example: x = (3, 0, 5), w = (-2, 7, 1).
  //   main = sign(-2)·3 + sign(7)·0 + sign(1)·5 = -3 + 0 + 5 = 2
  //   aux  = sign(3)·(-2) + sign(0)·7 + sign(5)·1 = -2 + 0 + 1 = -1
  // and main + aux = Σ sign(x·w)·(|x| + |w|) = -(3 + 2) + 0 + (5 + 1) = 1.
  Psum mf;
  const int32_t x[] = {3, 0, 5}, w[] = {-2, 7, 1};
  for (int i = 0; i < 3; ++i) mac(OpKind::Mf, mf, w[i], x[i]);
  CHECK(mf == Psum{2, -1});
  CHECK(mf.main + mf.aux == 1);
}

TEST_CASE("mf main + aux equals sign(x*w)*(|x|+|w|) on random operands", "[pe][semantics]") {
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int32_t> wd(-127, 127), xd(0, 255);
  for (int trial = 0; trial < 1000; ++trial) {
    const int32_t w = wd(rng), x = xd(rng);
    Psum acc;
    mac(OpKind::Mf, acc, w, x);
    const int32_t s = (int64_t(x) * w > 0) - (int64_t(x) * w < 0);
    CHECK(acc.main + acc.aux == s * (std::abs(x) + std::abs(w)));
  }
}

TEST_CASE("accumulators wrap modulo 2^32 and the order of terms does not matter",
          "[pe][semantics]") {
  CHECK(wrap_add(INT32_MAX, 1) == INT32_MIN);
  CHECK(wrap_add(INT32_MIN, -1) == INT32_MAX);
  CHECK(wrap_add(0, int64_t(1) << 32) == 0);
  CHECK(wrap_add(5, (int64_t(3) << 32) - 2) == 3);

  // Large terms overflow many times; any order gives the exact sum's low 32 bits.
  std::mt19937_64 rng(11);
  std::uniform_int_distribution<int64_t> term(-(int64_t(1) << 31), int64_t(1) << 31);
  std::vector<int64_t> terms(500);
  int64_t exact = 0;
  for (int64_t& t : terms) exact += (t = term(rng));
  const auto expected = static_cast<int32_t>(static_cast<uint32_t>(uint64_t(exact)));
  for (int order = 0; order < 20; ++order) {
    std::shuffle(terms.begin(), terms.end(), rng);
    int32_t acc = 0;
    for (int64_t t : terms) acc = wrap_add(acc, t);
    CHECK(acc == expected);
  }
}

TEST_CASE("worst-case accumulator width", "[pe][semantics]") {
  // Hand values: int:w8a8 with one product is at most 127·255 = 32385 < 2^15: 16 bits.
  CHECK(worst_case_accumulator_bits(cand("int:w8a8"), 1) == 16);
  CHECK(worst_case_accumulator_bits(cand("int:w8a8"), 0) == 1);
  // 3x3x256 int:w8a8 reduction: 2304·32385 = 74,615,040 < 2^27: 28 bits, never wraps.
  CHECK(worst_case_accumulator_bits(cand("int:w8a8"), 2304) == 28);
  // shift:w4a8: |x << 7| ≤ 32640 per term, same as int:w8a8 but 2^7 instead of 127.
  CHECK(worst_case_accumulator_bits(cand("shift:w4a8"), 1) == 16);
  // shift:w8 exponents reach 127: the accumulator cannot hold even one term.
  CHECK(worst_case_accumulator_bits(cand("shift:w8a8"), 1) == 8 + 127 + 1);
  // mf:w8a8: main ≤ n·255, aux ≤ n·127; the wider one counts.
  CHECK(worst_case_accumulator_bits(cand("mf:w8a8"), 1) == 9);
  CHECK(worst_case_accumulator_bits(cand("int:w16a16"), 2) == 33);
  CHECK(worst_case_accumulator_bits(cand("int:w16a16"), INT64_MAX) > 64);
  CHECK_THROWS_AS(worst_case_accumulator_bits(cand("int:w8a8"), -1), std::invalid_argument);

  // Against a search over the exact worst-case magnitude, for every candidate and several
  // reductions. Powers of two and these products are exact in a long double.
  for (const Candidate& c : all_valid_candidates()) {
    const long double x_max = (1 << c.act_bits) - 1;
    long double w_max = 1;  // bin
    if (c.kind == OpKind::Int || c.kind == OpKind::Mf) w_max = (1 << (c.weight_bits - 1)) - 1;
    if (c.kind == OpKind::Shift) w_max = std::ldexp(1.0L, (1 << (c.weight_bits - 1)) - 1);
    for (int64_t n : {1, 2, 9, 100, 4608, 1 << 20}) {
      INFO(to_string(c) << " n=" << n);
      const long double m = c.kind == OpKind::Mf ? n * std::max(x_max, w_max) : n * x_max * w_max;
      CHECK(worst_case_accumulator_bits(c, n) == signed_bits_by_search(m));
    }
  }
}
