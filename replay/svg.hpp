#pragma once
// Small self-contained SVG bar and line charts for the HTML report (no scripts, no external
// files, so the report opens offline).
#include <optional>
#include <string>
#include <vector>

namespace enos::replay::svg {

struct Series {
  std::string name, color;
  std::vector<double> values;  // one per category
};

struct Chart {
  std::string title, y_label;        // y_label carries the unit, e.g. "pJ"
  std::vector<std::string> categories;  // x axis (layer names; shown as tooltips)
  std::vector<Series> series;
  std::optional<double> budget;  // a horizontal dashed line (line charts)
};

// Series stacked in one bar per category.
std::string stacked_bars(const Chart& c);
// Series side by side in each category.
std::string grouped_bars(const Chart& c);
// Series as polylines over the categories, with the budget line when given.
std::string lines(const Chart& c);

std::string escape(const std::string& text);  // for HTML text and attributes

}  // namespace enos::replay::svg
