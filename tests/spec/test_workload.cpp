// The shipped workloads, shape inference of every layer type, and the writer.
#include <map>

#include <catch2/catch.hpp>

#include "spec/workload.hpp"
#include "spec_test_util.hpp"

using namespace enos::spec;
using enos::spec::test::config_path;
using nlohmann::json;

namespace {

// Every layer type, a rectangular kernel and a pinned mapping: exercises the whole format.
const char* const kAllTypes = R"({
  "name": "all_types",
  "input": [4, 12, 12],
  "layers": [
    {"name": "c1", "type": "conv", "inputs": ["input"], "out_channels": 8, "kernel": [3, 1], "stride": 1, "pad": 0, "groups": 2,
     "mapping": {"dataflow": "output_stationary", "k_tile": 2, "p_tile": 5, "loop_order": "p_outer", "double_buffer": false}},
    {"name": "r1", "type": "relu", "inputs": ["c1"]},
    {"name": "mp", "type": "maxpool", "inputs": ["r1"], "kernel": 2, "stride": 2, "pad": 0},
    {"name": "ap", "type": "avgpool", "inputs": ["r1"], "kernel": 3, "stride": 2, "pad": 1},
    {"name": "sum", "type": "add", "inputs": ["mp", "ap"]},
    {"name": "s0", "type": "split", "inputs": ["sum"], "parts": 4, "part": 0},
    {"name": "s3", "type": "split", "inputs": ["sum"], "parts": 4, "part": 3},
    {"name": "cat", "type": "concat", "inputs": ["s0", "s3", "sum"]},
    {"name": "sh", "type": "channel_shuffle", "inputs": ["cat"], "groups": 3},
    {"name": "dw", "type": "conv", "inputs": ["sh"], "out_channels": 12, "kernel": 3, "stride": 2, "pad": 1, "groups": 12},
    {"name": "gap", "type": "global_avgpool", "inputs": ["dw"]},
    {"name": "fc", "type": "fc", "inputs": ["sh"], "out_features": 7, "mapping": {"k_tile": 7}}
  ]
})";

std::map<std::string, const Layer*> by_name(const Workload& w) {
  std::map<std::string, const Layer*> m;
  for (const Layer& l : w.layers) m[l.name] = &l;
  return m;
}

bool same(const FeatureShape& s, int C, int H, int W) { return s == FeatureShape{C, H, W}; }

}  // namespace

TEST_CASE("shape inference covers every layer type", "[spec][workload]") {
  Workload w = parse_workload(json::parse(kAllTypes), "all.json");
  auto L = by_name(w);
  REQUIRE(w.layers.size() == 12);
  CHECK(same(L["c1"]->out, 8, 10, 12));  // 3×1 kernel, no pad: H shrinks by 2
  CHECK(L["c1"]->conv.groups == 2);
  CHECK(L["c1"]->conv.R == 3);
  CHECK(L["c1"]->conv.S == 1);
  CHECK(*L["c1"]->mapping.dataflow == Dataflow::OutputStationary);
  CHECK(*L["c1"]->mapping.order == LoopOrder::POuter);
  CHECK(*L["c1"]->mapping.double_buffer == false);
  CHECK(same(L["r1"]->out, 8, 10, 12));
  CHECK(same(L["mp"]->out, 8, 5, 6));
  CHECK(same(L["ap"]->out, 8, 5, 6));  // (10 + 2 − 3) / 2 + 1 = 5
  CHECK(same(L["sum"]->out, 8, 5, 6));
  CHECK(same(L["s0"]->out, 2, 5, 6));
  CHECK(L["s3"]->part == 3);
  CHECK(same(L["cat"]->out, 12, 5, 6));  // 2 + 2 + 8 channels
  CHECK(same(L["sh"]->out, 12, 5, 6));
  CHECK(same(L["dw"]->out, 12, 3, 3));
  CHECK(same(L["gap"]->out, 12, 1, 1));
  // FC flattens its C×H×W input.
  CHECK(L["fc"]->conv.C == 12 * 5 * 6);
  CHECK(L["fc"]->conv.K == 7);
  CHECK(same(L["fc"]->out, 7, 1, 1));
  CHECK(mac_count(w) == L["c1"]->conv.macs() + L["dw"]->conv.macs() + L["fc"]->conv.macs());
  CHECK(L["c1"]->conv.macs() == int64_t(8) * 10 * 12 * (4 / 2) * 3 * 1);
}

TEST_CASE("workloads round-trip through to_json", "[spec][workload]") {
  json doc = json::parse(kAllTypes);
  Workload w = parse_workload(doc, "all.json");
  CHECK(to_json(w) == doc);  // the document above is written in canonical form
  Workload again = parse_workload(to_json(w), "again.json");
  CHECK(to_json(again) == to_json(w));
}

