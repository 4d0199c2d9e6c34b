// Malformed workload documents and --layer strings: each must be refused with a SpecError
// naming the path and the reason.
#include <catch2/catch.hpp>

#include "spec/workload.hpp"
#include "spec_test_util.hpp"

using namespace enos::spec;
using enos::spec::test::data_path;
using enos::spec::test::require_spec_error;
using nlohmann::json;

namespace {

struct WorkloadCase {
  const char* what;
  const char* layers;  // JSON array of layers on a 24×8×8 input
  const char* path;
  const char* fragment;
};

json document(const char* layers) {
  return json::parse(std::string(R"({"name": "t", "input": [24, 8, 8], "layers": )") + layers + "}");
}

const WorkloadCase kCases[] = {
    {"unknown layer key", R"([{"name": "c", "type": "conv", "out_channels": 8, "kernel": 1, "strides": 2}])",
     "workload.layers[0]", "unknown key 'strides'"},
    {"unknown mapping key", R"([{"name": "c", "type": "conv", "out_channels": 8, "kernel": 1, "mapping": {"tile": 2}}])",
     "workload.layers[0].mapping", "unknown key 'tile'"},
    {"mapping on a pool", R"([{"name": "p", "type": "maxpool", "kernel": 2, "mapping": {}}])", "workload.layers[0]",
     "unknown key 'mapping'"},
    {"unknown layer type", R"([{"name": "d", "type": "deconv"}])", "workload.layers[0].type", "must be one of conv, fc"},
    {"layer not an object", R"([3])", "workload.layers[0]", "expected an object, got 3"},
    {"missing name", R"([{"type": "relu"}])", "workload.layers[0].name", "required key is missing"},
    {"unknown producer", R"([{"name": "r", "type": "relu", "inputs": ["conv9"]}])", "workload.layers[0].inputs[0]",
     "unknown producer 'conv9'"},
    {"forward reference", R"([{"name": "a", "type": "relu", "inputs": ["b"]}, {"name": "b", "type": "relu"}])",
     "workload.layers[0].inputs[0]", "defined later, at layers[1]"},
    {"duplicate name", R"([{"name": "a", "type": "relu"}, {"name": "a", "type": "relu"}])", "workload.layers[1].name",
     "duplicate layer name 'a' (first at layers[0])"},
    {"reserved name", R"([{"name": "input", "type": "relu"}])", "workload.layers[0].name", "reserved"},
    {"add of different shapes",
     R"([{"name": "c", "type": "conv", "out_channels": 24, "kernel": 3, "stride": 2, "pad": 1},
         {"name": "s", "type": "add", "inputs": ["input", "c"]}])",
     "workload.layers[1].inputs[1]", "shape 24×4×4 of 'c' does not match 24×8×8 of 'input'"},
    {"concat of different maps",
     R"([{"name": "p", "type": "maxpool", "kernel": 2}, {"name": "j", "type": "concat", "inputs": ["input", "p"]}])",
     "workload.layers[1].inputs[1]", "map 4×4 of 'p' does not match 8×8"},
    {"add with one input", R"([{"name": "s", "type": "add", "inputs": ["input"]}])", "workload.layers[0].inputs",
     "add needs at least 2 inputs, got 1"},
    {"conv with two inputs", R"([{"name": "c", "type": "conv", "inputs": ["input", "input"], "out_channels": 8, "kernel": 1}])",
     "workload.layers[0].inputs", "conv takes exactly 1 input, got 2"},
    {"groups not dividing input channels", R"([{"name": "c", "type": "conv", "out_channels": 10, "kernel": 1, "groups": 5}])",
     "workload.layers[0].groups", "must divide the input channels (24), got 5"},
    {"groups not dividing output channels", R"([{"name": "c", "type": "conv", "out_channels": 10, "kernel": 1, "groups": 4}])",
     "workload.layers[0].groups", "must divide out_channels (10), got 4"},
    {"kernel larger than the map", R"([{"name": "c", "type": "conv", "out_channels": 8, "kernel": 11, "pad": 1}])",
     "workload.layers[0].kernel", "larger than the padded input 10×10"},
    {"pad as large as the kernel", R"([{"name": "c", "type": "conv", "out_channels": 8, "kernel": 3, "pad": 3}])",
     "workload.layers[0].pad", "must be smaller than the kernel"},
    {"stride zero", R"([{"name": "c", "type": "conv", "out_channels": 8, "kernel": 3, "stride": 0}])",
     "workload.layers[0].stride", "must be ≥ 1, got 0"},
    {"kernel of one dimension", R"([{"name": "c", "type": "conv", "out_channels": 8, "kernel": [3]}])",
     "workload.layers[0].kernel", "expected an integer or [R, S]"},
    {"out_channels as text", R"([{"name": "c", "type": "conv", "out_channels": "16", "kernel": 1}])",
     "workload.layers[0].out_channels", "expected an integer, got \"16\""},
    {"fc without out_features", R"([{"name": "f", "type": "fc"}])", "workload.layers[0].out_features",
     "required key is missing"},
    {"split parts not dividing", R"([{"name": "s", "type": "split", "parts": 5, "part": 0}])", "workload.layers[0].parts",
     "must divide the input channels (24), got 5"},
    {"split part out of range", R"([{"name": "s", "type": "split", "parts": 2, "part": 2}])", "workload.layers[0].part",
     "must be ≤ 1, got 2"},
    {"shuffle groups not dividing", R"([{"name": "s", "type": "channel_shuffle", "groups": 5}])",
     "workload.layers[0].groups", "must divide the input channels (24), got 5"},
    {"pool pad over half the kernel", R"([{"name": "p", "type": "avgpool", "kernel": 2, "pad": 2}])",
     "workload.layers[0].pad", "at most half the kernel"},
    {"k_tile beyond the outputs per group",
     R"([{"name": "c", "type": "conv", "out_channels": 8, "kernel": 1, "groups": 2, "mapping": {"k_tile": 5}}])",
     "workload.layers[0].mapping.k_tile", "must be ≤ 4 (output channels per group), got 5"},
    {"p_tile beyond the output rows",
     R"([{"name": "c", "type": "conv", "out_channels": 8, "kernel": 3, "mapping": {"p_tile": 7}}])",
     "workload.layers[0].mapping.p_tile", "must be ≤ 6 (output rows), got 7"},
    {"unknown pinned dataflow",
     R"([{"name": "c", "type": "conv", "out_channels": 8, "kernel": 1, "mapping": {"dataflow": "row_stationary"}}])",
     "workload.layers[0].mapping.dataflow", "must be one of weight_stationary, output_stationary"},
    {"double_buffer not a bool",
     R"([{"name": "c", "type": "conv", "out_channels": 8, "kernel": 1, "mapping": {"double_buffer": 1}}])",
     "workload.layers[0].mapping.double_buffer", "expected true or false"},
    {"no layers", R"([])", "workload.layers", "at least one layer"},
};

}  // namespace

