#include "pe/reference.hpp"

#include <algorithm>
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

int floor_div(int a, int b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

// Output positions o in [lo, hi) whose input o·stride − pad + k lies in [0, size): the ones
// kernel tap k reads a real input for. Padding positions are skipped: a zero activation adds
// nothing in any kind (w·0 = 0, and mf's sign(0) = 0).
struct Span {
  int lo, hi;
};
Span valid_outputs(int k, int size, int stride, int pad, int n) {
  return {std::max(0, -floor_div(k - pad, stride)), std::min(n, floor_div(size - 1 + pad - k, stride) + 1)};
}

// Adds w times x[q·step] to the accumulators of outputs q in [lo, hi) of one output row.
template <OpKind K>
inline void add_tap_row(int32_t w, const int32_t* x, int step, uint32_t* main, uint32_t* aux, int lo, int hi) {
  for (int q = lo; q < hi; ++q) {
    const int32_t v = x[q * step];
    if constexpr (K == OpKind::Mf) {
      main[q] += uint32_t(sign_of(w)) * uint32_t(v);
      aux[q] += uint32_t(sign_of(v)) * uint32_t(w);
    } else {
      main[q] += uint32_t(w) * uint32_t(v);
    }
  }
}

// One output channel: for every weight w (channel c, tap r, s) of its group, w times the input
// under that tap added to every output. Accumulators are modulo 2^32, so this order gives the
// same bits as summing output by output; its inner loop walks one input row.
template <OpKind K>
void accumulate_channel(const ConvShape& s, const int32_t* w_k, const int32_t* x_g, uint32_t* main,
                        uint32_t* aux) {
  const int P = s.P(), Q = s.Q();
  for (int c = 0; c < s.channels_per_group(); ++c) {
    for (int r = 0; r < s.R; ++r) {
      const Span ps = valid_outputs(r, s.H, s.stride, s.pad, P);
      for (int col = 0; col < s.S; ++col) {
        const int32_t w = w_k[(std::ptrdiff_t(c) * s.R + r) * s.S + col];
        const Span qs = valid_outputs(col, s.W, s.stride, s.pad, Q);
        for (int p = ps.lo; p < ps.hi; ++p) {
          // The inputs under tap (r, col) of output row p: x[q·stride] for output column q.
          const int32_t* x = x_g + (std::ptrdiff_t(c) * s.H + p * s.stride - s.pad + r) * s.W - s.pad + col;
          uint32_t* m = main + std::ptrdiff_t(p) * Q;
          uint32_t* a = aux + std::ptrdiff_t(p) * Q;
          if (s.stride == 1)  // contiguous: the compiler vectorizes this one
            add_tap_row<K>(w, x, 1, m, a, qs.lo, qs.hi);
          else
            add_tap_row<K>(w, x, s.stride, m, a, qs.lo, qs.hi);
        }
      }
    }
  }
}

void accumulate_channel(OpKind kind, const ConvShape& s, const int32_t* w_k, const int32_t* x_g, uint32_t* main,
                        uint32_t* aux) {
  switch (kind) {
    case OpKind::Int: accumulate_channel<OpKind::Int>(s, w_k, x_g, main, aux); break;
    case OpKind::Bin: accumulate_channel<OpKind::Bin>(s, w_k, x_g, main, aux); break;
    case OpKind::Mf: accumulate_channel<OpKind::Mf>(s, w_k, x_g, main, aux); break;
    case OpKind::Shift: accumulate_channel<OpKind::Shift>(s, w_k, x_g, main, aux); break;
  }
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
  std::vector<uint32_t> main(std::size_t(P) * Q), aux(std::size_t(P) * Q);
  for (int k = 0; k < shape.K; ++k) {
    const int group = k / shape.outputs_per_group();
    const int32_t* w_k = weights.data() + k * shape.reduction();
    const int32_t* x_g = data.inputs.data() + group * group_inputs;
    std::fill(main.begin(), main.end(), 0u);
    std::fill(aux.begin(), aux.end(), 0u);
    accumulate_channel(c.kind, shape, w_k, x_g, main.data(), aux.data());
    Psum* out_k = out.data() + int64_t(k) * P * Q;
    for (std::size_t i = 0; i < main.size(); ++i) out_k[i] = {int32_t(main[i]), int32_t(aux[i])};
  }
  return out;
}

}  // namespace enos::pe
