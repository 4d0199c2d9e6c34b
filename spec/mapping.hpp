#pragma once
// How one MAC layer is laid onto the array (docs/dataflow.md). Groups are always the outermost
// loop; inside a group the global buffer holds one tile of k_tile output channels × p_tile
// output rows with the whole reduction, visited in `order`.
#include <optional>
#include <string>

#include <string_view>

#include "spec/arch.hpp"
#include "spec/json_reader.hpp"

namespace enos::spec {

enum class LoopOrder { KOuter, POuter };
std::string to_string(LoopOrder o);

struct Mapping {
  Dataflow dataflow = Dataflow::WeightStationary;
  int k_tile = 1;  // output channels (of one group) per global-buffer tile
  int p_tile = 1;  // output rows per global-buffer tile
  LoopOrder order = LoopOrder::KOuter;
  bool double_buffer = true;  // prefetch the next tile while computing this one
};

// What a user pinned in JSON; the mapper fills in the rest.
struct PinnedMapping {
  std::optional<Dataflow> dataflow;
  std::optional<int> k_tile, p_tile;
  std::optional<LoopOrder> order;
  std::optional<bool> double_buffer;
};

nlohmann::json to_json(const Mapping& m);
// Inverse of to_string ("k_outer", "p_outer"); empty when unknown.
std::optional<LoopOrder> parse_loop_order(std::string_view text);

// The "mapping" object of a workload layer: every key optional, types and lower bounds checked
// here; bounds that depend on the layer's shape are the caller's (parse_workload checks them).
PinnedMapping parse_pinned_mapping(const JsonNode& node);
// A complete mapping as to_json(Mapping) writes it: every key required.
Mapping parse_mapping(const JsonNode& node);
// Only the pinned members; an empty object when nothing is pinned.
nlohmann::json to_json(const PinnedMapping& m);
bool is_empty(const PinnedMapping& m);

}  // namespace enos::spec
