// The workload loader (spec/workload.cpp, layer_infer.cpp): layers, producers, shapes; then
// to_json and back must give the same workload, and the counts must not overflow.
#include "fuzz_util.hpp"
#include "spec/workload.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  using namespace enos;
  fuzz::expect_value_or_spec_error([&] {
    const nlohmann::json doc = spec::parse_json_text(fuzz::text_of(data, size), "workload.json", "workload");
    const spec::Workload w = spec::parse_workload(doc, "workload.json");
    const spec::Workload again = spec::parse_workload(spec::to_json(w), "workload.json");
    if (spec::to_json(again) != spec::to_json(w)) fuzz::invariant_broken("parse_workload(to_json(w)) differs from w");
    if (spec::mac_count(w) < 0) fuzz::invariant_broken("negative MAC count");
    for (std::size_t i = 0; i < w.layers.size(); ++i) (void)spec::layer_path(w, i);
  });
  return 0;
}
