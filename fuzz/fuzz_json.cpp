// The JSON reader every input goes through (spec/json_reader.cpp): syntax, duplicate keys,
// nesting and size limits; then the canonical dump and hash of what it accepted.
#include "fuzz_util.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  using namespace enos;
  fuzz::expect_value_or_spec_error([&] {
    const nlohmann::json doc = spec::parse_json_text(fuzz::text_of(data, size), "fuzz.json", "doc");
    const std::string once = doc.dump();
    // What the reader accepts must read back to the same document (hashes and caches rely on it).
    if (spec::parse_json_text(once, "again.json", "doc") != doc) fuzz::invariant_broken("dump does not parse back");
    (void)spec::json_hash(doc);
  });
  return 0;
}