TEST_CASE("inputs default to the previous layer; optional conv keys default", "[spec][workload]") {
  json doc = json::parse(R"({"name": "chain", "input": [3, 8, 8], "layers": [
      {"name": "a", "type": "conv", "out_channels": 4, "kernel": 3},
      {"name": "b", "type": "relu"},
      {"name": "c", "type": "maxpool", "kernel": 2}]})");
  Workload w = parse_workload(doc, "chain.json");
  CHECK(w.layers[0].inputs == std::vector<std::string>{"input"});
  CHECK(w.layers[1].inputs == std::vector<std::string>{"a"});
  CHECK(w.layers[0].conv.stride == 1);
  CHECK(w.layers[0].conv.pad == 0);
  CHECK(w.layers[0].conv.groups == 1);
  CHECK(same(w.layers[0].out, 4, 6, 6));
  CHECK(w.layers[2].stride == 2);  // a pool's stride defaults to its kernel
  CHECK(same(w.layers[2].out, 4, 3, 3));
  CHECK(is_empty(w.layers[0].mapping));
}

TEST_CASE("the shipped tiny workload loads", "[spec][workload]") {
  const std::string file = config_path("workloads/tiny.json");
  Workload w = load_workload(file);
  CHECK(w.file == file);
  REQUIRE(w.layers.size() == 4);
  CHECK(to_json(w) == load_json_file(file));
  const Layer& dw = w.layers[1];
  CHECK(dw.conv.groups == dw.conv.C);  // depthwise
  CHECK(dw.conv.reduction() == 9);
  CHECK(w.layers[3].type == LayerType::FullyConnected);
  CHECK(same(w.layers.back().out, 10, 1, 1));
  int64_t expected = int64_t(8) * 8 * 8 * 3 * 9  // conv1: K·P·Q·C·R·S
                     + int64_t(8) * 4 * 4 * 9    // dw2: one channel per output
                     + 8 * 10;                   // fc
  CHECK(mac_count(w) == expected);
}

TEST_CASE("the shipped ShuffleNetV2 workload loads with consistent shapes", "[spec][workload]") {
  const std::string file = config_path("workloads/shufflenetv2_x0.5_32x32x3.json");
  Workload w = load_workload(file);
  CHECK(to_json(w) == load_json_file(file));  // the generator writes the canonical form
  CHECK(same(w.input, 3, 32, 32));
  CHECK(same(w.layers.back().out, 10, 1, 1));
  int depthwise = 0, splits = 0, shuffles = 0;
  for (const Layer& l : w.layers) {
    depthwise += l.type == LayerType::Conv && l.conv.groups > 1 && l.conv.groups == l.conv.C;
    splits += l.type == LayerType::Split;
    shuffles += l.type == LayerType::ChannelShuffle;
  }
  CHECK(shuffles == 4 + 8 + 4);       // one per unit
  CHECK(splits == 2 * (3 + 7 + 3));   // two chunks per basic unit
  CHECK(depthwise == 2 * 3 + 13);     // two per downsampling unit, one per basic unit
  auto L = by_name(w);
  CHECK(same(L["stage2.3.shuffle"]->out, 48, 16, 16));
  CHECK(same(L["stage3.7.shuffle"]->out, 96, 8, 8));
  CHECK(same(L["stage4.3.shuffle"]->out, 192, 4, 4));
  CHECK(same(L["conv5.0"]->out, 1024, 4, 4));
  // ShuffleNetV2 ×0.5 on 32×32 inputs is about 11 M MACs.
  CHECK(mac_count(w) > 10'000'000);
  CHECK(mac_count(w) < 12'000'000);
}

TEST_CASE("layer type names round-trip", "[spec][workload]") {
  for (LayerType t : {LayerType::Conv, LayerType::FullyConnected, LayerType::MaxPool, LayerType::AvgPool,
                      LayerType::GlobalAvgPool, LayerType::Add, LayerType::Concat, LayerType::ChannelShuffle,
                      LayerType::Split, LayerType::ReLU})
    CHECK(parse_layer_type(to_string(t)) == t);
  CHECK_FALSE(parse_layer_type("deconv"));
  CHECK(to_string(LoopOrder::KOuter) == "k_outer");
  CHECK(parse_loop_order("p_outer") == LoopOrder::POuter);
}

TEST_CASE("to_json(Mapping) writes every field", "[spec][workload]") {
  Mapping m;
  m.dataflow = Dataflow::OutputStationary;
  m.k_tile = 16;
  m.p_tile = 4;
  m.order = LoopOrder::POuter;
  m.double_buffer = false;
  CHECK(to_json(m) == json{{"dataflow", "output_stationary"}, {"k_tile", 16}, {"p_tile", 4},
                           {"loop_order", "p_outer"}, {"double_buffer", false}});
}
