#pragma once
// ENOS_VECTOR_CLONES: a function (and what it calls, inlined) compiled twice on x86-64 with
// GCC, for AVX2 and for the baseline; the loader picks the copy the CPU runs, so the binary
// stays portable. For the multiply-accumulate loops (the C++ reference, the PE array) and the
// random draw of a layer's data: integer operations only (sums modulo 2^32, mt19937_64's
// shifts and masks), so both copies give the same bits. Measured on the SCALE-Sim cross-check's
// layers: 16-19 % fewer instructions for `enos simulate`.
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define ENOS_VECTOR_CLONES __attribute__((target_clones("avx2", "default"), flatten))
#else
#define ENOS_VECTOR_CLONES
#endif
