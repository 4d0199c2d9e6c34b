// The sweep loader (explore/sweep.cpp) without the binary: a good sweep's points, and bad sweeps
// refused with the file, the JSON path and the reason (docs/explore.md).
#include <catch2/catch.hpp>

#include "explore/sweep.hpp"
#include "explore_test_util.hpp"
#include "spec/json_reader.hpp"

using namespace enos;

TEST_CASE("a sweep's points are the product of its parameters, the last varying fastest", "[explore][sweep]") {
  const std::string file = test::write_json("sweep_good/sweep.json", test::small_sweep());
  const explore::Sweep sweep = explore::load_sweep(file);
  CHECK(sweep.name == "unit");
  CHECK(sweep.points == 6);
  CHECK(sweep.parameter_keys() == std::vector<std::string>{"clock_mhz", "global_buffer.size_kib"});
  REQUIRE(sweep.workloads.size() == 1);
  CHECK(sweep.workloads[0].label == "tiny");
  CHECK(pe::to_string(sweep.workloads[0].candidates.at(0)) == "int:w8a8");
  // A geometric range of whole numbers stays whole: 32, 64, 128.
  const explore::SweepPoint p4 = explore::make_point(sweep, 4);
  CHECK(p4.id == "p0004");
  CHECK(p4.arch_doc["clock_mhz"] == 500);
  CHECK(p4.arch_doc["global_buffer"]["size_kib"] == 64);
  CHECK(p4.params == nlohmann::json::parse(R"([["clock_mhz", 500], ["global_buffer.size_kib", 64]])"));
  CHECK(explore::make_point(sweep, 0).arch_doc["global_buffer"]["size_kib"] == 32);
  // The point is a pure function of the file: loading it again gives the same hash and points.
  const explore::Sweep again = explore::load_sweep(file);
  CHECK(again.hash == sweep.hash);
  CHECK(explore::make_point(again, 4).arch_doc == p4.arch_doc);
}

TEST_CASE("a bad sweep is refused naming the file, the JSON path and the reason", "[explore][sweep]") {
  struct Case {
    const char* patch;  // a JSON patch of the good sweep
    const char* path;
    const char* reason;  // a part of it
  };
  const Case cases[] = {
      {R"({"op": "add", "path": "/colour", "value": 1})", "sweep", "unknown key 'colour'"},
      {R"({"op": "replace", "path": "/name", "value": ""})", "sweep.name", "must not be empty"},
      {R"({"op": "replace", "path": "/base", "value": "no_such_arch.json"})", "sweep.base", "no_such_arch.json: cannot open"},
      {R"({"op": "replace", "path": "/parameters/0/key", "value": "nosuch.rows"})", "sweep.parameters[0].key",
       "'nosuch.rows' is not a key of the base architecture (no object 'nosuch')"},
      {R"({"op": "replace", "path": "/parameters/0/values", "value": []})", "sweep.parameters[0].values",
       "must list at least one value"},
      {R"({"op": "add", "path": "/parameters/1/range/step", "value": 2})", "sweep.parameters[1].range",
       "give exactly one of 'step' and 'times'"},
      {R"({"op": "replace", "path": "/parameters/1/key", "value": "clock_mhz"})", "sweep.parameters[1]",
       "'clock_mhz' is already swept by parameters[0]"},
      {R"({"op": "replace", "path": "/workloads", "value": []})", "sweep.workloads", "must list at least one workload"},
      {R"({"op": "replace", "path": "/workloads/0/candidates/0", "value": "int:w9"})", "sweep.workloads[0].candidates[0]",
       "bad operator candidate"},
      {R"({"op": "add", "path": "/workloads/0/model", "value": "shufflenetv2_x0.5"})", "sweep.workloads[0]",
       "give exactly one of 'workload', 'model' and 'mapping'"},
      {R"({"op": "add", "path": "/workloads/0/classes", "value": 100})", "sweep.workloads[0].classes",
       "'classes' goes with 'model'"},
      {R"({"op": "replace", "path": "/workloads/0", "value": {"model": "squeezenet1_1", "classes": 7}})",
       "sweep.workloads[0].model", "no shipped workload for this model, input 32x32x3 and 7 classes"},
      {R"({"op": "replace", "path": "/workloads/0", "value": {"model": "squeezenet1_1", "classes": 1}})",
       "sweep.workloads[0].classes", ""},
  };
  int n = 0;
  for (const Case& c : cases) {
    INFO(c.patch);
    const nlohmann::json bad = test::small_sweep().patch(nlohmann::json::array({nlohmann::json::parse(c.patch)}));
    const std::string file = test::write_json("sweep_bad/case" + std::to_string(n++) + ".json", bad);
    try {
      (void)explore::load_sweep(file);
      FAIL("accepted");
    } catch (const spec::SpecError& e) {
      CHECK(e.file() == file);
      CHECK(e.path() == c.path);
      CHECK_THAT(e.reason(), Catch::Contains(c.reason));
    }
  }
}

TEST_CASE("a sweep's model workload may have CIFAR-100's classifier", "[explore][sweep]") {
  nlohmann::json doc = test::small_sweep();
  doc["workloads"] = nlohmann::json::parse(R"([{"model": "squeezenet1_1", "classes": 100}, {"model": "squeezenet1_1"}])");
  const explore::Sweep sweep = explore::load_sweep(test::write_json("sweep_classes/sweep.json", doc));
  REQUIRE(sweep.workloads.size() == 2);
  CHECK(sweep.workloads[0].label == "squeezenet1_1_32x32x3_100classes");
  CHECK(sweep.workloads[1].label == "squeezenet1_1_32x32x3");
  CHECK(sweep.workloads[0].workload.layers.back().out.C == 100);
  CHECK(sweep.workloads[1].workload.layers.back().out.C == 10);
}
