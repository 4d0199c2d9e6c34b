#pragma once
// Geometry of one MAC layer (convolution, grouped/depthwise/pointwise, or fully connected as a
// 1x1 convolution on a 1x1 map). Batch is 1. Tensor layouts: input [C][H][W], weight
// [K][C/groups][R][S], output [K][P][Q].
#include <cstdint>
#include <string>

namespace enos::pe {

struct ConvShape {
  int C = 1, K = 1;   // input and output channels
  int H = 1, W = 1;   // input height and width
  int R = 1, S = 1;   // kernel height and width
  int stride = 1, pad = 0, groups = 1;

  int P() const { return (H + 2 * pad - R) / stride + 1; }
  int Q() const { return (W + 2 * pad - S) / stride + 1; }
  int channels_per_group() const { return C / groups; }
  int outputs_per_group() const { return K / groups; }
  // Length of one output's reduction: (C/groups)·R·S.
  int64_t reduction() const { return int64_t(channels_per_group()) * R * S; }
  int64_t macs() const { return int64_t(K) * P() * Q() * reduction(); }
  int64_t weight_count() const { return int64_t(K) * reduction(); }
  int64_t input_count() const { return int64_t(C) * H * W; }
  int64_t output_count() const { return int64_t(K) * P() * Q(); }

  // Empty when the shape is consistent, otherwise the reason.
  std::string check() const;
};

ConvShape fully_connected(int in_features, int out_features);
std::string to_string(const ConvShape& s);

}  // namespace enos::pe
