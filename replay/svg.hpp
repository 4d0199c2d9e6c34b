#pragma once
// The report's per-layer charts as one self-contained SVG (no scripts, no external files, so
// the report opens offline): several plots stacked over one shared x axis of layers, so a
// layer's cycles, energy and cumulative energy sit exactly above each other, then a coloured
// strip (the operator of each layer) and the layer names. A new per-layer quantity is one
// more Plot.
#include <optional>
#include <string>
#include <vector>

namespace enos::replay::svg {

struct Series {
  std::string name, color;
  std::vector<double> values;  // one per category, in the plot's unit
};

struct Plot {
  std::string title;           // "Cycles per layer by cause"
  std::string unit;            // the axis unit: "k cycles", "nJ"
  bool lines = false;          // false: series stacked as bars; true: one polyline per series
  std::vector<Series> series;
  std::optional<double> reference;  // a dashed horizontal line (the budget), in the plot's unit
  std::string reference_label;
  double height = 110;         // px of the plotting area
};

struct Strip {  // one coloured cell per category under the plots
  std::string title;
  std::vector<std::string> colors, tips;
  std::vector<std::pair<std::string, std::string>> legend;  // name, colour
};

struct Panel {
  std::vector<std::string> categories;  // the layers, named under the strip
  std::vector<Plot> plots;
  Strip strip;  // none when colors is empty
};

std::string panel(const Panel& p);

// Round axis steps: 1, 2, 2.5 or 5 × 10^k, at most `ticks` of them up to `max`.
struct Axis {
  double step = 1, top = 1;
  int decimals = 0;
};
Axis nice_axis(double max, int ticks = 5);

}  // namespace enos::replay::svg