TEST_CASE("malformed workload layers name the path and the reason", "[spec][workload][malformed]") {
  for (const WorkloadCase& c : kCases) {
    DYNAMIC_SECTION(c.what) {
      json doc = document(c.layers);
      require_spec_error([&] { parse_workload(doc, "bad.json"); }, c.path, c.fragment);
    }
  }
}

TEST_CASE("malformed workload headers and files", "[spec][workload][malformed]") {
  json ok = json::parse(R"({"name": "t", "input": [3, 8, 8], "layers": [{"name": "r", "type": "relu"}]})");
  REQUIRE_NOTHROW(parse_workload(ok, "ok.json"));
  json doc = ok;
  doc["colour"] = 1;
  require_spec_error([&] { parse_workload(doc, "w.json"); }, "workload", "unknown key 'colour'");
  doc = ok;
  doc["input"] = {3, 32};
  require_spec_error([&] { parse_workload(doc, "w.json"); }, "workload.input", "expected [C, H, W]");
  doc = ok;
  doc["input"] = {3, 0, 8};
  require_spec_error([&] { parse_workload(doc, "w.json"); }, "workload.input[1]", "must be ≥ 1, got 0");
  doc = ok;
  doc.erase("input");
  require_spec_error([&] { parse_workload(doc, "w.json"); }, "workload.input", "required key is missing");
  doc = ok;
  doc["layers"] = json::object();
  require_spec_error([&] { parse_workload(doc, "w.json"); }, "workload.layers", "expected an array");
  require_spec_error([] { load_workload("/nonexistent/enos/w.json"); }, "(file)", "cannot open");
  require_spec_error([] { load_workload(data_path("unknown_producer_workload.json")); }, "workload.layers[1].inputs[0]",
                     "unknown producer 'conv9'");
}

