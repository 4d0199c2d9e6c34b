#pragma once
// A tiny searchable network, a synthetic LUT for it and a synthetic dataset: what the search
// and export tests share. Header-only, test code.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "energy/lut.hpp"
#include "models/data.hpp"
#include "models/layers.hpp"
#include "pe/candidate.hpp"
#include "search/supernet.hpp"
#include "spec/workload.hpp"

namespace enos::search::testing {

// conv0 (input, pinned) → conv1 → conv2 (stride 2) → global average → fc (output, pinned);
// batch norm and ReLU after every convolution, as the real models have.
class TinyNet : public models::Network {
 public:
  explicit TinyNet(const models::MacLayerFactory& f) {
    using models::ConvSpec, models::MacRole;
    conv0 = register_module("conv0", models::ConvBnAct(ConvSpec{"conv0", 3, 8, 3, 1, 1, 1, false, MacRole::Input}, f, true, true));
    conv1 = register_module("conv1", models::ConvBnAct(ConvSpec{"conv1", 8, 8, 3, 1, 1, 1, false, MacRole::Hidden}, f, true, true));
    conv2 = register_module("conv2", models::ConvBnAct(ConvSpec{"conv2", 8, 16, 3, 2, 1, 1, false, MacRole::Hidden}, f, true, true));
    pool = register_module("pool", models::Pool("pool", 0, 0, 0));
    fc = register_module("fc", models::FcLayer(models::FcSpec{"fc", 16, 4, true, MacRole::Output}, f));
  }
  torch::Tensor forward(torch::Tensor x) override {
    return fc->forward(pool->forward(conv2->forward(conv1->forward(conv0->forward(x)))));
  }
  models::ConvBnAct conv0{nullptr}, conv1{nullptr}, conv2{nullptr};
  models::Pool pool{nullptr};
  models::FcLayer fc{nullptr};
};

// Energy per inference of every candidate (pJ), the same for each layer: int:w2a2 is the
// cheapest, int:w8a8 the dearest.
inline double tiny_energy(const std::string& c) {
  if (c == "int:w8a8") return 100;
  if (c == "int:w4a4") return 40;
  if (c == "int:w2a2") return 20;
  if (c == "bin:w1a8") return 30;
  if (c == "mf:w8a8") return 60;
  return 50;  // shift:w4a8
}

inline energy::Lut tiny_lut(const std::vector<std::string>& candidates) {
  energy::Lut lut;
  lut.tool_version = "test";
  lut.architecture = {"test-arch", "", "0123"};
  lut.energy_table = {"test-energy", "", "4567"};
  lut.workload = {"tiny", "", "89ab"};
  lut.clock_mhz = 200, lut.technology_nm = 45;
  lut.candidates = candidates;
  const std::vector<std::pair<std::string, pe::ConvShape>> shapes = {
      {"conv0", {3, 8, 8, 8, 3, 3, 1, 1, 1}},
      {"conv1", {8, 8, 8, 8, 3, 3, 1, 1, 1}},
      {"conv2", {8, 16, 8, 8, 3, 3, 2, 1, 1}},
      {"fc", pe::fully_connected(16, 4)}};
  for (const auto& [name, shape] : shapes) {
    energy::LutLayer l;
    l.name = name, l.shape = shape;
    for (const std::string& c : candidates) {
      energy::LutEntry e;
      e.candidate = c, e.energy_pj = tiny_energy(c), e.cycles = int64_t(tiny_energy(c)) * 10;
      l.entries.push_back(e);
    }
    lut.layers.push_back(l);
  }
  return lut;
}

// A LUT over `candidates` for every MAC layer of a workload (tiny_energy per entry), for
// exporting a real model.
inline energy::Lut workload_lut(const spec::Workload& w, const std::vector<pe::Candidate>& candidates) {
  energy::Lut lut = tiny_lut({});
  lut.layers.clear();
  for (const pe::Candidate& c : candidates) lut.candidates.push_back(pe::to_string(c));
  for (const spec::Layer& l : w.layers) {
    if (!l.is_mac()) continue;
    energy::LutLayer layer;
    layer.name = l.name, layer.shape = l.conv;
    for (const std::string& c : lut.candidates) {
      energy::LutEntry e;
      e.candidate = c, e.energy_pj = tiny_energy(c), e.cycles = 7;
      layer.entries.push_back(e);
    }
    lut.layers.push_back(layer);
  }
  return lut;
}

// A test's export folder in the system's temporary folder; export_dir also empties it.
inline std::string export_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("enos_export_" + name)).string();
}
inline std::string export_dir(const std::string& name) {
  const std::string dir = export_path(name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

// Four classes, each brightening one quadrant of an 8×8 RGB image (uint8, like a dataset).
inline models::TensorSet quadrant_set(int64_t n, uint64_t seed) {
  torch::manual_seed(seed);
  torch::Tensor labels = torch::arange(n) % 4;
  torch::Tensor x = torch::rand({n, 3, 8, 8}) * 100;
  for (int64_t i = 0; i < n; ++i) {
    const int64_t q = labels[i].item<int64_t>();
    x[i].narrow(1, (q / 2) * 4, 4).narrow(2, (q % 2) * 4, 4).add_(120);
  }
  return {x.to(torch::kUInt8), labels};
}

inline models::Dataset quadrant_dataset(int64_t train, int64_t validation, int64_t test) {
  models::Dataset d;
  d.info.name = "quadrants";
  d.info.classes = 4;
  d.info.input = {3, 8, 8};
  d.info.mean = {0.3f, 0.3f, 0.3f}, d.info.stddev = {0.3f, 0.3f, 0.3f};
  d.train = quadrant_set(train, 1);
  if (validation > 0) d.validation = quadrant_set(validation, 2);
  d.test = quadrant_set(test, 3);
  return d;
}

}  // namespace enos::search::testing
