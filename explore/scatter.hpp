#pragma once
// One scatter plot of index.html (enos explore): valid rows of one workload, coloured by
// operator, shaped by the point's dataflows, the Pareto front drawn larger and outlined, each
// marker a link to its point's record with the swept settings in its tooltip.
#include <map>
#include <string>
#include <vector>

#include "explore/results.hpp"

namespace enos::explore {

struct ScatterAxis {
  const char* label;  // with its unit: "energy per inference (µJ)"
  double ResultRow::*value;
};

struct ScatterStyle {
  std::map<std::string, std::string> shape_of;  // dataflows text ("WS+OS") → "circle", "square", …
  std::vector<std::string> swept_keys;          // results columns "arch.<key>" shown in tooltips
};

std::string scatter_svg(const std::vector<const ResultRow*>& rows, const ScatterAxis& x, const ScatterAxis& y,
                        const ScatterStyle& style);

// "WS+OS" from the row's `dataflows` ("" when the record has none).
std::string dataflows_text(const ResultRow& row);
// The row's value of a swept key ("arch.clock_mhz" → "250"; dataflows abbreviated).
std::string setting_value(const ResultRow& row, const std::string& key);
// "noc.topology=systolic, clock_mhz=250, …" for the swept keys.
std::string settings_text(const ResultRow& row, const std::vector<std::string>& swept_keys);
// Draws a marker of `shape` centred at (x, y) with radius r: "<circle …>" or "<path …>".
std::string marker(const std::string& shape, double x, double y, double r, const std::string& attributes);

}  // namespace enos::explore
