#pragma once
// Helpers of the models tests: scratch folders, small synthetic image sets, one thread.
// Include it after every other header, and never <catch2/catch.hpp> directly: LibTorch pulls
// in glog, whose CHECK macro (abort on failure, no Catch assertion) would replace Catch's if
// Catch came first; this header undefines it and includes Catch last.
#include <ATen/Parallel.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "datasets/image_set.hpp"
#include "tests/datasets/datasets_test_util.hpp"
#include "models/rng.hpp"

namespace enos::models::test {

using datasets::test::ScratchDir;  // a fresh folder under the system temp dir, removed at scope exit

// `count` images of C×H×W with seeded pixels; label i % classes.
inline datasets::ImageSet synthetic_images(int64_t count, int c, int h, int w, int classes, uint64_t seed = 1) {
  datasets::ImageSet set;
  set.channels = c, set.height = h, set.width = w;
  Rng rng(seed);
  set.pixels.resize(std::size_t(count * c * h * w));
  for (uint8_t& p : set.pixels) p = uint8_t(rng.below(256));
  for (int64_t i = 0; i < count; ++i) set.labels.push_back(uint8_t(i % classes));
  return set;
}

// Where this machine keeps a dataset's files, as --dataset takes them, or "" when it has none:
// Fashion-MNIST from its Debian package, CIFAR from $ENOS_DATA_DIR/<name> (tools/zoo_train.sh's
// layout). Tests of real accuracy skip (with a warning) where it is "".
inline std::string dataset_on_this_machine(const std::string& name) {
  if (name == "fashion-mnist")
    return std::filesystem::exists("/usr/share/datasets/fashion-mnist") ? "fashion-mnist" : "";
  const char* root = std::getenv("ENOS_DATA_DIR");
  if (!root || !std::filesystem::exists(std::string(root) + "/" + name)) return "";
  return name + ":" + root + "/" + name;
}

// ctest runs two test processes at once on this 2-core machine; OpenMP threads of two
// processes fighting for the cores slow LibTorch down many times over.
inline void single_thread() { at::set_num_threads(1); }

}  // namespace enos::models::test

#undef CHECK
#include <catch2/catch.hpp>
