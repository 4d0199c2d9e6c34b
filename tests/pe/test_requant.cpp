// Requantization: rounding, bias, ReLU and clamp, mf's two multipliers, and the conversion of
// real scales to fixed point.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <stdexcept>
#include <vector>

#include "pe/requant.hpp"

using namespace enos::pe;

namespace {

constexpr int32_t kMin = std::numeric_limits<int32_t>::min();
constexpr int32_t kMax = std::numeric_limits<int32_t>::max();

RequantChannel channel(int32_t m, int n, int32_t bias = 0, int32_t m_aux = 0) {
  RequantChannel ch;
  ch.multiplier = m;
  ch.shift = n;
  ch.bias = bias;
  ch.aux_multiplier = m_aux;
  return ch;
}

// floor(v / 2^n + 1/2) by integer division with an explicit floor (C++ division truncates).
int64_t round_half_up_by_division(int64_t v, int n) {
  const int64_t d = int64_t(1) << n;
  const int64_t num = 2 * v + d;  // floor((2v + d) / 2d) = floor(v/d + 1/2)
  const int64_t q = num / (2 * d);
  return (num % (2 * d) < 0) ? q - 1 : q;
}

}  // namespace

TEST_CASE("rounding shift rounds half up", "[pe][requant]") {
  CHECK(rounding_shift_right(5, 1) == 3);    // 2.5 → 3
  CHECK(rounding_shift_right(3, 1) == 2);    // 1.5 → 2
  CHECK(rounding_shift_right(-3, 1) == -1);  // -1.5 → -1 (toward +inf, not away from 0)
  CHECK(rounding_shift_right(-5, 1) == -2);  // -2.5 → -2
  CHECK(rounding_shift_right(-1, 1) == 0);   // -0.5 → 0
  CHECK(rounding_shift_right(9, 2) == 2);    // 2.25 → 2
  CHECK(rounding_shift_right(11, 2) == 3);   // 2.75 → 3
  CHECK(rounding_shift_right(7, 0) == 7);
  CHECK(rounding_shift_right(std::numeric_limits<int64_t>::max(), 63) == 1);  // no overflow
  CHECK(rounding_shift_right(std::numeric_limits<int64_t>::min(), 63) == -1);
  CHECK_THROWS_AS(rounding_shift_right(1, 64), std::invalid_argument);
  CHECK_THROWS_AS(rounding_shift_right(1, -1), std::invalid_argument);

  std::mt19937_64 rng(3);
  std::uniform_int_distribution<int64_t> value(-(int64_t(1) << 40), int64_t(1) << 40);
  for (int trial = 0; trial < 2000; ++trial) {
    const int64_t v = value(rng);
    const int n = int(trial % 20);
    INFO(v << " >> " << n);
    CHECK(rounding_shift_right(v, n) == round_half_up_by_division(v, n));
  }
}

TEST_CASE("requantize: scale, round, ReLU, clamp", "[pe][requant]") {
  // M / 2^n = 2^30 / 2^32 = 0.25.
  CHECK(requantize({1000, 0}, channel(1 << 30, 32), 8) == 250);
  CHECK(requantize({1002, 0}, channel(1 << 30, 32), 8) == 251);  // 250.5 → 251
  CHECK(requantize({1000, 0}, channel(1 << 30, 32), 7) == 127);  // clamp to 2^7 - 1
  CHECK(requantize({-1000, 0}, channel(1 << 30, 32), 8) == 0);   // ReLU
  // M / 2^n = 3 / 4: 6·0.75 = 4.5 → 5 and 7·0.75 = 5.25 → 5.
  CHECK(requantize({6, 0}, channel(3, 2), 4) == 5);
  CHECK(requantize({7, 0}, channel(3, 2), 4) == 5);
  // A negative multiplier (a folded batch norm with negative gamma) flips the sign first.
  CHECK(requantize({-40, 0}, channel(-1, 1), 8) == 20);
  // aux is ignored when its multiplier is 0, as for every kind but mf.
  CHECK(requantize({8, 12345}, channel(1, 0), 8) == 8);
}

TEST_CASE("requantize: the bias preloads the 32-bit accumulator", "[pe][requant]") {
  CHECK(requantize({-10, 0}, channel(1, 0, 20), 8) == 10);
  CHECK(requantize({100, 0}, channel(1, 1, -3), 8) == 49);  // (100 - 3) / 2 = 48.5 → 49
  // The bias wraps like any other term: INT32_MAX + 1 is INT32_MIN, so ReLU gives 0.
  CHECK(requantize({kMax, 0}, channel(1, 0, 1), 8) == 0);
}

