#pragma once
// A small seeded generator (SplitMix64) for shuffling and augmentation. Its output is fixed by
// this code alone, unlike std::shuffle and std::uniform_int_distribution, whose algorithms
// differ between standard libraries: the same seed gives the same epochs everywhere.
#include <cstdint>
#include <numeric>
#include <utility>
#include <vector>

namespace enos::models {

class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  // A generator for one purpose of one seed (e.g. epoch 3's shuffle), independent of the others.
  Rng(uint64_t seed, uint64_t stream) : state_(seed) { state_ = next() ^ (stream * 0xd1b54a32d192ed03ull); }

  uint64_t next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n), n ≥ 1 (the modulo bias is below n / 2^64: negligible for dataset sizes).
  uint64_t below(uint64_t n) { return next() % n; }

 private:
  uint64_t state_;
};

// Fisher–Yates permutation of 0..n-1.
inline std::vector<int64_t> permutation(int64_t n, Rng& rng) {
  std::vector<int64_t> p(static_cast<std::size_t>(n));
  std::iota(p.begin(), p.end(), int64_t(0));
  for (int64_t i = n - 1; i > 0; --i) std::swap(p[std::size_t(i)], p[rng.below(uint64_t(i) + 1)]);
  return p;
}

}  // namespace enos::models
