#pragma once
// How one MAC layer is laid onto the array (docs/dataflow.md). Groups are always the outermost
// loop; inside a group the global buffer holds one tile of k_tile output channels × p_tile
// output rows with the whole reduction, visited in `order`.
#include <optional>
#include <string>

#include "spec/arch.hpp"

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

}  // namespace enos::spec
