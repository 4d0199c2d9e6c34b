#include "spec/mapping.hpp"

namespace enos::spec {

std::string to_string(LoopOrder o) { return o == LoopOrder::KOuter ? "k_outer" : "p_outer"; }

std::optional<LoopOrder> parse_loop_order(std::string_view text) {
  if (text == "k_outer") return LoopOrder::KOuter;
  if (text == "p_outer") return LoopOrder::POuter;
  return std::nullopt;
}

nlohmann::json to_json(const Mapping& m) {
  return {{"dataflow", to_string(m.dataflow)},
          {"k_tile", m.k_tile},
          {"p_tile", m.p_tile},
          {"loop_order", to_string(m.order)},
          {"double_buffer", m.double_buffer}};
}

PinnedMapping parse_pinned_mapping(const JsonNode& node) {
  node.reject_unknown_keys({"dataflow", "k_tile", "p_tile", "loop_order", "double_buffer"});
  PinnedMapping p;
  if (node.has("dataflow"))
    p.dataflow = parse_dataflow(node.at("dataflow").as_enum({"weight_stationary", "output_stationary"}));
  // Upper bounds here only keep ints in range; the layer's shape gives the real ones.
  if (node.has("k_tile")) p.k_tile = int(node.at("k_tile").as_int(1, 1 << 20));
  if (node.has("p_tile")) p.p_tile = int(node.at("p_tile").as_int(1, 1 << 20));
  if (node.has("loop_order")) p.order = parse_loop_order(node.at("loop_order").as_enum({"k_outer", "p_outer"}));
  if (node.has("double_buffer")) p.double_buffer = node.at("double_buffer").as_bool();
  return p;
}

nlohmann::json to_json(const PinnedMapping& m) {
  nlohmann::json j = nlohmann::json::object();
  if (m.dataflow) j["dataflow"] = to_string(*m.dataflow);
  if (m.k_tile) j["k_tile"] = *m.k_tile;
  if (m.p_tile) j["p_tile"] = *m.p_tile;
  if (m.order) j["loop_order"] = to_string(*m.order);
  if (m.double_buffer) j["double_buffer"] = *m.double_buffer;
  return j;
}

bool is_empty(const PinnedMapping& m) {
  return !m.dataflow && !m.k_tile && !m.p_tile && !m.order && !m.double_buffer;
}

Mapping parse_mapping(const JsonNode& node) {
  const PinnedMapping p = parse_pinned_mapping(node);
  for (const char* key : {"dataflow", "k_tile", "p_tile", "loop_order", "double_buffer"})
    if (!node.has(key)) node.fail(std::string("missing key '") + key + "'");
  Mapping m;
  m.dataflow = *p.dataflow;
  m.k_tile = *p.k_tile;
  m.p_tile = *p.p_tile;
  m.order = *p.order;
  m.double_buffer = *p.double_buffer;
  return m;
}

}  // namespace enos::spec
