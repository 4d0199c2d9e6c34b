// The non-MAC layers of the integer reference, on hand-computed examples.
#include <catch2/catch.hpp>

#include "replay/layer_ops.hpp"

using namespace enos;
using replay::Tensor;

namespace {
Tensor tensor(int C, int H, int W, std::vector<int32_t> v) { return Tensor{{C, H, W}, std::move(v)}; }
}  // namespace

TEST_CASE("avgpool rounds half up and counts padding as zeros", "[replay]") {
  spec::Layer l;
  l.kernel = 2, l.stride = 2, l.pad = 0;
  l.out = {1, 1, 2};
  const Tensor out = replay::avg_pool(tensor(1, 2, 4, {1, 2, 3, 4, 0, 0, 1, 1}), l);
  // (1+2+0+0+2)/4 = 0.75 → floor((3 + 2)/4) = 1; (3+4+1+1 + 2)/4 = 2.75 → 2
  CHECK(out.values == std::vector<int32_t>{1, 2});
  spec::Layer p;
  p.kernel = 3, p.stride = 1, p.pad = 1;
  p.out = {1, 1, 1};
  // One output at the corner of a 1×1 map: window holds one value, n = 9: floor((9 + 4)/9) = 1.
  CHECK(replay::avg_pool(tensor(1, 1, 1, {9}), p).values == std::vector<int32_t>{1});
}

TEST_CASE("maxpool ignores padding (PyTorch pads with −inf)", "[replay]") {
  spec::Layer l;
  l.kernel = 3, l.stride = 2, l.pad = 1;
  l.out = {1, 2, 2};
  const Tensor out = replay::max_pool(tensor(1, 3, 3, {1, 2, 3, 4, 5, 6, 7, 8, 9}), l);
  CHECK(out.values == std::vector<int32_t>{5, 6, 8, 9});
}

TEST_CASE("channel shuffle transposes the channel groups and split takes one chunk", "[replay]") {
  const Tensor in = tensor(6, 1, 1, {0, 1, 2, 3, 4, 5});
  CHECK(replay::channel_shuffle(in, 2).values == std::vector<int32_t>{0, 3, 1, 4, 2, 5});
  CHECK(replay::channel_shuffle(in, 3).values == std::vector<int32_t>{0, 2, 4, 1, 3, 5});
  CHECK(replay::split(in, 3, 1).values == std::vector<int32_t>{2, 3});
}

TEST_CASE("add and concat rescale with one shift, round half up and clamp", "[replay]") {
  const Tensor a = tensor(1, 1, 2, {10, 255});
  const Tensor b = tensor(1, 1, 2, {3, 255});
  replay::Combine c{{1 << 4, 1 << 3}, 4};  // a at the output scale, b at half of it
  // 10 + 1.5 = 11.5 → 12; 255 + 127.5 → clamp 255
  CHECK(replay::combine({&a, &b}, c, replay::TensorFormat{1.0, 8}, true).values == std::vector<int32_t>{12, 255});
  const Tensor cat = replay::combine({&a, &b}, c, replay::TensorFormat{1.0, 8}, false);
  CHECK(cat.shape.C == 2);
  CHECK(cat.values == std::vector<int32_t>{10, 255, 2, 128});  // 1.5 → 2, 127.5 → 128
}

TEST_CASE("signed tensors: add clamps to two's complement, relu and pools floor correctly", "[replay]") {
  // ShuffleNet v1's residual: an unsigned input plus a signed branch, then ReLU.
  const Tensor x = tensor(1, 1, 4, {10, 0, 100, 5});
  const Tensor y = tensor(1, 1, 4, {-3, -7, 200, -5});
  replay::Combine c{{1 << 2, 1 << 2}, 2};  // both at the output scale
  const replay::TensorFormat s8{1.0, 8, true};
  const Tensor sum = replay::combine({&x, &y}, c, s8, true);
  CHECK(sum.values == std::vector<int32_t>{7, -7, 127, 0});  // 300 saturates at 2^7 − 1
  CHECK(replay::relu(sum).values == std::vector<int32_t>{7, 0, 127, 0});
  // The same sums into an unsigned tensor clamp at 0 (what relu after a signed add gives).
  CHECK(replay::combine({&x, &y}, c, replay::TensorFormat{1.0, 8}, true).values == std::vector<int32_t>{7, 0, 255, 0});
  // A 16-bit signed tensor reaches −2^15 and no further.
  const Tensor big = tensor(1, 1, 2, {-40000, 40000});
  replay::Combine one{{1}, 0};
  CHECK(replay::combine({&big}, one, replay::TensorFormat{1.0, 16, true}, false).values ==
        std::vector<int32_t>{-32768, 32767});

  // Averages of negative windows round half up too: floor(Σ/n + 1/2).
  spec::Layer l;
  l.kernel = 2, l.stride = 2, l.pad = 0;
  l.out = {1, 1, 2};
  // (−1−2−1−1)/4 = −1.25 → −1; (−2−2−2−0)/4 = −1.5 → −1 (half up); C++'s / would give 0 and −1.
  CHECK(replay::avg_pool(tensor(1, 2, 4, {-1, -2, -2, -2, -1, -1, -2, 0}), l).values == std::vector<int32_t>{-1, -1});
  CHECK(replay::global_avg_pool(tensor(2, 1, 3, {-1, -1, 0, -2, -2, -3})).values == std::vector<int32_t>{-1, -2});
}
