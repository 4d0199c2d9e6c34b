#pragma once
// Helpers shared by the spec tests: assert that an input is refused with a SpecError that
// names the expected JSON path and contains a fragment of the expected reason.
#include <string>

#include <catch2/catch.hpp>

#include "spec/json_reader.hpp"

namespace enos::spec::test {

template <class F>
void require_spec_error(F&& f, const std::string& path, const std::string& fragment) {
  try {
    f();
  } catch (const SpecError& e) {
    INFO("message: " << e.what());
    CHECK(e.path() == path);
    CHECK_THAT(e.reason(), Catch::Contains(fragment));
    // what() is "<file>: <path>: <reason>" so users see all three.
    CHECK_THAT(e.what(), Catch::Contains(e.file() + ": " + path + ": "));
    return;
  }
  FAIL("no SpecError; expected " << path << ": " << fragment);
}

inline std::string config_path(const std::string& relative) { return std::string(ENOS_CONFIG_DIR) + "/" + relative; }
inline std::string data_path(const std::string& name) { return std::string(ENOS_SPEC_TEST_DATA) + "/" + name; }

}  // namespace enos::spec::test
