#include "pe/reference.hpp"

#include <algorithm>
#include <cstddef>
#include <limits>
#include <stdexcept>

#include "pe/vector_clones.hpp"

namespace enos::pe {
namespace {

// Uniform integers in [lo, hi] by rejection: values of rng() above the largest multiple of
// the range are redrawn, so every outcome is equally likely and the mapping is fixed by the
// standard (mt19937_64's output is specified; uniform_int_distribution's is not).
// Vector clones: the AVX2 copy runs mt19937_64's twist and tempering four words at a time
// (the same integer operations, so the same values; about 3× faster).
ENOS_VECTOR_CLONES
std::vector<int32_t> uniform_vector(std::mt19937_64& rng, CodeRange r, int64_t n) {
  std::vector<int32_t> values(static_cast<std::size_t>(n));
  const uint64_t range = uint64_t(int64_t(r.hi) - r.lo) + 1;
  if ((range & (range - 1)) == 0) {
    // A power of two (every activation range, most weight-code ranges): it divides 2^64, so
    // nothing is redrawn, and x % range is x's low bits. The same values as below, without a
    // division (tests/pe/test_reference.cpp checks them against the plain draw).
    for (int32_t& v : values) v = static_cast<int32_t>(r.lo + int64_t(rng() & (range - 1)));
    return values;
  }
  const uint64_t max = std::numeric_limits<uint64_t>::max();
  const uint64_t last_accepted = max - (max % range + 1) % range;
  for (int32_t& v : values) {
    uint64_t x = rng();
    while (x > last_accepted) x = rng();
    v = static_cast<int32_t>(r.lo + int64_t(x % range));
  }
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

ENOS_VECTOR_CLONES
void accumulate_channel(OpKind kind, const ConvShape& s, const int32_t* w_k, const int32_t* x_g, uint32_t* main,
                        uint32_t* aux) {
  switch (kind) {
    case OpKind::Int: accumulate_channel<OpKind::Int>(s, w_k, x_g, main, aux); break;
    case OpKind::Bin: accumulate_channel<OpKind::Bin>(s, w_k, x_g, main, aux); break;
    case OpKind::Mf: accumulate_channel<OpKind::Mf>(s, w_k, x_g, main, aux); break;
    case OpKind::Shift: accumulate_channel<OpKind::Shift>(s, w_k, x_g, main, aux); break;
  }
}

// One output pixel for all Kg output channels of a group: each input under the window times
// the weights it meets in every channel (wt: the group's weights transposed to [j][k]), so
// the inner loop runs over output channels. The better order for layers with many channels
// and small maps; the same bits as accumulate_channel.
template <OpKind K>
void accumulate_pixel(const ConvShape& s, const int32_t* wt, const int32_t* x_g, int p, int q, uint32_t* main,
                      uint32_t* aux) {
  const int kg = s.outputs_per_group();
  const int h0 = p * s.stride - s.pad, w0 = q * s.stride - s.pad;
  const int r_lo = std::max(0, -h0), r_hi = std::min(s.R, s.H - h0);
  const int s_lo = std::max(0, -w0), s_hi = std::min(s.S, s.W - w0);
  for (int c = 0; c < s.channels_per_group(); ++c)
    for (int r = r_lo; r < r_hi; ++r)
      for (int col = s_lo; col < s_hi; ++col) {
        const int32_t x = x_g[(std::ptrdiff_t(c) * s.H + h0 + r) * s.W + w0 + col];
        const int32_t* w = wt + ((std::ptrdiff_t(c) * s.R + r) * s.S + col) * kg;
        for (int k = 0; k < kg; ++k) {
          if constexpr (K == OpKind::Mf) {
            main[k] += uint32_t(sign_of(w[k])) * uint32_t(x);
            aux[k] += uint32_t(sign_of(x)) * uint32_t(w[k]);
          } else {
            main[k] += uint32_t(w[k]) * uint32_t(x);
          }
        }
      }
}

ENOS_VECTOR_CLONES
void accumulate_pixel(OpKind kind, const ConvShape& s, const int32_t* wt, const int32_t* x_g, int p, int q,
                      uint32_t* main, uint32_t* aux) {
  switch (kind) {
    case OpKind::Int: accumulate_pixel<OpKind::Int>(s, wt, x_g, p, q, main, aux); break;
    case OpKind::Bin: accumulate_pixel<OpKind::Bin>(s, wt, x_g, p, q, main, aux); break;
    case OpKind::Mf: accumulate_pixel<OpKind::Mf>(s, wt, x_g, p, q, main, aux); break;
    case OpKind::Shift: accumulate_pixel<OpKind::Shift>(s, wt, x_g, p, q, main, aux); break;
  }
}

// Channel by channel: the inner loop runs along input rows (few channels, large maps).
void conv_by_channel(const ConvShape& shape, OpKind kind, const std::vector<int32_t>& weights,
                     const std::vector<int32_t>& inputs, std::vector<Psum>& out) {
  const int P = shape.P(), Q = shape.Q();
  const int64_t group_inputs = int64_t(shape.channels_per_group()) * shape.H * shape.W;
  std::vector<uint32_t> main(std::size_t(P) * Q), aux(std::size_t(P) * Q);
  for (int k = 0; k < shape.K; ++k) {
    const int group = k / shape.outputs_per_group();
    const int32_t* w_k = weights.data() + k * shape.reduction();
    const int32_t* x_g = inputs.data() + group * group_inputs;
    std::fill(main.begin(), main.end(), 0u);
    std::fill(aux.begin(), aux.end(), 0u);
    accumulate_channel(kind, shape, w_k, x_g, main.data(), aux.data());
    Psum* out_k = out.data() + int64_t(k) * P * Q;
    for (std::size_t i = 0; i < main.size(); ++i) out_k[i] = {int32_t(main[i]), int32_t(aux[i])};
  }
}

// Pixel by pixel: the inner loop runs over the group's output channels (many channels).
void conv_by_pixel(const ConvShape& shape, OpKind kind, const std::vector<int32_t>& weights,
                   const std::vector<int32_t>& inputs, std::vector<Psum>& out) {
  const int P = shape.P(), Q = shape.Q(), kg = shape.outputs_per_group();
  const int64_t J = shape.reduction();
  const int64_t group_inputs = int64_t(shape.channels_per_group()) * shape.H * shape.W;
  std::vector<int32_t> wt(std::size_t(J) * kg);
  std::vector<uint32_t> main(static_cast<std::size_t>(kg)), aux(static_cast<std::size_t>(kg));
  for (int g = 0; g < shape.groups; ++g) {
    // Transposed in blocks, so that neither side strides through memory a word at a time.
    const int32_t* w_g = weights.data() + int64_t(g) * kg * J;
    constexpr int kBlock = 32;
    for (int k0 = 0; k0 < kg; k0 += kBlock)
      for (int64_t j0 = 0; j0 < J; j0 += kBlock)
        for (int k = k0; k < std::min(kg, k0 + kBlock); ++k)
          for (int64_t j = j0; j < std::min<int64_t>(J, j0 + kBlock); ++j)
            wt[std::size_t(j * kg + k)] = w_g[k * J + j];
    const int32_t* x_g = inputs.data() + g * group_inputs;
    for (int p = 0; p < P; ++p)
      for (int q = 0; q < Q; ++q) {
        std::fill(main.begin(), main.end(), 0u);
        std::fill(aux.begin(), aux.end(), 0u);
        accumulate_pixel(kind, shape, wt.data(), x_g, p, q, main.data(), aux.data());
        for (int k = 0; k < kg; ++k)
          out[std::size_t((int64_t(g) * kg + k) * P * Q + int64_t(p) * Q + q)] = {int32_t(main[std::size_t(k)]),
                                                                                  int32_t(aux[std::size_t(k)])};
      }
  }
}

}  // namespace

LayerData random_layer_data(const ConvShape& shape, const Candidate& c, std::mt19937_64& rng,
                            double input_zero_frac) {
  require_valid(shape, c);
  LayerData data;
  data.weight_codes = uniform_vector(rng, weight_code_range(c), shape.weight_count());
  data.inputs = uniform_vector(rng, activation_range(c), shape.input_count());
  if (input_zero_frac > 0) {
    // A uniform double in [0, 1) from 53 bits: the same values on every platform, unlike
    // std::bernoulli_distribution, whose algorithm the standard leaves open.
    std::mt19937_64 zeros(rng());
    for (int32_t& x : data.inputs)
      if (double(zeros() >> 11) * 0x1.0p-53 < input_zero_frac) x = 0;
  }
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
  std::vector<Psum> out(static_cast<std::size_t>(shape.output_count()));
  // Two loop orders, the same sums (modulo 2^32): whichever gives the longer inner loop.
  if (shape.outputs_per_group() >= 16 && (shape.stride > 1 || shape.outputs_per_group() > shape.Q()))
    conv_by_pixel(shape, c.kind, weights, data.inputs, out);
  else
    conv_by_channel(shape, c.kind, weights, data.inputs, out);
  return out;
}

}  // namespace enos::pe
