#pragma once
// The layer table of report.md and report.html as data: one Column per quantity, each
// knowing its header, unit, definition and how to show a layer's value. Both renderers loop
// over the same list, so a new per-layer column (e.g. a LUT-vs-replay error with its cause)
// is one entry here.
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace enos::replay {

struct Cell {
  std::string text;     // as shown ("" when the quantity does not apply to the layer)
  std::string pointer;  // JSON pointer of the shown number in report.json ("" for text)
  double scale = 1;     // shown number = report.json value × scale
};

struct Column {
  std::string header;   // "cycles"
  std::string unit;     // "nJ", "%", "" (shown under the header)
  std::string note;     // what it means (HTML: the header's tooltip; Markdown: the legend)
  bool numeric = true;  // right-aligned
  std::function<Cell(const nlohmann::json& layer, std::size_t index)> cell;
};

// The columns for this report (e.g. the energy unit follows the largest layer, and the
// mismatch column appears only when a layer mismatched).
std::vector<Column> layer_columns(const nlohmann::json& report);

// Layers that are pure address remappings (no energy, no cycles): folded away from the
// charts and the table, listed apart.
bool is_routing(const nlohmann::json& layer);

// A row of the level table (report.json energy.by_level_*), in hierarchy order.
struct LevelRow {
  std::string key, label, note, color;
};
std::vector<LevelRow> level_rows(const nlohmann::json& report);

}  // namespace enos::replay
