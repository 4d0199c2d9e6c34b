#pragma once
// The resource limits every command enforces before work starts (docs/cli.md, "Limits"), and
// the checked integer arithmetic that guards them. A limit is a promise to the user: input
// beyond it is refused with exit 2 and the figure, never a crash, a wrapped number or an
// allocation that takes the machine down.
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>

namespace enos::spec {

// JSON input: nesting deeper than this is refused while parsing (a deep document would
// otherwise overflow the stack of every recursive walk: dump, hash, compare); larger files
// are refused before they are read.
constexpr int kMaxJsonDepth = 128;
constexpr int64_t kMaxJsonBytes = int64_t(256) << 20;  // 256 MiB

// One layer on the model: the memory its data, outputs and global-buffer tiles take in the
// simulator (estimated from the shape and the mapping), and its cycle count. 2^40 cycles are
// 36 minutes of simulated time even at 500 MHz; SystemC's picosecond clock holds more than
// 16 such layers per process at the slowest clock an architecture may have (1 MHz).
constexpr int64_t kMaxLayerBytes = int64_t(4) << 30;  // 4 GiB
constexpr int64_t kMaxLayerCycles = int64_t(1) << 40;

// Checked arithmetic on non-negative counts: nullopt when the exact result does not fit.
inline std::optional<int64_t> checked_add(int64_t a, int64_t b) {
  int64_t r = 0;
  if (__builtin_add_overflow(a, b, &r)) return std::nullopt;
  return r;
}
inline std::optional<int64_t> checked_mul(int64_t a, int64_t b) {
  int64_t r = 0;
  if (__builtin_mul_overflow(a, b, &r)) return std::nullopt;
  return r;
}

// ceil(x) as a cycle count when it is finite, ≥ 0 and at most `limit`; nullopt otherwise
// (a float beyond int64 converts to garbage, so the comparison comes first).
inline std::optional<int64_t> cycles_within(double x, int64_t limit = kMaxLayerCycles) {
  const double c = std::ceil(x);
  if (!(c >= 0) || !(c <= double(limit))) return std::nullopt;
  return int64_t(c);
}

// "4.00 GiB", "512 MiB": byte figures in messages.
std::string format_bytes(double bytes);

}  // namespace enos::spec
