// The architecture loader (spec/arch.cpp): every key checked, then to_json and back must give
// the same architecture (docs/arch-format.md).
#include "fuzz_util.hpp"
#include "spec/arch.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  using namespace enos;
  fuzz::expect_value_or_spec_error([&] {
    const nlohmann::json doc = spec::parse_json_text(fuzz::text_of(data, size), "arch.json", "arch");
    const spec::ArchSpec a = spec::parse_arch(doc, "arch.json");
    const spec::ArchSpec b = spec::parse_arch(spec::to_json(a), "arch.json");
    if (spec::to_json(a) != spec::to_json(b)) fuzz::invariant_broken("parse_arch(to_json(a)) differs from a");
  });
  return 0;
}