TEST_CASE("the --layer option accepts conv and fc shapes", "[spec][workload][layer_option]") {
  Layer conv = parse_layer_option("conv:16,32,8,8,3,3,2,1,16");
  CHECK(conv.type == LayerType::Conv);
  CHECK(conv.conv.C == 16);
  CHECK(conv.conv.K == 32);
  CHECK(conv.conv.groups == 16);
  CHECK(conv.conv.stride == 2);
  CHECK(conv.out == FeatureShape{32, 4, 4});
  CHECK(conv.inputs == std::vector<std::string>{"input"});
  CHECK(enos::pe::to_string(conv.conv) == "conv:16,32,8,8,3,3,2,1,16");  // same spelling back
  Layer fc = parse_layer_option("fc:1024, 10");
  CHECK(fc.type == LayerType::FullyConnected);
  CHECK(fc.conv.C == 1024);
  CHECK(fc.conv.K == 10);
  CHECK(fc.conv.macs() == 10240);
  CHECK(fc.out == FeatureShape{10, 1, 1});
}

TEST_CASE("bad --layer strings name the field and the reason", "[spec][workload][layer_option][malformed]") {
  auto bad = [](const std::string& text, const std::string& path, const std::string& fragment) {
    INFO("--layer " << text);
    require_spec_error([&] { parse_layer_option(text); }, path, fragment);
    try {
      parse_layer_option(text);
    } catch (const SpecError& e) {
      CHECK(e.file() == "--layer");
    }
  };
  bad("pool:2,2", "pool:2,2", "expected conv:C,K,H,W,R,S,stride,pad,groups or fc:IN,OUT");
  bad("conv16,32", "conv16,32", "missing ':'");
  bad("conv:3,16,32", "conv", "conv takes 9 comma-separated integers (C,K,H,W,R,S,stride,pad,groups), got 3");
  bad("fc:10", "fc", "fc takes 2 comma-separated integers (IN,OUT), got 1");
  bad("fc:10,x", "fc.OUT", "expected an integer, got \"x\"");
  bad("fc:10,", "fc.OUT", "expected an integer, got \"\"");
  bad("conv:3,16,32,32,3,3,0,1,1", "conv.stride", "must be ≥ 1, got 0");
  bad("conv:3,16,32,32,3,3,1,-1,1", "conv.pad", "must be ≥ 0, got -1");
  bad("conv:3,16,32,32,3,3,1,1,2", "conv.groups", "must divide the input channels (3), got 2");
  bad("conv:3,16,4,4,7,7,1,1,1", "conv.R,S", "larger than the padded input 6×6");
  bad("conv:99999999999,1,1,1,1,1,1,0,1", "conv.C", "must be ≤ 65536, got 99999999999");
  bad("conv:3,16,32,32,3,3,1,1,1,9", "conv", "(C,K,H,W,R,S,stride,pad,groups), got 10");
}

TEST_CASE("cross-file checks: unsupported operator and pinned dataflow", "[spec][workload][arch][malformed]") {
  ArchSpec ws = load_arch(enos::spec::test::config_path("arch/ws_systolic_16x16.json"));
  CHECK(require_mode(ws, enos::pe::parse_candidate("int:w4a4")).lanes == 4);
  require_spec_error([&] { require_mode(ws, enos::pe::parse_candidate("int:w8a4")); }, "arch.pe.modes",
                     "does not support int:w8a4 (supported: int:w2a2");
  json doc = document(R"([{"name": "a", "type": "conv", "out_channels": 8, "kernel": 1},
                          {"name": "b", "type": "conv", "out_channels": 8, "kernel": 1,
                           "mapping": {"dataflow": "output_stationary"}}])");
  Workload w = parse_workload(doc, "w.json");
  require_spec_error([&] { check_fits(w, ws); }, "workload.layers[1].mapping.dataflow",
                     "output_stationary is not supported by architecture 'ws_systolic_16x16' (supports: weight_stationary)");
  ArchSpec os = load_arch(enos::spec::test::config_path("arch/os_systolic_16x16.json"));
  CHECK_NOTHROW(check_fits(w, os));
}
