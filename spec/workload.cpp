// Parsing of the workload description (docs/workload-format.md): layer list, producer
// resolution and shape inference (layer_infer.cpp), and the writer of the same format.
#include "spec/workload.hpp"

#include <array>
#include <map>
#include <utility>

#include "spec/json_reader.hpp"
#include "spec/layer_infer.hpp"

namespace enos::spec {

namespace {

constexpr std::array<std::pair<LayerType, const char*>, 10> kTypeNames{{
    {LayerType::Conv, "conv"},
    {LayerType::FullyConnected, "fc"},
    {LayerType::MaxPool, "maxpool"},
    {LayerType::AvgPool, "avgpool"},
    {LayerType::GlobalAvgPool, "global_avgpool"},
    {LayerType::Add, "add"},
    {LayerType::Concat, "concat"},
    {LayerType::ChannelShuffle, "channel_shuffle"},
    {LayerType::Split, "split"},
    {LayerType::ReLU, "relu"},
}};

constexpr const char* kInput = "input";  // the reserved name of the network input

bool multi_input(LayerType t) { return t == LayerType::Add || t == LayerType::Concat; }

FeatureShape read_input_shape(const JsonNode& node) {
  if (node.size() != 3) node.fail("expected [C, H, W], got an array of " + std::to_string(node.size()));
  return {int(node.at(0).as_int(1, 1 << 16)), int(node.at(1).as_int(1, 1 << 16)), int(node.at(2).as_int(1, 1 << 16))};
}

// What the parser knows while walking the layer list in order.
struct Scope {
  std::map<std::string, FeatureShape> shapes;  // "input" and every layer parsed so far
  std::map<std::string, std::size_t> index;    // every layer name in the document → position
  std::string previous = kInput;               // default producer of a layer without "inputs"
};

std::string read_layer_name(const JsonNode& node, const Scope& scope) {
  JsonNode name = node.at("name");
  std::string s = name.as_string();
  if (s.empty()) name.fail("must not be empty");
  if (s == kInput) name.fail("'input' is reserved for the network input");
  if (scope.shapes.count(s))
    name.fail("duplicate layer name '" + s + "' (first at layers[" + std::to_string(scope.index.at(s)) + "])");
  return s;
}

std::vector<FeatureShape> resolve_inputs(const JsonNode& node, const Scope& scope, Layer& l) {
  if (!node.has("inputs")) {
    if (multi_input(l.type)) node.at("inputs");  // throws "required key is missing"
    l.inputs = {scope.previous};
    return {scope.shapes.at(scope.previous)};
  }
  JsonNode list = node.at("inputs");
  std::size_t n = list.size();
  if (multi_input(l.type) && n < 2) list.fail(to_string(l.type) + " needs at least 2 inputs, got " + std::to_string(n));
  if (!multi_input(l.type) && n != 1)
    list.fail(to_string(l.type) + " takes exactly 1 input, got " + std::to_string(n));
  std::vector<FeatureShape> shapes;
  for (std::size_t k = 0; k < n; ++k) {
    JsonNode item = list.at(k);
    std::string producer = item.as_string();
    auto it = scope.shapes.find(producer);
    if (it == scope.shapes.end()) {
      auto later = scope.index.find(producer);
      if (later != scope.index.end())
        item.fail("producer '" + producer + "' is defined later, at layers[" + std::to_string(later->second) +
                  "] (list layers after their producers)");
      item.fail("unknown producer '" + producer + "' (not 'input' nor an earlier layer)");
    }
    l.inputs.push_back(producer);
    shapes.push_back(it->second);
  }
  return shapes;
}

Layer parse_layer(const JsonNode& node, const Scope& scope) {
  node.expect_object();
  Layer l;
  l.type = *parse_layer_type(node.at("type").as_enum({"conv", "fc", "maxpool", "avgpool", "global_avgpool", "add",
                                                      "concat", "channel_shuffle", "split", "relu"}));
  l.name = read_layer_name(node, scope);
  infer_layer(node, resolve_inputs(node, scope, l), l);
  return l;
}

// Names first, so a forward reference can be told apart from a typo.
std::map<std::string, std::size_t> index_names(const JsonNode& layers) {
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const nlohmann::json& v = layers.at(i).value();
    if (v.is_object() && v.contains("name") && v["name"].is_string()) index.emplace(v["name"].get<std::string>(), i);
  }
  return index;
}

nlohmann::json layer_to_json(const Layer& l) {
  nlohmann::json j = {{"name", l.name}, {"type", to_string(l.type)}, {"inputs", l.inputs}};
  const pe::ConvShape& s = l.conv;
  switch (l.type) {
    case LayerType::Conv:
      j["out_channels"] = s.K;
      j["kernel"] = s.R == s.S ? nlohmann::json(s.R) : nlohmann::json::array({s.R, s.S});
      j["stride"] = s.stride, j["pad"] = s.pad, j["groups"] = s.groups;
      break;
    case LayerType::FullyConnected: j["out_features"] = s.K; break;
    case LayerType::MaxPool:
    case LayerType::AvgPool: j["kernel"] = l.kernel, j["stride"] = l.stride, j["pad"] = l.pad; break;
    case LayerType::ChannelShuffle: j["groups"] = l.groups; break;
    case LayerType::Split: j["parts"] = l.groups, j["part"] = l.part; break;
    default: break;
  }
  if (l.is_mac() && !is_empty(l.mapping)) j["mapping"] = to_json(l.mapping);
  return j;
}

}  // namespace

