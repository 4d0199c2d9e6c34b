#include "replay/layer_ops.hpp"

#include <algorithm>

#include "pe/requant.hpp"

namespace enos::replay {
namespace {

int64_t at(const Tensor& t, int c, int y, int x) {
  return t.values[(std::size_t(c) * t.shape.H + std::size_t(y)) * t.shape.W + std::size_t(x)];
}

// Calls f(c, p, q, window values...) by giving each output's in-range window positions.
template <class F>
Tensor pool(const Tensor& in, const spec::Layer& l, F reduce) {
  Tensor out;
  out.shape = l.out;
  out.values.reserve(std::size_t(l.out.C) * l.out.H * l.out.W);
  for (int c = 0; c < l.out.C; ++c)
    for (int p = 0; p < l.out.H; ++p)
      for (int q = 0; q < l.out.W; ++q) {
        std::vector<int64_t> window;
        for (int r = 0; r < l.kernel; ++r)
          for (int s = 0; s < l.kernel; ++s) {
            const int y = p * l.stride - l.pad + r, x = q * l.stride - l.pad + s;
            if (y >= 0 && y < in.shape.H && x >= 0 && x < in.shape.W) window.push_back(at(in, c, y, x));
          }
        out.values.push_back(int32_t(reduce(window)));
      }
  return out;
}

// floor((sum + ⌊n/2⌋) / n) for n > 0, also for the negative sums of a signed tensor (C++'s /
// truncates toward zero).
int64_t rounded_mean(int64_t sum, int64_t n) {
  const int64_t v = sum + n / 2;
  return v >= 0 ? v / n : -((-v + n - 1) / n);
}

}  // namespace

Tensor max_pool(const Tensor& in, const spec::Layer& l) {
  // Padding is −∞ (PyTorch): only in-range positions compete.
  return pool(in, l, [](const std::vector<int64_t>& w) { return *std::max_element(w.begin(), w.end()); });
}

Tensor avg_pool(const Tensor& in, const spec::Layer& l) {
  const int64_t n = int64_t(l.kernel) * l.kernel;  // count_include_pad: padded zeros count
  return pool(in, l, [n](const std::vector<int64_t>& w) {
    int64_t sum = 0;
    for (int64_t v : w) sum += v;
    return rounded_mean(sum, n);
  });
}

Tensor global_avg_pool(const Tensor& in) {
  Tensor out;
  out.shape = {in.shape.C, 1, 1};
  const int64_t n = int64_t(in.shape.H) * in.shape.W;
  for (int c = 0; c < in.shape.C; ++c) {
    int64_t sum = 0;
    for (int64_t i = 0; i < n; ++i) sum += in.values[std::size_t(c * n + i)];
    out.values.push_back(int32_t(rounded_mean(sum, n)));
  }
  return out;
}

Tensor channel_shuffle(const Tensor& in, int groups) {
  Tensor out;
  out.shape = in.shape;
  out.values.resize(in.values.size());
  const int per = in.shape.C / groups;
  const std::size_t plane = std::size_t(in.shape.H) * in.shape.W;
  for (int i = 0; i < groups; ++i)
    for (int j = 0; j < per; ++j) {
      const std::size_t from = std::size_t(i * per + j) * plane, to = std::size_t(j * groups + i) * plane;
      std::copy_n(in.values.begin() + std::ptrdiff_t(from), plane, out.values.begin() + std::ptrdiff_t(to));
    }
  return out;
}

Tensor split(const Tensor& in, int parts, int part) {
  Tensor out;
  const int per = in.shape.C / parts;
  out.shape = {per, in.shape.H, in.shape.W};
  const std::size_t plane = std::size_t(in.shape.H) * in.shape.W;
  const auto first = in.values.begin() + std::ptrdiff_t(std::size_t(part * per) * plane);
  out.values.assign(first, first + std::ptrdiff_t(std::size_t(per) * plane));
  return out;
}

Tensor combine(const std::vector<const Tensor*>& ins, const Combine& c, const TensorFormat& format, bool add) {
  Tensor out;
  const pe::CodeRange range = pe::tensor_code_range(format.bits, format.is_signed);
  auto finish = [&](int64_t v) {
    return int32_t(std::clamp<int64_t>(pe::rounding_shift_right(v, c.shift), range.lo, range.hi));
  };
  if (add) {
    out.shape = ins[0]->shape;
    out.values.resize(ins[0]->values.size());
    for (std::size_t e = 0; e < out.values.size(); ++e) {
      int64_t v = 0;
      for (std::size_t i = 0; i < ins.size(); ++i) v += int64_t(ins[i]->values[e]) * c.multipliers[i];
      out.values[e] = finish(v);
    }
    return out;
  }
  out.shape = {0, ins[0]->shape.H, ins[0]->shape.W};
  for (std::size_t i = 0; i < ins.size(); ++i) {
    out.shape.C += ins[i]->shape.C;
    for (int32_t x : ins[i]->values) out.values.push_back(finish(int64_t(x) * c.multipliers[i]));
  }
  return out;
}

Tensor relu(const Tensor& in) {
  Tensor out = in;
  for (int32_t& x : out.values) x = std::max(x, 0);
  return out;
}

Tensor rescale(const Tensor& in, const pe::RequantChannel& ch, int bits) {
  Tensor out;
  out.shape = in.shape;
  out.values.reserve(in.values.size());
  for (int32_t x : in.values) out.values.push_back(pe::requantize(pe::Psum{x, 0}, ch, bits));
  return out;
}

}  // namespace enos::replay
