#include "pe/reference.hpp"

#include <cstddef>
#include <limits>
#include <stdexcept>

namespace enos::pe {
namespace {

// Uniform integer in [lo, hi] by rejection: values of rng() above the largest multiple of
// the range are redrawn, so every outcome is equally likely and the mapping is fixed by the
// standard (mt19937_64's output is specified; uniform_int_distribution's is not).
int32_t uniform_in(std::mt19937_64& rng, CodeRange r) {
  const uint64_t range = uint64_t(int64_t(r.hi) - r.lo) + 1;
  const uint64_t max = std::numeric_limits<uint64_t>::max();
  const uint64_t last_accepted = max - (max % range + 1) % range;
  uint64_t v = rng();
  while (v > last_accepted) v = rng();
  return static_cast<int32_t>(r.lo + int64_t(v % range));
}

std::vector<int32_t> uniform_vector(std::mt19937_64& rng, CodeRange r, int64_t n) {
  std::vector<int32_t> values(static_cast<std::size_t>(n));
  for (int32_t& v : values) v = uniform_in(rng, r);
  return values;
}

void require_valid(const ConvShape& shape, const Candidate& c) {
  if (std::string e = shape.check(); !e.empty()) throw std::invalid_argument(e);
  if (std::string e = c.check(); !e.empty()) throw std::invalid_argument(e);
}

// First value of `values` outside `r` described, or empty.
std::string range_error(const char* what, const std::vector<int32_t>& values, CodeRange r) {
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (values[i] < r.lo || values[i] > r.hi) {
      return std::string(what) + "[" + std::to_string(i) + "] = " + std::to_string(values[i]) +
             " is outside " + std::to_string(r.lo) + ".." + std::to_string(r.hi);
    }
  }
  return {};
}

std::string size_error(const char* what, std::size_t got, int64_t want) {
  if (int64_t(got) == want) return {};
  return std::string(what) + " has " + std::to_string(got) + " elements, the shape needs " +
         std::to_string(want);
}

// One output's reduction over its group's channels and the kernel window. Padding positions
// are skipped: a zero activation adds nothing in any kind (w·0 = 0, and mf's sign(0) = 0).
Psum accumulate_output(const ConvShape& s, OpKind kind, const int32_t* w_k, const int32_t* x_g,
                       int p, int q) {
  Psum acc;
  const int h0 = p * s.stride - s.pad;
  const int w0 = q * s.stride - s.pad;
  for (int c = 0; c < s.channels_per_group(); ++c) {
    for (int r = 0; r < s.R; ++r) {
      const int h = h0 + r;
      if (h < 0 || h >= s.H) continue;
      const int32_t* w_row = w_k + (std::ptrdiff_t(c) * s.R + r) * s.S;
      const int32_t* x_row = x_g + (std::ptrdiff_t(c) * s.H + h) * s.W;
      for (int col = 0; col < s.S; ++col) {
        const int w = w0 + col;
        if (w >= 0 && w < s.W) mac(kind, acc, w_row[col], x_row[w]);
      }
    }
  }
  return acc;
}

}  // namespace

LayerData random_layer_data(const ConvShape& shape, const Candidate& c, std::mt19937_64& rng) {
  require_valid(shape, c);
  LayerData data;
  data.weight_codes = uniform_vector(rng, weight_code_range(c), shape.weight_count());
  data.inputs = uniform_vector(rng, activation_range(c), shape.input_count());
  return data;
}

std::string check_layer_data(const ConvShape& shape, const Candidate& c, const LayerData& data) {
  if (std::string e = shape.check(); !e.empty()) return e;
  if (std::string e = c.check(); !e.empty()) return e;
  for (std::string e : {size_error("weight_codes", data.weight_codes.size(), shape.weight_count()),
                        size_error("inputs", data.inputs.size(), shape.input_count()),
                        range_error("weight_codes", data.weight_codes, weight_code_range(c)),
                        range_error("inputs", data.inputs, activation_range(c))}) {
    if (!e.empty()) return e;
  }
  return {};
}

std::vector<Psum> reference_conv(const ConvShape& shape, const Candidate& c,
                                 const LayerData& data) {
  if (std::string e = check_layer_data(shape, c, data); !e.empty()) {
    throw std::invalid_argument(e);
  }
  const std::vector<int32_t> weights = decode_weights(c, data.weight_codes);
  const int P = shape.P(), Q = shape.Q();
  const int64_t group_inputs = int64_t(shape.channels_per_group()) * shape.H * shape.W;
  std::vector<Psum> out(static_cast<std::size_t>(shape.output_count()));
  for (int k = 0; k < shape.K; ++k) {
    const int group = k / shape.outputs_per_group();
    const int32_t* w_k = weights.data() + k * shape.reduction();
    const int32_t* x_g = data.inputs.data() + group * group_inputs;
    Psum* out_k = out.data() + int64_t(k) * P * Q;
    for (int p = 0; p < P; ++p) {
      for (int q = 0; q < Q; ++q) {
        out_k[int64_t(p) * Q + q] = accumulate_output(shape, c.kind, w_k, x_g, p, q);
      }
    }
  }
  return out;
}

}  // namespace enos::pe
