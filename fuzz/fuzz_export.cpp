// The search's export as `enos validate` reads it (replay/export.cpp over spec/export_format.cpp): mapping.json,
// network.json, weights.bin and reference.json together, the input split into the four at
// fuzz::kSeparator. What loads is then checked as validate checks it (tensor formats, the
// LUT's hash) and, when small, run through the whole-network C++ integer reference.
#include <filesystem>

#include "fuzz_util.hpp"
#include "replay/export.hpp"
#include "replay/network.hpp"
#include "spec/limits.hpp"

namespace {

// The reference runs every layer in plain C++: keep it to inputs it finishes in milliseconds.
constexpr int64_t kMaxFuzzMacs = 1 << 20;
constexpr int64_t kMaxFuzzValues = 1 << 20;

bool small_enough(const enos::replay::Export& e) {
  int64_t values = int64_t(e.workload.input.C) * e.workload.input.H * e.workload.input.W;
  for (const enos::spec::Layer& l : e.workload.layers) values += int64_t(l.out.C) * l.out.H * l.out.W;
  return enos::spec::mac_count(e.workload) <= kMaxFuzzMacs && values <= kMaxFuzzValues;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  using namespace enos;
  static const std::string dir = fuzz::scratch_dir() + "/export";
  std::filesystem::create_directories(dir);
  const std::vector<std::string> parts = fuzz::split_parts(fuzz::text_of(data, size), 4);
  const char* names[] = {"mapping.json", "network.json", "weights.bin", "reference.json"};
  for (std::size_t i = 0; i < 4; ++i) fuzz::write_file(dir + "/" + names[i], parts[i]);
  fuzz::expect_value_or_spec_error([&] {
    const replay::Export e = replay::load_export(dir + "/mapping.json");
    (void)replay::check_lut(e, e.arch_hash, "arch.json");
    (void)replay::tensor_formats(e);
    if (!small_enough(e)) return;
    replay::ReferenceBackend reference;
    const std::vector<uint8_t> image(std::size_t(e.workload.input.C) * e.workload.input.H * e.workload.input.W, 77);
    const replay::Forward f = replay::forward(e, image, reference);
    const int classes = e.workload.layers.back().out.C;
    if (f.prediction < -1 || f.prediction >= classes) fuzz::invariant_broken("prediction outside the classes");
  });
  return 0;
}