TEST_CASE("requantize: the offset adds fractions of an output step before the rounding", "[pe][requant]") {
  RequantChannel ch = channel(1 << 30, 32);  // scale 0.25
  ch.offset = int64_t(3) << 30;              // +0.75 output steps
  CHECK(requantize({10, 0}, ch, 8) == 3);    // 2.5 + 0.75 = 3.25 → 3
  CHECK(requantize({11, 0}, ch, 8) == 4);    // 2.75 + 0.75 = 3.5 → 4
  ch.offset = -(int64_t(5) << 30);           // −1.25 steps
  CHECK(requantize({10, 0}, ch, 8) == 1);    // 1.25 → 1
  CHECK(requantize({4, 0}, ch, 8) == 0);     // −0.25 → 0
  // Unlike `bias`, the offset is finer than one unit of `main`: here a unit is 4 output steps,
  // and +1.5 steps moves the output by exactly 1.5 (rounded once).
  RequantChannel coarse = channel(1 << 30, 28);  // scale 4
  coarse.offset = int64_t(3) << 27;              // +1.5 steps
  CHECK(requantize({2, 0}, coarse, 8) == 10);    // 8 + 1.5 = 9.5 → 10
  CHECK(requantize({-1, 0}, coarse, 8) == 0);    // −4 + 1.5 → 0
  // The three terms together pass 2^63 and still give the exact sum.
  RequantChannel wide = channel(kMax, 62, 0, kMax);
  wide.offset = (int64_t(1) << 62) - 1;
  CHECK(requantize({kMax, kMax}, wide, 8) == 3);  // (2^62 + 2^62 + 2^62) / 2^62 ≈ 3 − 2^-29
  wide.offset = -wide.offset;
  CHECK(requantize({kMax, kMax}, wide, 8) == 1);
  wide.offset = int64_t(1) << 62;
  CHECK_FALSE(wide.check().empty());
  CHECK_THROWS_AS(requantize({}, wide, 8), std::invalid_argument);
}

TEST_CASE("requantize: mf's two accumulators get their own multipliers, one shift",
          "[pe][requant]") {
  // The hand example of docs/operators.md: main = 2, aux = -1.
  const Psum acc{2, -1};
  CHECK(requantize(acc, channel(3, 0, 0, 5), 8) == 1);    // 2·3 - 1·5 = 1
  CHECK(requantize(acc, channel(3, 1, 0, 5), 8) == 1);    // 0.5 → 1
  CHECK(requantize(acc, channel(3, 1, 10, 5), 8) == 16);  // ((2+10)·3 - 5) / 2 = 15.5 → 16
  // Summed before the shift, so rounded once: (1 + 1) / 4 = 0.5 → 1, where rounding each
  // product apart would give 0 + 0, and (2 + 2) / 4 = 1, where apart it would give 1 + 1.
  CHECK(requantize({1, 1}, channel(1, 2, 0, 1), 8) == 1);
  CHECK(requantize({1, 1}, channel(2, 2, 0, 2), 8) == 1);
}

TEST_CASE("requantize: extreme operands do not overflow", "[pe][requant]") {
  // |t·M| + |aux·M_aux| < 2^63 for every valid channel.
  CHECK(requantize({kMin, kMin}, channel(kMax, 63, 0, kMax), 8) == 0);
  CHECK(requantize({kMin, kMin}, channel(-kMax, 62, 0, -kMax), 8) == 2);  // 2 - 2^-30 → 2
  CHECK(requantize({kMax, 0}, channel(kMax, 0), 16) == 65535);
}

TEST_CASE("requantization channels are validated", "[pe][requant]") {
  CHECK(channel(1, 63).check().empty());
  CHECK_THAT(channel(kMin, 0).check(), Catch::Contains("-2^31"));
  CHECK_THAT(channel(1, 0, 0, kMin).check(), Catch::Contains("-2^31"));
  CHECK_THAT(channel(1, 64).check(), Catch::Contains("shift must be 0..63, got 64"));
  CHECK_THAT(channel(1, -1).check(), Catch::Contains("got -1"));
  CHECK_THROWS_AS(requantize({}, channel(1, 64), 8), std::invalid_argument);
  CHECK_THROWS_AS(requantize({}, channel(1, 0), 0), std::invalid_argument);
  CHECK_THROWS_AS(requantize({}, channel(1, 0), 17), std::invalid_argument);
}

TEST_CASE("requantize_layer applies channel k to plane k", "[pe][requant]") {
  const std::vector<Psum> acc = {{10, 0}, {20, 0}, {30, 0}, {10, 0}, {20, 0}, {30, 0}};
  const std::vector<RequantChannel> channels = {channel(1, 1), channel(3, 0)};
  CHECK(requantize_layer(acc, channels, 6) == std::vector<int32_t>{5, 10, 15, 30, 60, 63});
  CHECK_THROWS_AS(requantize_layer(acc, {channel(1, 0), channel(1, 0), channel(1, 0),
                                         channel(1, 0)}, 8),
                  std::invalid_argument);
  CHECK_THROWS_AS(requantize_layer(acc, {}, 8), std::invalid_argument);
}

