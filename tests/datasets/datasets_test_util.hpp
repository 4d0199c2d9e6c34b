#pragma once
// Helpers of the dataset reader tests: a scratch folder and small synthetic image sets.
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>

#include "datasets/image_set.hpp"

namespace enos::datasets::test {

// A fresh folder under the system temp dir, removed at scope exit.
class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "enos-datasets-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  std::string file(const std::string& name) const { return path_ + "/" + name; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// `count` images of C×H×W with seeded pixels; label i % classes.
inline ImageSet synthetic_images(int64_t count, int c, int h, int w, int classes, uint32_t seed = 1) {
  ImageSet set;
  set.channels = c, set.height = h, set.width = w;
  std::mt19937 rng(seed);
  set.pixels.resize(std::size_t(count * c * h * w));
  for (uint8_t& p : set.pixels) p = uint8_t(rng() % 256);
  for (int64_t i = 0; i < count; ++i) set.labels.push_back(uint8_t(i % classes));
  return set;
}

}  // namespace enos::datasets::test
