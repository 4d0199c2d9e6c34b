#pragma once
// How one MAC layer is laid onto the array (docs/dataflow.md). Groups are always the outermost
// loop; inside a group the global buffer holds one tile of k_tile output channels × p_tile
// output rows with the whole reduction, visited in `order`; inside a tile the array's passes
// fold its two dimensions in `pass_order` and fill and drain over `pass_span`.
#include <optional>
#include <string>

#include <string_view>

#include "spec/arch.hpp"
#include "spec/json_reader.hpp"

namespace enos::spec {

enum class LoopOrder { KOuter, POuter };
std::string to_string(LoopOrder o);

// Which of the array's dimensions is folded in the outer loop of a tile's passes: the
// columns' (output channels under weight- and output-stationary, output pixels under
// input-stationary) or the rows' (reduction; output pixels under output-stationary).
enum class PassOrder { ColsOuter, RowsOuter };
std::string to_string(PassOrder o);
// The order each dataflow uses unless told otherwise: output-stationary walks output pixels
// outermost (rows), the others the columns.
PassOrder natural_pass_order(Dataflow d);

// Over which PEs a pass's wavefront fills and drains: only the rows and columns it uses (the
// array has bypasses to its edges), or the whole array (it has none: partial sums run through
// every row, operands through every column, as SCALE-Sim times every fold). It changes when
// things happen, not what moves: the counts are the same.
enum class PassSpan { UsedPes, WholeArray };
std::string to_string(PassSpan s);

// A whole mapping named after the tool whose figures it reproduces. `scalesim`: SCALE-Sim
// v2's for the dataflow — the whole layer in one global-buffer tile, single-buffered, the
// array's column folds outermost, every pass over the whole array (docs/dataflow.md).
enum class MappingPreset { ScaleSim };
std::string to_string(MappingPreset p);

struct Mapping {
  Dataflow dataflow = Dataflow::WeightStationary;
  int k_tile = 1;  // output channels (of one group) per global-buffer tile
  int p_tile = 1;  // output rows per global-buffer tile
  LoopOrder order = LoopOrder::KOuter;
  bool double_buffer = true;  // prefetch the next tile while computing this one
  std::optional<PassOrder> pass_order;  // unset: natural_pass_order(dataflow)
  PassSpan pass_span = PassSpan::UsedPes;
};
inline PassOrder pass_order_of(const Mapping& m) { return m.pass_order.value_or(natural_pass_order(m.dataflow)); }

// What a user pinned in JSON; the mapper fills in the rest. A preset fills every field the
// pin leaves open but the dataflow ({"preset": "scalesim", "pass_span": "used_pes"}: SCALE-Sim's
// mapping on an array with bypasses).
struct PinnedMapping {
  std::optional<Dataflow> dataflow;
  std::optional<int> k_tile, p_tile;
  std::optional<LoopOrder> order;
  std::optional<bool> double_buffer;
  std::optional<PassOrder> pass_order;
  std::optional<PassSpan> pass_span;
  std::optional<MappingPreset> preset;
};

// pass_order and pass_span appear only when they differ from the defaults, so mappings
// written before they existed read back the same.
nlohmann::json to_json(const Mapping& m);
// Inverse of to_string ("k_outer", "p_outer"); empty when unknown.
std::optional<LoopOrder> parse_loop_order(std::string_view text);

// The "mapping" object of a workload layer: every key optional, types and lower bounds checked
// here; bounds that depend on the layer's shape are the caller's (parse_workload checks them).
PinnedMapping parse_pinned_mapping(const JsonNode& node);
// A complete mapping as to_json(Mapping) writes it: every key required but pass_order and
// pass_span (defaults), and no preset.
Mapping parse_mapping(const JsonNode& node);
// Only the pinned members; an empty object when nothing is pinned.
nlohmann::json to_json(const PinnedMapping& m);
bool is_empty(const PinnedMapping& m);

}  // namespace enos::spec
