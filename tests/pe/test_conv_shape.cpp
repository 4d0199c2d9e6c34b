// Layer geometry: consistency checks, derived sizes, fully connected layers, printing.
#include <catch2/catch.hpp>

#include <climits>
#include <string>
#include <vector>

#include "pe/conv_shape.hpp"

using namespace enos::pe;

namespace {

ConvShape conv(int C, int K, int H, int W, int R, int S, int stride, int pad, int groups) {
  ConvShape s;
  s.C = C, s.K = K, s.H = H, s.W = W, s.R = R, s.S = S;
  s.stride = stride, s.pad = pad, s.groups = groups;
  return s;
}

}  // namespace

TEST_CASE("consistent shapes pass and derive their sizes", "[pe][shape]") {
  const ConvShape s = conv(8, 16, 10, 12, 3, 5, 2, 1, 4);
  CHECK(s.check().empty());
  CHECK(s.P() == (10 + 2 - 3) / 2 + 1);
  CHECK(s.Q() == (12 + 2 - 5) / 2 + 1);
  CHECK(s.reduction() == 2 * 3 * 5);
  CHECK(s.macs() == int64_t(16) * s.P() * s.Q() * 30);
  CHECK(s.weight_count() == 16 * 30);
  CHECK(s.input_count() == 8 * 10 * 12);
  CHECK(s.output_count() == 16 * s.P() * s.Q());

  const ConvShape depthwise = conv(32, 32, 7, 7, 3, 3, 1, 1, 32);
  CHECK(depthwise.check().empty());
  CHECK(depthwise.reduction() == 9);
  // A kernel exactly as large as the padded input gives one output.
  CHECK(conv(1, 1, 1, 1, 3, 3, 1, 1, 1).check().empty());
  CHECK(conv(1, 1, 1, 1, 3, 3, 1, 1, 1).P() == 1);
}

TEST_CASE("inconsistent shapes are refused with the reason", "[pe][shape]") {
  const std::vector<std::pair<ConvShape, std::string>> cases = {
      {conv(0, 1, 1, 1, 1, 1, 1, 0, 1), "C must be ≥ 1, got 0"},
      {conv(1, -2, 1, 1, 1, 1, 1, 0, 1), "K must be ≥ 1, got -2"},
      {conv(1, 1, 0, 1, 1, 1, 1, 0, 1), "H must be ≥ 1, got 0"},
      {conv(1, 1, 1, 0, 1, 1, 1, 0, 1), "W must be ≥ 1, got 0"},
      {conv(1, 1, 3, 3, 0, 1, 1, 0, 1), "R must be ≥ 1, got 0"},
      {conv(1, 1, 3, 3, 1, 0, 1, 0, 1), "S must be ≥ 1, got 0"},
      {conv(1, 1, 3, 3, 1, 1, 0, 0, 1), "stride must be ≥ 1, got 0"},
      {conv(1, 1, 3, 3, 1, 1, 1, -1, 1), "pad must be ≥ 0, got -1"},
      {conv(4, 4, 3, 3, 1, 1, 1, 0, 0), "groups must be ≥ 1, got 0"},
      {conv(6, 8, 3, 3, 1, 1, 1, 0, 4), "C (6) must be divisible by groups (4)"},
      {conv(8, 6, 3, 3, 1, 1, 1, 0, 4), "K (6) must be divisible by groups (4)"},
      {conv(1, 1, 3, 3, 5, 3, 1, 0, 1), "kernel 5x3 does not fit the padded input 3x3"},
      {conv(1, 1, 3, 3, 3, 6, 1, 1, 1), "kernel 3x6 does not fit the padded input 5x5"},
      {conv(1, 1, 3, 3, 3, 3, 1, INT_MAX / 2, 1), "pad (1073741823) is too large"},
      {conv(1 << 20, 1 << 20, 1 << 10, 1 << 10, 1, 1, 1, 0, 1), "layer is too large"},
  };
  for (const auto& [shape, reason] : cases) {
    INFO(to_string(shape));
    CHECK_THAT(shape.check(), Catch::StartsWith(reason));
  }
}

TEST_CASE("a fully connected layer is a 1x1 convolution on a 1x1 map", "[pe][shape]") {
  const ConvShape fc = fully_connected(512, 10);
  CHECK(fc.check().empty());
  CHECK(fc.P() == 1);
  CHECK(fc.Q() == 1);
  CHECK(fc.reduction() == 512);
  CHECK(fc.macs() == 5120);
  CHECK(fc.output_count() == 10);
  CHECK(to_string(fc) == "fc:512,10");
}

TEST_CASE("shapes print in the --layer spelling", "[pe][shape]") {
  CHECK(to_string(conv(3, 16, 32, 32, 3, 3, 1, 1, 1)) == "conv:3,16,32,32,3,3,1,1,1");
  CHECK(to_string(conv(24, 24, 16, 16, 3, 3, 2, 1, 24)) == "conv:24,24,16,16,3,3,2,1,24");
  // A 1x1 map with a 1x1 kernel is the same computation as an FC layer and prints as one.
  CHECK(to_string(conv(7, 3, 1, 1, 1, 1, 1, 0, 1)) == "fc:7,3");
}
