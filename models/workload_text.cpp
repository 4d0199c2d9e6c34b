#include "models/workload_text.hpp"

#include <algorithm>
#include <sstream>
#include <stdexcept>

namespace enos::models {
namespace {

// Arrays of numbers or names with a space after each comma, as people write them.
std::string compact(const nlohmann::json& value) {
  if (!value.is_array()) return value.dump();
  std::string text = "[";
  for (std::size_t i = 0; i < value.size(); ++i) text += (i ? ", " : "") + compact(value[i]);
  return text + "]";
}

// Reading order: what the layer is and where its data comes from, then its shape parameters
// in docs/workload-format.md's order; any other key after them.
std::string layer_line(const nlohmann::json& layer) {
  static const std::vector<std::string> kOrder = {"name", "type", "inputs", "out_channels", "out_features", "kernel",
                                                  "stride", "pad", "groups", "parts", "part"};
  std::string line;
  auto append = [&line](const std::string& key, const nlohmann::json& value) {
    line += (line.empty() ? "" : ", ") + nlohmann::json(key).dump() + ": " + compact(value);
  };
  for (const std::string& key : kOrder)
    if (layer.contains(key)) append(key, layer.at(key));
  for (const auto& [key, value] : layer.items())
    if (std::find(kOrder.begin(), kOrder.end(), key) == kOrder.end()) append(key, value);
  return "{" + line + "}";
}

int parse_dimension(const std::string& text, const std::string& whole) {
  std::size_t used = 0;
  int value = 0;
  try {
    value = std::stoi(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || value < 1 || value > 65536)
    throw std::invalid_argument("input shape '" + whole + "': expected HxWxC with positive integers, e.g. 32x32x3");
  return value;
}

}  // namespace

std::string workload_text(const spec::Workload& w) {
  const nlohmann::json j = spec::to_json(w);
  std::ostringstream out;
  out << "{\n  \"name\": " << j.at("name").dump() << ",\n";
  if (j.contains("description")) out << "  \"description\": " << j.at("description").dump() << ",\n";
  out << "  \"input\": " << compact(j.at("input")) << ",\n  \"layers\": [\n";
  const auto& layers = j.at("layers");
  for (std::size_t i = 0; i < layers.size(); ++i)
    out << "    " << layer_line(layers[i]) << (i + 1 < layers.size() ? ",\n" : "\n");
  out << "  ]\n}\n";
  return out.str();
}

spec::FeatureShape parse_input_shape(const std::string& text) {
  std::vector<std::string> parts(1);
  for (char ch : text) {
    if (ch == 'x' || ch == 'X')
      parts.emplace_back();
    else
      parts.back() += ch;
  }
  if (parts.size() != 3)
    throw std::invalid_argument("input shape '" + text + "': expected HxWxC, e.g. 32x32x3 or 28x28x1");
  spec::FeatureShape s;
  s.H = parse_dimension(parts[0], text), s.W = parse_dimension(parts[1], text), s.C = parse_dimension(parts[2], text);
  return s;
}

std::string input_shape_text(const spec::FeatureShape& s) {
  return std::to_string(s.H) + "x" + std::to_string(s.W) + "x" + std::to_string(s.C);
}

}  // namespace enos::models
