#pragma once
// The PE array's arithmetic over whole operand vectors: what a column of PEs (weight- and
// input-stationary) or the whole array (output-stationary) adds for one flit. Accumulators are
// modulo 2^32 (docs/operators.md), so sums may be taken in any order: unsigned 32-bit
// arithmetic gives the same bits as pe::mac applied PE by PE, and the compiler can vectorize it.
#include <cstdint>

#include "pe/semantics.hpp"

namespace enos::sim {

// Σ over n reduction elements of the operator applied to decoded weight w[i] and input x[i].
template <pe::OpKind K>
pe::Psum dot(const int32_t* w, const int32_t* x, int64_t n) {
  uint32_t main = 0, aux = 0;
  for (int64_t i = 0; i < n; ++i) {
    if constexpr (K == pe::OpKind::Mf) {
      main += uint32_t(pe::sign_of(w[i])) * uint32_t(x[i]);
      aux += uint32_t(pe::sign_of(x[i])) * uint32_t(w[i]);
    } else {
      main += uint32_t(w[i]) * uint32_t(x[i]);
    }
  }
  return {int32_t(main), int32_t(aux)};
}

// Output-stationary step: PE(r,c) adds lanes of input row r (x[r·lanes + l]) times weight
// column c (w[c·lanes + l]) to its accumulator main[r·stride + c] (and aux for mf).
template <pe::OpKind K>
void outer_step(const int32_t* x, const int32_t* w, int rows, int cols, int lanes, uint32_t* main, uint32_t* aux,
                int stride) {
  if (lanes == 1) {  // the common case, with contiguous weights the compiler vectorizes
    for (int r = 0; r < rows; ++r) {
      uint32_t* m = main + r * stride;
      uint32_t* a = aux + r * stride;
      const int32_t xv = x[r];
      for (int c = 0; c < cols; ++c) {
        if constexpr (K == pe::OpKind::Mf) {
          m[c] += uint32_t(pe::sign_of(w[c])) * uint32_t(xv);
          a[c] += uint32_t(pe::sign_of(xv)) * uint32_t(w[c]);
        } else {
          m[c] += uint32_t(w[c]) * uint32_t(xv);
        }
      }
    }
    return;
  }
  for (int r = 0; r < rows; ++r) {
    uint32_t* m = main + r * stride;
    uint32_t* a = aux + r * stride;
    for (int l = 0; l < lanes; ++l) {
      const int32_t xv = x[r * lanes + l];
      for (int c = 0; c < cols; ++c) {
        const int32_t wv = w[c * lanes + l];
        if constexpr (K == pe::OpKind::Mf) {
          m[c] += uint32_t(pe::sign_of(wv)) * uint32_t(xv);
          a[c] += uint32_t(pe::sign_of(xv)) * uint32_t(wv);
        } else {
          m[c] += uint32_t(wv) * uint32_t(xv);
        }
      }
    }
  }
}

}  // namespace enos::sim