TEST_CASE("make_requant_channel picks the finest shared shift", "[pe][requant]") {
  const RequantChannel quarter = make_requant_channel(0.25);
  CHECK(quarter.multiplier == (1 << 30));
  CHECK(quarter.shift == 32);
  CHECK(quarter.aux_multiplier == 0);
  CHECK(make_requant_channel(0.0).multiplier == 0);
  CHECK(make_requant_channel(0.5, 0.0, 7).bias == 7);
  CHECK(make_requant_channel(0.25, 0.0, 0, -1.5).offset == -(int64_t(3) << 31));
  CHECK(make_requant_channel(0.0, 0.0, 0, 2.0).offset == int64_t(1) << 62 >> 1);  // n = 60 keeps it < 2^62
  CHECK(make_requant_channel(0.0, 0.0, 0, 2.0).shift == 60);
  // A huge offset costs the multiplier bits rather than overflowing.
  CHECK(make_requant_channel(0.25, 0.0, 0, std::ldexp(1.0, 40)).shift == 21);
  CHECK_THROWS_AS(make_requant_channel(0.25, 0.0, 0, std::ldexp(1.0, 62)), std::invalid_argument);
  CHECK_THROWS_AS(make_requant_channel(0.25, 0.0, 0, NAN), std::invalid_argument);
  // A scale below 2^-32 hits the shift limit of 63.
  CHECK(make_requant_channel(std::ldexp(1.0, -40)).shift == 63);
  CHECK(make_requant_channel(std::ldexp(1.0, -40)).multiplier == (1 << 23));
  CHECK_THROWS_AS(make_requant_channel(std::ldexp(1.0, 31)), std::invalid_argument);
  CHECK_THROWS_AS(make_requant_channel(NAN), std::invalid_argument);
  CHECK_THROWS_AS(make_requant_channel(1.0, INFINITY), std::invalid_argument);

  std::mt19937_64 rng(9);
  std::uniform_real_distribution<double> log_scale(-20, 10);
  for (int trial = 0; trial < 1000; ++trial) {
    const double a = std::exp2(log_scale(rng)) * (trial % 3 == 0 ? -1 : 1);
    const double b = trial % 2 == 0 ? std::exp2(log_scale(rng)) : 0.0;
    const RequantChannel ch = make_requant_channel(a, b);
    INFO(a << ", " << b);
    REQUIRE(ch.check().empty());
    const double step = std::ldexp(1.0, -ch.shift);  // one unit of the multiplier
    CHECK(std::fabs(ch.multiplier * step - a) <= step / 2);
    CHECK(std::fabs(ch.aux_multiplier * step - b) <= step / 2);
    // The larger multiplier uses the full 31 bits (else the shift could have been finer).
    const int64_t larger = std::max(std::llabs(ch.multiplier), std::llabs(ch.aux_multiplier));
    CHECK(larger >= (int64_t(1) << 30));
    CHECK(larger <= kMax);
  }
}

TEST_CASE("requantize with a made offset matches real arithmetic", "[pe][requant]") {
  std::mt19937_64 rng(17);
  std::uniform_real_distribution<double> log_scale(-12, 4), steps(-40, 40);
  std::uniform_int_distribution<int32_t> acc(-5000, 5000);
  for (int trial = 0; trial < 2000; ++trial) {
    const double scale = std::exp2(log_scale(rng)), offset = steps(rng);
    const RequantChannel ch = make_requant_channel(scale, 0.0, 0, offset);
    const int32_t a = acc(rng);
    const double real = a * scale + offset;
    INFO(a << " · " << scale << " + " << offset);
    // The fixed-point result may differ from the real one only where the real one is within
    // the multiplier's and offset's rounding (≤ 2^-29 steps here) of a rounding tie.
    const double tie_distance = std::fabs(real - std::floor(real) - 0.5);
    if (tie_distance < 1e-6) continue;
    CHECK(requantize({a, 0}, ch, 8) == int32_t(std::clamp(std::floor(real + 0.5), 0.0, 255.0)));
  }
}

TEST_CASE("requantize with a made channel matches real arithmetic", "[pe][requant]") {
  // An exactly representable scale: out = clamp(floor(acc · 0.375 + 1/2), 0, 255).
  const RequantChannel ch = make_requant_channel(0.375);
  std::mt19937_64 rng(13);
  std::uniform_int_distribution<int32_t> acc(-2000, 2000);
  for (int trial = 0; trial < 1000; ++trial) {
    const int32_t a = acc(rng);
    const double expected = std::clamp(std::floor(a * 0.375 + 0.5), 0.0, 255.0);
    CHECK(requantize({a, 0}, ch, 8) == int32_t(expected));
  }
}
