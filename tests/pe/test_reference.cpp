// The plain C++ reference against an independent computation: im2col and a matrix product
// with exact 64-bit sums wrapped once at the end, weights decoded by the test's own rules.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <random>
#include <set>
#include <stdexcept>
#include <vector>

#include "pe/reference.hpp"

using namespace enos::pe;

namespace {

ConvShape conv(int C, int K, int H, int W, int R, int S, int stride, int pad, int groups) {
  ConvShape s;
  s.C = C, s.K = K, s.H = H, s.W = W, s.R = R, s.S = S;
  s.stride = stride, s.pad = pad, s.groups = groups;
  return s;
}

// The test's own decoding, written from docs/operators.md rather than calling decode_weight.
int64_t test_decode(const Candidate& c, int32_t code) {
  switch (c.kind) {
    case OpKind::Int:
    case OpKind::Mf: return code;
    case OpKind::Bin: return 2 * code - 1;
    case OpKind::Shift: {
      const int32_t half = 1 << (c.weight_bits - 1);  // codes at or above are negative
      const int64_t magnitude = int64_t(1) << (code % half);
      return code >= half ? -magnitude : magnitude;
    }
  }
  return 0;
}

// im2col of one group: rows are (c, r, s) of the reduction, columns are output positions;
// positions in the padding hold 0.
std::vector<std::vector<int64_t>> im2col(const ConvShape& s, const std::vector<int32_t>& in,
                                         int group) {
  const int P = s.P(), Q = s.Q(), Cg = s.channels_per_group();
  std::vector<std::vector<int64_t>> cols(size_t(Cg) * s.R * s.S,
                                         std::vector<int64_t>(size_t(P) * Q, 0));
  for (int c = 0; c < Cg; ++c)
    for (int r = 0; r < s.R; ++r)
      for (int t = 0; t < s.S; ++t)
        for (int p = 0; p < P; ++p)
          for (int q = 0; q < Q; ++q) {
            const int y = p * s.stride + r - s.pad, x = q * s.stride + t - s.pad;
            if (y < 0 || y >= s.H || x < 0 || x >= s.W) continue;
            const int channel = group * Cg + c;
            cols[(size_t(c) * s.R + r) * s.S + t][size_t(p) * Q + q] =
                in[(size_t(channel) * s.H + y) * s.W + x];
          }
  return cols;
}

int32_t low32(int64_t exact) { return static_cast<int32_t>(static_cast<uint32_t>(exact)); }

// Row k of the weight matrix times the im2col columns, term by term in the operator's
// arithmetic: the exact sum, reduced to 32 bits once.
std::vector<Psum> naive_conv(const ConvShape& s, const Candidate& c, const LayerData& d) {
  const size_t PQ = size_t(s.P()) * s.Q();
  const size_t red = size_t(s.reduction());
  std::vector<Psum> out(size_t(s.K) * PQ);
  for (int g = 0; g < s.groups; ++g) {
    const auto cols = im2col(s, d.inputs, g);
    for (int kg = 0; kg < s.outputs_per_group(); ++kg) {
      const int k = g * s.outputs_per_group() + kg;
      for (size_t pos = 0; pos < PQ; ++pos) {
        int64_t main = 0, aux = 0;
        for (size_t i = 0; i < red; ++i) {
          const int64_t w = test_decode(c, d.weight_codes[k * red + i]);
          const int64_t x = cols[i][pos];
          if (c.kind == OpKind::Mf) {
            main += w > 0 ? x : (w < 0 ? -x : 0);  // sign(w)·x
            aux += x > 0 ? w : 0;                   // sign(x)·w, x ≥ 0
          } else {
            main += w * x;
          }
        }
        out[k * PQ + pos] = Psum{low32(main), low32(aux)};
      }
    }
  }
  return out;
}

// A random consistent shape; `style` steers it to the cases the issue names.
ConvShape random_shape(std::mt19937_64& rng, int style) {
  auto pick = [&rng](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  for (;;) {
    const int groups = style == 1 ? pick(1, 6) : pick(1, 3);
    const int cg = style == 1 ? 1 : pick(1, 4);  // style 1: depthwise
    const int kg = style == 1 ? 1 : style == 5 ? pick(16, 24) : pick(1, 4);  // 5: many channels
    const int H = pick(1, 9), W = pick(1, 9);
    const int R = style == 2 ? 1 : pick(1, 5), S = style == 2 ? 1 : pick(1, 5);  // 2: 1x1
    const int stride = style == 3 ? 2 : pick(1, 3);                              // 3: stride 2
    const int pad = pick(0, 2);
    ConvShape s = conv(cg * groups, kg * groups, H, W, R, S, stride, pad, groups);
    if (style == 4) s = fully_connected(pick(1, 64), pick(1, 16));  // 4: FC
    if (s.check().empty()) return s;
  }
}

}  // namespace

TEST_CASE("reference_conv equals an im2col computation for every standard candidate",
          "[pe][reference]") {
  for (const Candidate& c : standard_candidates()) {
    for (uint64_t seed = 1; seed <= 8; ++seed) {
      std::mt19937_64 shape_rng(seed * 1000003);
      std::mt19937_64 data_rng(seed);
      for (int trial = 0; trial < 25; ++trial) {
        const ConvShape s = random_shape(shape_rng, trial % 6);
        const LayerData d = random_layer_data(s, c, data_rng);
        INFO(to_string(c) << " " << to_string(s) << " seed " << seed);
        const std::vector<Psum> got = reference_conv(s, c, d);
        REQUIRE(got.size() == size_t(s.output_count()));
        CHECK(got == naive_conv(s, c, d));
      }
    }
  }
}

TEST_CASE("reference_conv on hand examples", "[pe][reference]") {
  SECTION("padding: a 3x3 all-ones kernel over a 2x2 map sums the whole map") {
    const ConvShape s = conv(1, 1, 2, 2, 3, 3, 1, 1, 1);
    const LayerData d{std::vector<int32_t>(9, 1), {1, 2, 3, 4}};
    const auto out = reference_conv(s, parse_candidate("int:w4a4"), d);
    REQUIRE(out.size() == 4);
    for (const Psum& p : out) CHECK(p == Psum{10, 0});
  }
  SECTION("bin: codes 0/1 subtract/add the activation") {
    const LayerData d{{1, 0, 1}, {10, 20, 30}};
    const auto out = reference_conv(fully_connected(3, 1), parse_candidate("bin:w1a8"), d);
    CHECK(out == std::vector<Psum>{{10 - 20 + 30, 0}});
  }
  SECTION("shift: codes (sign << 3) | e multiply by ±2^e") {
    const LayerData d{{3, 8 | 1, 0}, {5, 7, 9}};  // +8, -2, +1
    const auto out = reference_conv(fully_connected(3, 1), parse_candidate("shift:w4a8"), d);
    CHECK(out == std::vector<Psum>{{5 * 8 - 7 * 2 + 9, 0}});
  }
  SECTION("mf: two accumulators, x = (3, 0, 5), w = (-2, 7, 1)") {
    const LayerData d{{-2, 7, 1}, {3, 0, 5}};
    const auto out = reference_conv(fully_connected(3, 1), parse_candidate("mf:w8a8"), d);
    CHECK(out == std::vector<Psum>{{2, -1}});
  }
  SECTION("groups: each output sees only its group's channels") {
    const ConvShape s = conv(2, 2, 1, 1, 1, 1, 1, 0, 2);
    const LayerData d{{3, 5}, {7, 11}};
    CHECK(reference_conv(s, parse_candidate("int:w8a8"), d) ==
          std::vector<Psum>{{21, 0}, {55, 0}});
  }
}

TEST_CASE("an overflowing layer wraps to the exact sum's low 32 bits", "[pe][reference]") {
  const Candidate c = parse_candidate("int:w16a16");
  const ConvShape s = fully_connected(5, 2);
  const int32_t w_max = weight_code_range(c).hi, x_max = activation_range(c).hi;
  LayerData d{std::vector<int32_t>(5, w_max), std::vector<int32_t>(5, x_max)};
  for (int i = 5; i < 10; ++i) d.weight_codes.push_back(-w_max);  // second output negative
  REQUIRE(worst_case_accumulator_bits(c, s.reduction()) > kAccumulatorBits);
  const int64_t exact = 5 * int64_t(w_max) * x_max;  // about 2.5 · 2^32
  const auto out = reference_conv(s, c, d);
  CHECK(out[0].main == low32(exact));
  CHECK(out[1].main == low32(-exact));
  CHECK(int64_t(out[0].main) != exact);  // it really wrapped
}

TEST_CASE("a layer within the worst-case width never wraps", "[pe][reference]") {
  // A large power-of-two FC reduction whose int:w8a8 worst case fits 32 bits, at the max.
  const Candidate c = parse_candidate("int:w8a8");
  int64_t n = 1;
  while (worst_case_accumulator_bits(c, n * 2) <= kAccumulatorBits) n *= 2;
  const ConvShape s = fully_connected(int(n), 1);
  const LayerData d{std::vector<int32_t>(size_t(n), 127), std::vector<int32_t>(size_t(n), 255)};
  CHECK(reference_conv(s, c, d)[0].main == n * 127 * 255);
}

TEST_CASE("random layer data is valid, seeded and covers every code", "[pe][reference]") {
  const ConvShape s = conv(8, 8, 6, 6, 3, 3, 1, 1, 1);
  for (const Candidate& c : standard_candidates()) {
    INFO(to_string(c));
    std::mt19937_64 a(42), b(42), other(43);
    const LayerData da = random_layer_data(s, c, a);
    const LayerData db = random_layer_data(s, c, b);
    CHECK(check_layer_data(s, c, da).empty());
    CHECK(da.weight_codes == db.weight_codes);
    CHECK(da.inputs == db.inputs);
    CHECK(random_layer_data(s, c, other).inputs != da.inputs);
    // 8192 draws miss one of at most 255 equally likely codes with probability about 3e-12.
    std::mt19937_64 rng(7);
    const LayerData wide = random_layer_data(fully_connected(8192, 1), c, rng);
    const CodeRange r = weight_code_range(c);
    const std::set<int32_t> seen(wide.weight_codes.begin(), wide.weight_codes.end());
    CHECK(int64_t(seen.size()) == int64_t(r.hi) - r.lo + 1);
  }
}

TEST_CASE("random layer data is the documented draw: rejection sampling of mt19937_64", "[pe][reference]") {
  // The values every seeded run simulates: uniform_vector's fast paths must not change them.
  // Written from its comment: rng() above the largest multiple of the range is redrawn, the
  // value is lo + x mod range; weights first, then inputs.
  auto draw = [](std::mt19937_64& rng, CodeRange r, int64_t n) {
    const uint64_t range = uint64_t(int64_t(r.hi) - r.lo) + 1;
    const uint64_t rest = (uint64_t(-1) % range + 1) % range;  // 2^64 mod range: redrawn
    std::vector<int32_t> v;
    while (int64_t(v.size()) < n) {
      const uint64_t x = rng();
      if (x > uint64_t(-1) - rest) continue;
      v.push_back(int32_t(r.lo + int64_t(x % range)));
    }
    return v;
  };
  const ConvShape s = conv(5, 7, 9, 9, 3, 3, 1, 1, 1);
  for (const Candidate& c : standard_candidates()) {
    INFO(to_string(c));
    std::mt19937_64 a(11), b(11);
    const LayerData d = random_layer_data(s, c, a);
    CHECK(d.weight_codes == draw(b, weight_code_range(c), s.weight_count()));
    CHECK(d.inputs == draw(b, activation_range(c), s.input_count()));
    CHECK(a() == b());  // and the same number of draws
  }
}

TEST_CASE("random codes are uniform", "[pe][reference]") {
  // int:w2a2 has 3 weight codes and 4 activations: each frequency within 5% of uniform.
  const Candidate c = parse_candidate("int:w2a2");
  std::mt19937_64 rng(5);
  const LayerData d = random_layer_data(fully_connected(30000, 1), c, rng);
  for (int32_t code = -1; code <= 1; ++code) {
    const auto n = std::count(d.weight_codes.begin(), d.weight_codes.end(), code);
    CHECK(std::abs(n - 10000) < 500);
  }
  for (int32_t x = 0; x <= 3; ++x) {
    const auto n = std::count(d.inputs.begin(), d.inputs.end(), x);
    CHECK(std::abs(n - 7500) < 375);
  }
}

TEST_CASE("invalid layer data is refused", "[pe][reference]") {
  const Candidate c = parse_candidate("int:w4a4");
  const ConvShape s = fully_connected(3, 1);
  CHECK_THAT(check_layer_data(s, c, {{1, 2}, {1, 2, 3}}),
             Catch::Contains("weight_codes has 2 elements, the shape needs 3"));
  CHECK_THAT(check_layer_data(s, c, {{1, 2, 3}, {1, 2}}),
             Catch::Contains("inputs has 2 elements, the shape needs 3"));
  CHECK_THAT(check_layer_data(s, c, {{1, 8, 3}, {1, 2, 3}}),
             Catch::Contains("weight_codes[1] = 8 is outside -7..7"));
  CHECK_THAT(check_layer_data(s, c, {{1, 2, 3}, {1, 2, 16}}),
             Catch::Contains("inputs[2] = 16 is outside 0..15"));
  CHECK_THROWS_AS(reference_conv(s, c, {{1, 8, 3}, {1, 2, 3}}), std::invalid_argument);
  CHECK_THROWS_AS(reference_conv(conv(3, 1, 1, 1, 1, 1, 1, 0, 2), c, {}), std::invalid_argument);
  std::mt19937_64 rng(1);
  CHECK_THROWS_AS(random_layer_data(s, Candidate{OpKind::Bin, 3, 8}, rng), std::invalid_argument);
}
