#pragma once
// The workload description (docs/workload-format.md): a network's layers with shapes.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pe/conv_shape.hpp"
#include "spec/mapping.hpp"

namespace enos::spec {

enum class LayerType {
  Conv,            // includes grouped, depthwise and pointwise
  FullyConnected,  // a 1x1 conv on a 1x1 map
  MaxPool, AvgPool, GlobalAvgPool, Add, Concat, ChannelShuffle, Split, ReLU
};
std::string to_string(LayerType t);

struct FeatureShape {
  int C = 1, H = 1, W = 1;
};

struct Layer {
  std::string name;
  LayerType type = LayerType::Conv;
  pe::ConvShape conv;               // MAC layers only
  FeatureShape in, out;             // every layer
  int kernel = 1, stride = 1, pad = 0, groups = 1;  // pools, shuffle (groups), split
  std::vector<std::string> inputs;  // producer layer names; "input" is the network input
  PinnedMapping mapping;            // MAC layers: what the user pinned

  bool is_mac() const { return type == LayerType::Conv || type == LayerType::FullyConnected; }
};

struct Workload {
  std::string name;
  std::string file;
  FeatureShape input;
  std::vector<Layer> layers;
};

Workload parse_workload(const nlohmann::json& doc, const std::string& file);
Workload load_workload(const std::string& file);
// "conv:C,K,H,W,R,S,stride,pad,groups" or "fc:IN,OUT" (the --layer option); throws SpecError
// with file "--layer".
Layer parse_layer_option(const std::string& text);
nlohmann::json to_json(const Workload& w);

}  // namespace enos::spec