std::string to_string(LayerType t) {
  for (const auto& [type, name] : kTypeNames)
    if (type == t) return name;
  return "?";
}

std::optional<LayerType> parse_layer_type(std::string_view text) {
  for (const auto& [type, name] : kTypeNames)
    if (text == name) return type;
  return std::nullopt;
}

std::string to_string(const FeatureShape& s) {
  return std::to_string(s.C) + "×" + std::to_string(s.H) + "×" + std::to_string(s.W);
}

Workload parse_workload(const nlohmann::json& doc, const std::string& file) {
  JsonNode root(doc, file, "workload");
  root.reject_unknown_keys({"name", "description", "input", "layers"});
  Workload w;
  w.file = file;
  w.name = root.get_string("name");
  if (w.name.empty()) root.at("name").fail("must not be empty");
  w.description = root.get_string("description", "");
  w.input = read_input_shape(root.at("input"));
  JsonNode layers = root.at("layers");
  if (layers.size() == 0) layers.fail("must list at least one layer");
  Scope scope;
  scope.shapes[kInput] = w.input;
  scope.index = index_names(layers);
  for (std::size_t i = 0; i < layers.size(); ++i) {
    Layer l = parse_layer(layers.at(i), scope);
    scope.shapes[l.name] = l.out;
    scope.previous = l.name;
    w.layers.push_back(std::move(l));
  }
  return w;
}

Workload load_workload(const std::string& file) {
  return parse_workload(load_json_file(file, "workload"), file);
}

nlohmann::json to_json(const Workload& w) {
  nlohmann::json layers = nlohmann::json::array();
  for (const Layer& l : w.layers) layers.push_back(layer_to_json(l));
  nlohmann::json j = {{"name", w.name}, {"input", {w.input.C, w.input.H, w.input.W}}, {"layers", layers}};
  if (!w.description.empty()) j["description"] = w.description;
  return j;
}

void check_fits(const Workload& w, const ArchSpec& a) {
  for (std::size_t i = 0; i < w.layers.size(); ++i) {
    const auto& pinned = w.layers[i].mapping.dataflow;
    if (!pinned || a.supports(*pinned)) continue;
    std::string list;
    for (Dataflow d : a.dataflows) list += (list.empty() ? "" : ", ") + to_string(d);
    throw SpecError(w.file, "workload.layers[" + std::to_string(i) + "].mapping.dataflow",
                    to_string(*pinned) + " is not supported by architecture '" + a.name + "' (supports: " + list + ")");
  }
}

std::string layer_path(const Workload& w, std::size_t i) {
  if (w.file == kLayerOptionFile) return w.layers[i].name + " = " + pe::to_string(w.layers[i].conv);
  return "workload.layers[" + std::to_string(i) + "]";
}

int64_t mac_count(const Workload& w) {
  int64_t total = 0;
  for (const Layer& l : w.layers)
    if (l.is_mac()) total += l.conv.macs();
  return total;
}

}  // namespace enos::spec
