// The worked examples of docs/operators.md, so the page cannot drift from the code.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "pe/reference.hpp"
#include "pe/requant.hpp"

using namespace enos::pe;

namespace {

Psum fc_output(const char* candidate, std::vector<int32_t> codes, std::vector<int32_t> x) {
  const ConvShape s = fully_connected(int(x.size()), 1);
  return reference_conv(s, parse_candidate(candidate), LayerData{codes, x}).at(0);
}

}  // namespace

TEST_CASE("docs example: int:w4a4", "[pe][docs]") {
  const Psum acc = fc_output("int:w4a4", {3, -7, 5}, {15, 2, 0});
  CHECK(acc == Psum{31, 0});
  CHECK(acc.main * 0.1 * 0.05 == Approx(0.155));
  const RequantChannel ch = make_requant_channel(0.1 * 0.05 / 0.01);
  CHECK(ch.multiplier == (1 << 30));
  CHECK(ch.shift == 31);
  CHECK(requantize(acc, ch, 8) == 16);
}

TEST_CASE("docs example: bin:w1a8", "[pe][docs]") {
  const Psum acc = fc_output("bin:w1a8", {1, 0, 0, 1}, {200, 17, 3, 90});
  CHECK(acc == Psum{270, 0});
  CHECK(acc.main * 0.02 * 0.01 == Approx(0.054));
}

TEST_CASE("docs example: mf:w8a8", "[pe][docs]") {
  const Psum acc = fc_output("mf:w8a8", {-2, 7, 1}, {3, 0, 5});
  CHECK(acc == Psum{2, -1});
  const double s_x = 0.5, s_w = 0.1, s_out = 0.05;
  // The real operator on the real values gives the same as the two scaled accumulators.
  const double xr[] = {1.5, 0, 2.5}, wr[] = {-0.2, 0.7, 0.1};
  double real = 0;
  for (int i = 0; i < 3; ++i) real += ((wr[i] > 0) - (wr[i] < 0)) * xr[i] + (xr[i] > 0) * wr[i];
  CHECK(s_x * acc.main + s_w * acc.aux == Approx(real));
  CHECK(real == Approx(0.9));
  const RequantChannel ch = make_requant_channel(s_x / s_out, s_w / s_out);
  CHECK(ch.shift == 27);
  CHECK(ch.multiplier == 10 << 27);
  CHECK(ch.aux_multiplier == 2 << 27);
  CHECK(requantize(acc, ch, 8) == 18);
}

TEST_CASE("docs example: shift:w4a8", "[pe][docs]") {
  const Psum acc = fc_output("shift:w4a8", {3, 9, 0}, {5, 7, 9});
  CHECK(acc == Psum{35, 0});
  const int offset = -6;
  const double s_x = 0.02;
  const double real_w[] = {std::ldexp(1.0, 3 + offset), -std::ldexp(1.0, 1 + offset),
                           std::ldexp(1.0, 0 + offset)};
  CHECK(real_w[0] == 0.125);
  CHECK(real_w[1] == -0.03125);
  CHECK(real_w[2] == 0.015625);
  const double real = s_x * (5 * real_w[0] + 7 * real_w[1] + 9 * real_w[2]);
  CHECK(s_x * std::ldexp(1.0, offset) * acc.main == Approx(real));
  CHECK(real == Approx(0.0109375));
}

TEST_CASE("docs example: wrap-around and requantization rounding", "[pe][docs]") {
  const Psum acc = fc_output("int:w16a16", std::vector<int32_t>(5, 32767),
                             std::vector<int32_t>(5, 65535));
  CHECK(acc.main == 2146992133);
  RequantChannel ch;
  ch.multiplier = 3;
  ch.shift = 2;
  CHECK(requantize({6, 0}, ch, 8) == 5);
  CHECK(requantize({7, 0}, ch, 8) == 5);
  CHECK(requantize({-3, 0}, ch, 8) == 0);
  CHECK(requantize({40, 0}, ch, 4) == 15);
}
