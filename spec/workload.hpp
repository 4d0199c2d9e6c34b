#pragma once
// The workload description (docs/workload-format.md): a network's layers with shapes.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
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
// Inverse of to_string ("conv", "fc", "maxpool", ...); empty when unknown.
std::optional<LayerType> parse_layer_type(std::string_view text);

struct FeatureShape {
  int C = 1, H = 1, W = 1;
  bool operator==(const FeatureShape& o) const { return C == o.C && H == o.H && W == o.W; }
  bool operator!=(const FeatureShape& o) const { return !(*this == o); }
};
std::string to_string(const FeatureShape& s);  // "C×H×W"

struct Layer {
  std::string name;
  LayerType type = LayerType::Conv;
  pe::ConvShape conv;               // MAC layers only
  // Every layer. `in` is the (first) producer's output shape; for fc it is the map before
  // flattening (conv.C = in.C·in.H·in.W).
  FeatureShape in, out;
  // Non-MAC parameters (MAC layers keep theirs in `conv`): pools use kernel/stride/pad;
  // channel_shuffle uses groups; split uses groups (= parts) and part.
  int kernel = 1, stride = 1, pad = 0, groups = 1;
  int part = 0;                     // split: which of the `groups` equal channel chunks it outputs
  std::vector<std::string> inputs;  // producer layer names; "input" is the network input
  PinnedMapping mapping;            // MAC layers: what the user pinned

  bool is_mac() const { return type == LayerType::Conv || type == LayerType::FullyConnected; }
};

struct Workload {
  std::string name;
  std::string description;  // free text, optional
  std::string file;
  FeatureShape input;
  std::vector<Layer> layers;
};

// The `file` of a workload made of --layer options (enos simulate); its layers are named
// "layer0", "layer1", … in option order.
inline constexpr const char* kLayerOptionFile = "--layer";

Workload parse_workload(const nlohmann::json& doc, const std::string& file);
Workload load_workload(const std::string& file);
// "conv:C,K,H,W,R,S,stride,pad,groups" or "fc:IN,OUT" (the --layer option); throws SpecError
// with file "--layer".
Layer parse_layer_option(const std::string& text);
nlohmann::json to_json(const Workload& w);
// A pinned dataflow the architecture cannot run is the workload's mistake: SpecError
// "<workload file>: workload.layers[i].mapping.dataflow: ..." for the first such layer.
void check_fits(const Workload& w, const ArchSpec& a);
// Where layer i of `w` was written, for messages next to w.file: "workload.layers[i]", or for
// --layer options "layer0 = conv:…" (the option's text, which reproduces the layer).
std::string layer_path(const Workload& w, std::size_t i);
// Multiply-accumulates of one inference: the sum of conv.macs() over the MAC layers.
int64_t mac_count(const Workload& w);

}  // namespace enos::spec
