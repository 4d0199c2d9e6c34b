// Typed, path-tracking reads: the messages every other parser builds on.
#include <catch2/catch.hpp>

#include "spec_test_util.hpp"

using enos::spec::JsonNode;
using enos::spec::SpecError;
using enos::spec::test::data_path;
using enos::spec::test::require_spec_error;
using nlohmann::json;

TEST_CASE("SpecError formats file, path and reason", "[spec][json]") {
  SpecError e("a.json", "arch.pe_array.rows", "must be ≥ 1, got 0");
  CHECK(std::string(e.what()) == "a.json: arch.pe_array.rows: must be ≥ 1, got 0");
  CHECK(e.file() == "a.json");
  CHECK(e.path() == "arch.pe_array.rows");
  CHECK(e.reason() == "must be ≥ 1, got 0");
}

TEST_CASE("JsonNode reads typed values and builds child paths", "[spec][json]") {
  json doc = json::parse(R"({"pe_array": {"rows": 16, "cols": 16.0}, "list": [1, "x"], "flag": true,
                              "clock": 500.5, "kind": "systolic"})");
  JsonNode root(doc, "a.json", "arch");
  CHECK(root.at("pe_array").get_int("rows", 1, 256) == 16);
  CHECK(root.at("pe_array").get_int("cols", 1, 256) == 16);  // integral floats are integers
  CHECK(root.at("pe_array").get_int("depth", 1, 8, 4) == 4);  // default when absent
  CHECK(root.at("list").at(1).path() == "arch.list[1]");
  CHECK(root.at("list").size() == 2);
  CHECK(root.at("flag").as_bool());
  CHECK(root.get_number("clock", 1, 1000) == Approx(500.5));
  CHECK(root.at("kind").as_enum({"systolic", "multicast_bus"}) == "systolic");
  CHECK(root.get_string("missing", std::string("dflt")) == "dflt");
  CHECK(root.keys() == std::vector<std::string>{"clock", "flag", "kind", "list", "pe_array"});
}

TEST_CASE("JsonNode reports type, range and key errors with their path", "[spec][json]") {
  json doc = json::parse(R"({"pe_array": {"rows": "16", "cols": 0, "rowz": 3}, "list": [1], "x": 2.5,
                              "kind": "mesh", "big": 300})");
  JsonNode root(doc, "a.json", "arch");
  JsonNode array = root.at("pe_array");
  require_spec_error([&] { array.at("rows").as_int(1, 256); }, "arch.pe_array.rows", "expected an integer, got \"16\"");
  require_spec_error([&] { array.at("cols").as_int(1, 256); }, "arch.pe_array.cols", "must be ≥ 1, got 0");
  require_spec_error([&] { root.at("big").as_int(1, 256); }, "arch.big", "must be ≤ 256, got 300");
  require_spec_error([&] { root.at("x").as_int(1, 256); }, "arch.x", "expected an integer, got 2.5");
  require_spec_error([&] { array.reject_unknown_keys({"rows", "cols"}); }, "arch.pe_array",
                     "unknown key 'rowz' (allowed: rows, cols); did you mean 'rows'?");
  require_spec_error([&] { array.at("depth"); }, "arch.pe_array.depth", "required key is missing");
  require_spec_error([&] { root.at("list").at(3); }, "arch.list", "index 3 out of range");
  require_spec_error([&] { root.at("list").as_string(); }, "arch.list", "expected a string, got an array");
  require_spec_error([&] { root.at("kind").as_enum({"systolic", "multicast_bus"}); }, "arch.kind",
                     "must be one of systolic, multicast_bus, got \"mesh\"");
  require_spec_error([&] { root.at("x").as_number(0, 1); }, "arch.x", "must be ≤ 1, got 2.5");
  require_spec_error([&] { root.at("x").as_bool(); }, "arch.x", "expected true or false");
  require_spec_error([&] { root.at("x").expect_object(); }, "arch.x", "expected an object, got 2.5");
}

TEST_CASE("load_json_file reports missing files, syntax errors and duplicate keys", "[spec][json]") {
  require_spec_error([] { enos::spec::load_json_file("/nonexistent/enos/arch.json"); }, "(file)", "cannot open");
  // data/syntax_error_arch.json has a second comma on line 3, column 20.
  require_spec_error([] { enos::spec::load_json_file(data_path("syntax_error_arch.json")); }, "(document)",
                     "invalid JSON at line 3, column 20");
  require_spec_error([] { enos::spec::load_json_file(data_path("duplicate_key_arch.json"), "arch"); },
                     "arch.pe_array", "duplicate key 'rows'");
}

TEST_CASE("json_hash is a stable 64-bit hex digest of the value", "[spec][json]") {
  json a = json::parse(R"({"b": 1, "a": [1, 2]})");
  json b = json::parse("{\n  \"a\": [1, 2],\n  \"b\": 1\n}");
  json c = json::parse(R"({"b": 2, "a": [1, 2]})");
  std::string h = enos::spec::json_hash(a);
  CHECK(h.size() == 16);
  CHECK(h.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(h == enos::spec::json_hash(b));  // layout and key order do not matter
  CHECK(h != enos::spec::json_hash(c));
  // FNV-1a 64 of "null" (the dump of an empty json), computed by the published algorithm.
  uint64_t ref = 0xcbf29ce484222325ull;
  for (char ch : std::string("null")) ref = (ref ^ uint8_t(ch)) * 0x100000001b3ull;
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(ref));
  CHECK(enos::spec::json_hash(json()) == buf);
}
