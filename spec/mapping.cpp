#include "spec/mapping.hpp"

namespace enos::spec {

std::string to_string(LoopOrder o) { return o == LoopOrder::KOuter ? "k_outer" : "p_outer"; }
std::string to_string(PassOrder o) { return o == PassOrder::ColsOuter ? "cols_outer" : "rows_outer"; }
std::string to_string(PassSpan s) { return s == PassSpan::UsedPes ? "used_pes" : "whole_array"; }
std::string to_string(MappingPreset) { return "scalesim"; }

PassOrder natural_pass_order(Dataflow d) {
  return d == Dataflow::OutputStationary ? PassOrder::RowsOuter : PassOrder::ColsOuter;
}

std::optional<LoopOrder> parse_loop_order(std::string_view text) {
  if (text == "k_outer") return LoopOrder::KOuter;
  if (text == "p_outer") return LoopOrder::POuter;
  return std::nullopt;
}

nlohmann::json to_json(const Mapping& m) {
  nlohmann::json j = {{"dataflow", to_string(m.dataflow)},
                      {"k_tile", m.k_tile},
                      {"p_tile", m.p_tile},
                      {"loop_order", to_string(m.order)},
                      {"double_buffer", m.double_buffer}};
  if (m.pass_order) j["pass_order"] = to_string(*m.pass_order);
  if (m.pass_span != PassSpan::UsedPes) j["pass_span"] = to_string(m.pass_span);
  return j;
}

PinnedMapping parse_pinned_mapping(const JsonNode& node) {
  node.reject_unknown_keys(
      {"dataflow", "k_tile", "p_tile", "loop_order", "double_buffer", "pass_order", "pass_span", "preset"});
  PinnedMapping p;
  if (node.has("dataflow"))
    p.dataflow = parse_dataflow(node.at("dataflow").as_enum({"weight_stationary", "output_stationary", "input_stationary"}));
  // Upper bounds here only keep ints in range; the layer's shape gives the real ones.
  if (node.has("k_tile")) p.k_tile = int(node.at("k_tile").as_int(1, 1 << 20));
  if (node.has("p_tile")) p.p_tile = int(node.at("p_tile").as_int(1, 1 << 20));
  if (node.has("loop_order")) p.order = parse_loop_order(node.at("loop_order").as_enum({"k_outer", "p_outer"}));
  if (node.has("double_buffer")) p.double_buffer = node.at("double_buffer").as_bool();
  if (node.has("pass_order"))
    p.pass_order = node.at("pass_order").as_enum({"cols_outer", "rows_outer"}) == "cols_outer" ? PassOrder::ColsOuter
                                                                                               : PassOrder::RowsOuter;
  if (node.has("pass_span"))
    p.pass_span = node.at("pass_span").as_enum({"used_pes", "whole_array"}) == "used_pes" ? PassSpan::UsedPes
                                                                                          : PassSpan::WholeArray;
  if (node.has("preset")) {
    node.at("preset").as_enum({"scalesim"});
    p.preset = MappingPreset::ScaleSim;
  }
  return p;
}

nlohmann::json to_json(const PinnedMapping& m) {
  nlohmann::json j = nlohmann::json::object();
  if (m.dataflow) j["dataflow"] = to_string(*m.dataflow);
  if (m.k_tile) j["k_tile"] = *m.k_tile;
  if (m.p_tile) j["p_tile"] = *m.p_tile;
  if (m.order) j["loop_order"] = to_string(*m.order);
  if (m.double_buffer) j["double_buffer"] = *m.double_buffer;
  if (m.pass_order) j["pass_order"] = to_string(*m.pass_order);
  if (m.pass_span) j["pass_span"] = to_string(*m.pass_span);
  if (m.preset) j["preset"] = to_string(*m.preset);
  return j;
}

bool is_empty(const PinnedMapping& m) {
  return !m.dataflow && !m.k_tile && !m.p_tile && !m.order && !m.double_buffer && !m.pass_order && !m.pass_span &&
         !m.preset;
}

Mapping parse_mapping(const JsonNode& node) {
  const PinnedMapping p = parse_pinned_mapping(node);
  if (node.has("preset")) node.at("preset").fail("a complete mapping names its fields, not a preset");
  for (const char* key : {"dataflow", "k_tile", "p_tile", "loop_order", "double_buffer"})
    if (!node.has(key)) node.fail(std::string("missing key '") + key + "'");
  Mapping m;
  m.dataflow = *p.dataflow;
  m.k_tile = *p.k_tile;
  m.p_tile = *p.p_tile;
  m.order = *p.order;
  m.double_buffer = *p.double_buffer;
  m.pass_order = p.pass_order;
  m.pass_span = p.pass_span.value_or(PassSpan::UsedPes);
  return m;
}

}  // namespace enos::spec
