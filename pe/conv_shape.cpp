#include "pe/conv_shape.hpp"

#include <climits>
#include <initializer_list>
#include <utility>

namespace enos::pe {
namespace {

// Element counts must stay far from int64 overflow so that sums of counts (buffer totals,
// action counts) elsewhere cannot overflow either.
constexpr int64_t kMaxCount = int64_t(1) << 48;

std::string at_least(const char* name, int value, int min) {
  if (value >= min) return {};
  return std::string(name) + " must be ≥ " + std::to_string(min) + ", got " +
         std::to_string(value);
}

std::string first_range_error(const ConvShape& s) {
  const std::pair<const char*, int> positive[] = {
      {"C", s.C}, {"K", s.K}, {"H", s.H}, {"W", s.W}, {"R", s.R},
      {"S", s.S}, {"stride", s.stride}, {"groups", s.groups}};
  for (const auto& [name, value] : positive) {
    if (std::string e = at_least(name, value, 1); !e.empty()) return e;
  }
  return at_least("pad", s.pad, 0);
}

std::string divisibility_error(const ConvShape& s) {
  for (const auto& [name, value] : {std::pair<const char*, int>{"C", s.C}, {"K", s.K}}) {
    if (value % s.groups != 0) {
      return std::string(name) + " (" + std::to_string(value) + ") must be divisible by groups (" +
             std::to_string(s.groups) + ")";
    }
  }
  return {};
}

// The padded extent is computed in 64 bits: H + 2·pad can exceed int for absurd pads, and P()
// and Q() evaluate it in int.
std::string kernel_fit_error(const ConvShape& s) {
  const int64_t padded_h = int64_t(s.H) + 2 * int64_t(s.pad);
  const int64_t padded_w = int64_t(s.W) + 2 * int64_t(s.pad);
  if (padded_h > INT_MAX || padded_w > INT_MAX) {
    return "pad (" + std::to_string(s.pad) + ") is too large";
  }
  if (s.R > padded_h || s.S > padded_w) {
    return "kernel " + std::to_string(s.R) + "x" + std::to_string(s.S) +
           " does not fit the padded input " + std::to_string(padded_h) + "x" +
           std::to_string(padded_w);
  }
  return {};
}

// Multiplies positive factors, saturating at kMaxCount + 1 so the caller can compare.
int64_t capped_product(std::initializer_list<int64_t> factors) {
  int64_t product = 1;
  for (int64_t f : factors) {
    if (product > kMaxCount / f) return kMaxCount + 1;
    product *= f;
  }
  return product;
}

std::string size_error(const ConvShape& s) {
  const int64_t rs = int64_t(s.R) * s.S;
  const int64_t counts[] = {
      capped_product({s.C, s.H, s.W}),                                    // inputs
      capped_product({s.K, s.channels_per_group(), rs}),                  // weights
      capped_product({s.K, s.P(), s.Q(), s.channels_per_group(), rs})};  // MACs
  for (int64_t n : counts) {
    if (n > kMaxCount) return "layer is too large (more than 2^48 elements or MACs)";
  }
  return {};
}

}  // namespace

std::string ConvShape::check() const {
  // Each step assumes the ones before it passed (no division by zero, no overflow).
  for (auto step : {first_range_error, divisibility_error, kernel_fit_error, size_error}) {
    if (std::string e = step(*this); !e.empty()) return e;
  }
  return {};
}

ConvShape fully_connected(int in_features, int out_features) {
  ConvShape s;
  s.C = in_features;
  s.K = out_features;
  return s;  // H = W = R = S = 1, stride 1, pad 0, groups 1
}

// The spelling of `enos simulate --layer`, so a shape printed in a failure can be pasted
// back into the command to reproduce it.
std::string to_string(const ConvShape& s) {
  const bool is_fc = s.H == 1 && s.W == 1 && s.R == 1 && s.S == 1 && s.stride == 1 &&
                     s.pad == 0 && s.groups == 1;
  if (is_fc) return "fc:" + std::to_string(s.C) + "," + std::to_string(s.K);
  std::string text = "conv:";
  for (int v : {s.C, s.K, s.H, s.W, s.R, s.S, s.stride, s.pad, s.groups}) {
    text += std::to_string(v) + ",";
  }
  text.pop_back();
  return text;
}

}  // namespace enos::pe
