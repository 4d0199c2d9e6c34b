// The limits of every JSON input (spec/limits.hpp, docs/cli.md "Limits"), issue 18: nesting
// and size are refused with the file and the path, in memory that grows with the depth only.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>

#include "spec/limits.hpp"
#include "spec_test_util.hpp"

using enos::spec::parse_json_text;
using enos::spec::SpecError;
using enos::spec::test::require_spec_error;

namespace {

std::string nested_arrays(int depth) { return std::string(std::size_t(depth), '[') + std::string(std::size_t(depth), ']'); }

}  // namespace

TEST_CASE("JSON nested up to the limit is read, one level more is refused with its path", "[spec][json][limits]") {
  CHECK_NOTHROW(parse_json_text(nested_arrays(enos::spec::kMaxJsonDepth), "deep.json", "doc"));
  require_spec_error([] { parse_json_text(nested_arrays(enos::spec::kMaxJsonDepth + 1), "deep.json", "doc"); },
                     "doc" + [] {
                       std::string p;
                       for (int i = 0; i < enos::spec::kMaxJsonDepth; ++i) p += "[0]";
                       return p;
                     }(),
                     "nested deeper than 128 levels");
  require_spec_error([] { parse_json_text(R"({"a": {"b": [1, {"c": )" + nested_arrays(200) + "}]}}", "deep.json", "doc"); },
                     "doc.a.b[1].c" + [] {
                       std::string p;
                       for (int i = 0; i < enos::spec::kMaxJsonDepth - 4; ++i) p += "[0]";
                       return p;
                     }(),
                     "nested deeper");
}

// Issue 18, case 4: the duplicate-key check kept the whole path string per level, so 10^5
// levels took ~12 GB before bad_alloc. Now the depth limit stops it at once.
TEST_CASE("a document 100000 levels deep is refused at once", "[spec][json][limits]") {
  const auto t0 = std::chrono::steady_clock::now();
  for (const char* open : {"[", "{\"k\":"}) {
    std::string text;
    for (int i = 0; i < 100000; ++i) text += open;
    CHECK_THROWS_AS(parse_json_text(text, "deep.json", "doc"), SpecError);
  }
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(20));
}

TEST_CASE("a JSON file larger than the limit is refused before it is read", "[spec][json][limits]") {
  const std::string file = "json_limits_big.json";
  {
    std::ofstream f(file);
    f << "[";
  }
  std::filesystem::resize_file(file, uint64_t(enos::spec::kMaxJsonBytes) + 1);  // sparse: no disk used
  require_spec_error([&] { enos::spec::load_json_file(file); }, "(file)", "larger than 256.00 MiB");
  std::filesystem::remove(file);
}

TEST_CASE("a folder given as a JSON file is refused as one", "[spec][json][limits]") {
  std::filesystem::create_directories("json_limits_folder.json");
  require_spec_error([] { enos::spec::load_json_file("json_limits_folder.json"); }, "(file)", "is a folder");
}

// A value quoted in a message is cut to 45 bytes; cut inside a UTF-8 character, the message
// could not go into a JSON report (explore writes reasons into results.json).
TEST_CASE("messages quoting a long value stay valid UTF-8", "[spec][json][limits]") {
  std::string value = "\"" + std::string(43, 'x');
  for (int i = 0; i < 10; ++i) value += "\xC2\xB5";  // µ
  const nlohmann::json doc = nlohmann::json::parse("{\"v\": " + value + "\"}");
  const enos::spec::JsonNode root(doc, "f.json", "doc");
  try {
    root.at("v").as_int(0, 1);
    FAIL("no error");
  } catch (const SpecError& e) {
    CHECK_NOTHROW(nlohmann::json(e.reason()).dump());
  }
}

TEST_CASE("format_bytes gives readable figures", "[spec][limits]") {
  CHECK(enos::spec::format_bytes(512) == "512 B");
  CHECK(enos::spec::format_bytes(4.0 * (1 << 30)) == "4.00 GiB");
  CHECK(enos::spec::format_bytes(1.5 * (1 << 20)) == "1.50 MiB");
}

TEST_CASE("checked arithmetic refuses what does not fit", "[spec][limits]") {
  using namespace enos::spec;
  CHECK(checked_add(1, 2) == 3);
  CHECK_FALSE(checked_add(INT64_MAX, 1));
  CHECK_FALSE(checked_mul(int64_t(1) << 62, 4));
  CHECK(cycles_within(10.2) == 11);
  CHECK_FALSE(cycles_within(1e300));
  CHECK_FALSE(cycles_within(std::nan("")));
  CHECK_FALSE(cycles_within(double(kMaxLayerCycles) + 2));
  CHECK(cycles_within(double(kMaxLayerCycles)) == kMaxLayerCycles);
}

// Found by fuzz_arch: a number beyond a double was nlohmann's out_of_range, not a parse
// error, and left the reader as an internal error (exit 4).
TEST_CASE("a number beyond a double's range is refused with its line", "[spec][json][limits][fuzz]") {
  require_spec_error([] { parse_json_text("{\n  \"clock_mhz\": 1e999\n}", "a.json", "arch"); }, "(document)",
                     "invalid JSON: number 1e999 at line 2, column 16 is beyond a double's range");
  require_spec_error([] { parse_json_text("[-73777E7555554]", "a.json", "arch"); }, "(document)", "beyond a double's range");
}
