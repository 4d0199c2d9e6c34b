// The search's export format (spec/export_format.hpp) has one writer and one reader: what
// to_json writes, parse reads back unchanged (and writes again byte for byte), on random
// exports of a small network with every kind of layer.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>

#include "pe/semantics.hpp"
#include "spec/export_format.hpp"
#include "spec/json_reader.hpp"
#include "tests/spec/spec_test_util.hpp"

namespace enos::spec {
namespace {

using nlohmann::json;

// conv → split ×2 → concat → maxpool → fc: a MAC layer with a rescale, a combine, a pass-through
// and the classifier.
Workload small_workload() {
  const json doc = json::parse(R"({
    "name": "tiny", "input": [1, 8, 8],
    "layers": [
      {"name": "conv1", "type": "conv", "inputs": ["input"], "out_channels": 4, "kernel": 3, "pad": 1},
      {"name": "a", "type": "split", "inputs": ["conv1"], "parts": 2, "part": 0},
      {"name": "b", "type": "split", "inputs": ["conv1"], "parts": 2, "part": 1},
      {"name": "cat", "type": "concat", "inputs": ["b", "a"]},
      {"name": "pool", "type": "maxpool", "inputs": ["cat"], "kernel": 2, "stride": 2},
      {"name": "fc", "type": "fc", "inputs": ["pool"], "out_features": 10}
    ]})");
  return parse_workload(doc, "tiny.json");
}

double uniform(std::mt19937_64& rng, double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); }

pe::Candidate random_candidate(std::mt19937_64& rng) {
  const std::vector<pe::Candidate> all = pe::standard_candidates();
  return all[rng() % all.size()];
}

NetLayer random_mac(const Layer& wl, bool last, std::mt19937_64& rng) {
  NetLayer l = net_layer_of(wl);
  l.candidate = random_candidate(rng);
  l.act_scale = uniform(rng, 0.01, 0.05), l.act_bits = l.candidate.act_bits;
  if (rng() % 2) l.input_rescale = pe::make_requant_channel(uniform(rng, 0.1, 2));
  const pe::CodeRange range = pe::weight_code_range(l.candidate);
  for (int64_t i = 0; i < wl.conv.weight_count(); ++i)
    l.weight_codes.push_back(range.lo + int32_t(rng() % uint64_t(range.hi - range.lo + 1)));
  for (int k = 0; k < wl.conv.K; ++k) l.weight_scale.push_back(uniform(rng, 0.005, 0.05));
  l.logits = last;
  for (int k = 0; k < wl.conv.K; ++k) {
    if (last) {
      l.logit_bias.push_back(uniform(rng, -0.1, 0.1));
      continue;
    }
    const int32_t bias = rng() % 3 == 0 ? 0 : int32_t(rng() % 200) - 100;  // with and without `bias`
    l.requant.push_back(pe::make_requant_channel(uniform(rng, 1e-3, 1), uniform(rng, 0, 1e-3), bias, uniform(rng, -2, 2)));
  }
  l.output = {uniform(rng, 0.01, 0.1), 8};
  if (last) l.output = {};
  return l;
}

ExportNetwork random_network(const Workload& w, std::mt19937_64& rng) {
  ExportNetwork n;
  for (std::size_t i = 0; i < w.layers.size(); ++i) {
    const Layer& wl = w.layers[i];
    if (wl.is_mac()) {
      n.layers.push_back(random_mac(wl, i + 1 == w.layers.size(), rng));
      continue;
    }
    NetLayer l = net_layer_of(wl);
    if (wl.type == LayerType::Concat) {
      l.output = {uniform(rng, 0.01, 0.1), int(8 + rng() % 9)};
      l.combine = {{int32_t(rng() % 65536), int32_t(rng() % 65536)}, 16};
    }
    n.layers.push_back(l);
  }
  return n;
}

ExportMapping random_mapping(const Workload& w, const ExportNetwork& n, std::mt19937_64& rng) {
  ExportMapping m;
  m.tool_version = "1.2.3", m.model = "tiny", m.dataset = "fashion-mnist", m.mode = "bilevel";
  m.seed = rng() >> 2;
  if (rng() % 2) m.pin_first_last = pe::to_string(pe::reference_candidate());
  m.arch_name = "arch", m.arch_hash = "0123456789abcdef", m.lut_file = "luts/lut.json", m.lut_hash = "fedcba9876543210";
  m.table_name = "table", m.table_hash = "00ff00ff00ff00ff";
  if (rng() % 2) m.budget_uj = uniform(rng, 1, 100);
  m.workload = w;
  for (const NetLayer& l : n.layers) {
    if (!(l.type == LayerType::Conv || l.type == LayerType::FullyConnected)) continue;
    m.mapped.push_back({l.name, l.candidate, uniform(rng, 1e3, 1e6), int64_t(rng() % 100000), rng() % 2 == 0});
    m.total_energy_pj += m.mapped.back().energy_pj, m.total_latency_cycles += m.mapped.back().latency_cycles;
  }
  m.export_accuracy = uniform(rng, 0, 1), m.export_test_images = 10000;
  return m;
}

