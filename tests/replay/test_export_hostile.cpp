// The export loader against hostile exports (issue 18 cases 3, 8 and 10): each edit of a
// valid generated export must be refused with the file and the JSON path, never read.
#include <catch2/catch.hpp>

#include <fstream>
#include <functional>

#include <nlohmann/json.hpp>

#include "replay/export.hpp"
#include "replay_test_util.hpp"

using namespace enos;
using nlohmann::json;

namespace {

json read_json(const std::string& file) {
  std::ifstream f(file);
  return json::parse(f);
}

struct Edit {
  const char* what;
  const char* file;
  std::function<void(json&)> edit;
  const char* path;       // expected SpecError path
  const char* fragment;   // expected in the reason
};

void write_json(const std::string& file, const json& j) { std::ofstream(file) << j.dump(1); }

}  // namespace

TEST_CASE("hostile exports are refused with the file and JSON path", "[replay][export][hostile]") {
  sim::Runner runner(test::default_target().arch);  // one elaboration: generated once, edited per case
  test::Generated g = test::default_target();
  test::generate(runner, g, test::replay_data("two_layer.json"), "export_hostile", {pe::parse_candidate("int:w8a8")});
  const std::string dir = g.dir;
  REQUIRE_NOTHROW(replay::load_export(dir + "/mapping.json"));
  const Edit edits[] = {
      // Case 3: offset + count overflowed the bounds check; the read wrapped to byte 4.
      {"weights offset near 2^62", "network.json",
       [](json& n) { n["layers"][0]["weights"]["offset"] = int64_t(1) << 62; }, "network.layers[0].weights",
       "runs past the end"},
      {"weights offset at INT64_MAX", "network.json",
       [](json& n) { n["layers"][0]["weights"]["offset"] = INT64_MAX; }, "network.layers[0].weights", "runs past the end"},
      // Case 8: an empty file name named no file.
      {"network \"\"", "mapping.json", [](json& m) { m["network"] = ""; }, "mapping.network", "must name a file"},
      {"weights \"\"", "network.json", [](json& n) { n["weights"] = ""; }, "network.weights", "must name a file"},
      // Case 10: fields that were not checked.
      {"unknown mode", "mapping.json", [](json& m) { m["mode"] = "greedy"; }, "mapping.mode", "must be one of"},
      {"prediction outside the classes", "reference.json",
       [](json& r) { r["images"][0]["fake_quant_prediction"] = 10; }, "reference.images[0].fake_quant_prediction",
       "must be ≤ 9"},
      {"label outside the classes", "reference.json", [](json& r) { r["images"][1]["label"] = 12; },
       "reference.images[1].label", "must be ≤ 9"},
      {"image listed twice", "reference.json", [](json& r) { r["images"][2]["index"] = 0; }, "reference.images[2].index",
       "image 0 is listed twice (first at reference.images[0])"},
  };
  for (const Edit& e : edits) {
    INFO(e.what);
    const std::string file = dir + "/" + e.file;
    const json original = read_json(file);
    json edited = original;
    e.edit(edited);
    write_json(file, edited);
    try {
      replay::load_export(dir + "/mapping.json");
      FAIL("accepted");
    } catch (const spec::SpecError& err) {
      INFO(err.what());
      CHECK(err.file() == file);
      CHECK(err.path() == e.path);
      CHECK_THAT(err.reason(), Catch::Contains(e.fragment));
    }
    write_json(file, original);
  }
  CHECK_NOTHROW(replay::load_export(dir + "/mapping.json"));
}