// Written, parsed and written again: the same text, so nothing was lost or changed.
template <class Doc, class Parse>
Doc round_trip(const Doc& doc, Parse parse) {
  const std::string text = export_text(to_json(doc));
  const Doc back = parse(json::parse(text));
  REQUIRE(export_text(to_json(back)) == text);
  return back;
}

std::string scratch_file(const std::string& name, const std::string& content) {
  const std::string dir = (std::filesystem::temp_directory_path() / "enos_test_export_format").string();
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/" + name, std::ios::binary) << content;
  return dir + "/" + name;
}

TEST_CASE("a random export round-trips through to_json and the strict readers", "[spec][export]") {
  const Workload w = small_workload();
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    std::mt19937_64 rng(seed);
    ExportNetwork net = random_network(w, rng);
    const std::string weights = scratch_file("weights.bin", pack_weights(net));
    const ExportMapping m = random_mapping(w, net, rng);

    const ExportMapping m2 = round_trip(m, [](const json& j) { return parse_export_mapping(j, "mapping.json"); });
    CHECK(m2.pin_first_last == m.pin_first_last);
    CHECK(m2.budget_uj == m.budget_uj);
    REQUIRE(m2.mapped.size() == m.mapped.size());
    CHECK(m2.mapped.back().candidate == m.mapped.back().candidate);

    const json net_doc = to_json(net);
    ExportNetwork n2 = round_trip(net, [&](const json& j) { return parse_export_network(j, "network.json", m2.workload); });
    read_export_weights(weights, net_doc, "network.json", n2);
    check_export_network(m2, n2, net_doc, "network.json");
    for (std::size_t i = 0; i < net.layers.size(); ++i) {
      CHECK(n2.layers[i].weight_codes == net.layers[i].weight_codes);
      CHECK(n2.layers[i].requant.size() == net.layers[i].requant.size());
    }

    ExportReference r;
    r.dataset = "fashion-mnist";
    for (int i = 0; i < 5; ++i) r.images.push_back({i * 3, int(rng() % 10), int(rng() % 10)});
    const ExportReference r2 = round_trip(r, [](const json& j) { return parse_export_reference(j, "reference.json", 10); });
    CHECK(r2.images.back().label == r.images.back().label);

    // enos explore's lenient read of the same mapping.json.
    const MappedOperators ops = read_mapped_operators(to_json(m), "mapping.json");
    REQUIRE(ops.candidates.size() == m.mapped.size());
    for (std::size_t i = 0; i < ops.candidates.size(); ++i) CHECK(ops.candidates[i] == m.mapped[i].candidate);
  }
}

TEST_CASE("the export's readers name the file, the JSON path and the reason", "[spec][export]") {
  const Workload w = small_workload();
  std::mt19937_64 rng(7);
  ExportNetwork net = random_network(w, rng);
  pack_weights(net);
  const ExportMapping m = random_mapping(w, net, rng);
  json doc = to_json(m);
  doc["format"] = "enos-mapping/2";
  test::require_spec_error([&] { parse_export_mapping(doc, "mapping.json"); }, "mapping.format", "expected \"enos-mapping/1\"");
  test::require_spec_error([&] { read_mapped_operators(doc, "mapping.json"); }, "mapping.format", "expected \"enos-mapping/1\"");

  ExportMapping other = m;
  other.mapped.front().candidate = other.mapped.front().candidate == pe::reference_candidate()
                                       ? pe::parse_candidate("int:w4a4")
                                       : pe::reference_candidate();
  test::require_spec_error([&] { check_export_network(other, net, to_json(net), "network.json"); },
                           "network.layers[0].candidate", "differs from mapping.json's");

  json rdoc = to_json(ExportReference{"d", "test", {{1, 2, 3}, {1, 2, 3}}});
  test::require_spec_error([&] { parse_export_reference(rdoc, "reference.json", 10); }, "reference.images[1].index",
                           "listed twice");
}

}  // namespace
}  // namespace enos::spec
