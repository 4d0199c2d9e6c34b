#include "explore/scatter.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "replay/report_format.hpp"

namespace enos::explore {
namespace {

namespace fmt = replay::fmt;

constexpr double kWidth = 420, kHeight = 320, kTop = 14, kBottom = 48, kRight = 22;

std::string n(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// A padded range with round ticks (1, 2, 2.5 or 5 × 10^k apart).
struct Range {
  double lo, hi, step;
  int decimals;
  double px0, px1;
  double operator()(double v) const { return px0 + (v - lo) / (hi - lo) * (px1 - px0); }
};

Range range_of(const std::vector<const ResultRow*>& rows, double ResultRow::*value) {
  double lo = rows.front()->*value, hi = lo;
  for (const ResultRow* r : rows) lo = std::min(lo, r->*value), hi = std::max(hi, r->*value);
  if (hi <= lo) {  // one value: a small window around it
    const double pad = lo != 0 ? std::fabs(lo) * 0.1 : 1;
    lo -= pad, hi += pad;
  }
  const double raw = (hi - lo) / 4, mag = std::pow(10.0, std::floor(std::log10(raw)));
  double m = 10;
  for (double c : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (c * mag >= raw) {
      m = c;
      break;
    }
  const double step = m * mag;
  Range r{std::floor(lo / step) * step, std::ceil(hi / step) * step, step, 0, 0, 0};
  if (r.hi - r.lo < step * 2) r.hi += step;  // room on both sides of lone points
  r.decimals = std::max(0, -int(std::floor(std::log10(step) + 1e-9)) + (m == 2.5 ? 1 : 0));
  return r;
}

std::string tick_label(const Range& r, double v) { return fmt::number(std::fabs(v) < r.step * 1e-9 ? 0 : v, r.decimals); }

// The tick values lo, lo + step, …, hi (by index, so no rounding drift accumulates).
std::vector<double> ticks(const Range& r) {
  std::vector<double> out;
  const long count = std::lround((r.hi - r.lo) / r.step);
  for (long i = 0; i <= count; ++i) out.push_back(r.lo + r.step * double(i));
  return out;
}

double label_width(const Range& r) {  // px of the widest tick label at font size 10
  std::size_t chars = 0;
  for (double v : ticks(r)) chars = std::max(chars, tick_label(r, v).size());
  return 6.0 * double(chars);
}

std::string axes(const Range& sx, const Range& sy, const ScatterAxis& x, const ScatterAxis& y) {
  std::string s;
  for (double v : ticks(sx))
    s += "<line x1=\"" + n(sx(v)) + "\" x2=\"" + n(sx(v)) + "\" y1=\"" + n(sy.px0) + "\" y2=\"" + n(sy.px1) +
         "\" stroke=\"#eee\"/><text x=\"" + n(sx(v)) + "\" y=\"" + n(sy.px0 + 14) + "\" text-anchor=\"middle\">" +
         tick_label(sx, v) + "</text>";
  for (double v : ticks(sy))
    s += "<line x1=\"" + n(sx.px0) + "\" x2=\"" + n(sx.px1) + "\" y1=\"" + n(sy(v)) + "\" y2=\"" + n(sy(v)) +
         "\" stroke=\"#eee\"/><text x=\"" + n(sx.px0 - 4) + "\" y=\"" + n(sy(v) + 3.5) + "\" text-anchor=\"end\">" +
         tick_label(sy, v) + "</text>";
  s += "<rect x=\"" + n(sx.px0) + "\" y=\"" + n(sy.px1) + "\" width=\"" + n(sx.px1 - sx.px0) + "\" height=\"" +
       n(sy.px0 - sy.px1) + "\" fill=\"none\" stroke=\"#888\"/>";
  s += "<text x=\"" + n((sx.px0 + sx.px1) / 2) + "\" y=\"" + n(kHeight - 8) + "\" text-anchor=\"middle\">" + x.label + "</text>";
  s += "<text transform=\"translate(12," + n((sy.px0 + sy.px1) / 2) + ") rotate(-90)\" text-anchor=\"middle\">" + y.label +
       "</text>";
  return s;
}

std::string tooltip(const ResultRow& r, const ScatterStyle& style) {
  const nlohmann::json& f = r.fields;
  return f["point"].get<std::string>() + " · " + f["operator"].get<std::string>() + (r.pareto ? " · on the front" : "") +
         "\n" + settings_text(r, style.swept_keys) + "\n" + fmt::number(r.energy_uj, fmt::decimals_for(r.energy_uj, 4)) +
         " µJ · " + fmt::number(r.latency_us, fmt::decimals_for(r.latency_us, 4)) + " µs · " +
         fmt::number(r.area_mm2, fmt::decimals_for(r.area_mm2, 4)) + " mm²";
}

}  // namespace

std::string dataflows_text(const ResultRow& row) {
  std::string out;
  if (!row.fields.contains("dataflows")) return out;
  for (const auto& d : row.fields["dataflows"]) out += (out.empty() ? "" : "+") + fmt::dataflow_abbrev(d.get<std::string>());
  return out;
}

std::string setting_value(const ResultRow& row, const std::string& key) {
  const nlohmann::json& v = row.fields.contains(key) ? row.fields[key] : nlohmann::json();
  if (key == "arch.dataflows" && v.is_array()) {
    std::string text;
    for (const auto& d : v) text += (text.empty() ? "" : "+") + fmt::dataflow_abbrev(d.get<std::string>());
    return text;
  }
  if (v.is_null() || v == "null") return "removed";  // a key the point deletes (docs/explore.md)
  return v.is_string() ? v.get<std::string>() : v.dump();
}

std::string settings_text(const ResultRow& row, const std::vector<std::string>& swept_keys) {
  std::string out;
  for (const std::string& k : swept_keys) out += (out.empty() ? "" : ", ") + k.substr(k.find('.') + 1) + "=" + setting_value(row, k);
  return out.empty() ? "base architecture" : out;
}

std::string marker(const std::string& shape, double x, double y, double r, const std::string& attributes) {
  if (shape == "circle") return "<circle cx=\"" + n(x) + "\" cy=\"" + n(y) + "\" r=\"" + n(r) + "\" " + attributes + "/>";
  std::string d;
  if (shape == "square") {
    const double h = r * 0.9;
    d = "M" + n(x - h) + " " + n(y - h) + "H" + n(x + h) + "V" + n(y + h) + "H" + n(x - h) + "Z";
  } else if (shape == "triangle") {
    d = "M" + n(x) + " " + n(y - r * 1.15) + "L" + n(x + r * 1.1) + " " + n(y + r * 0.8) + "L" + n(x - r * 1.1) + " " +
        n(y + r * 0.8) + "Z";
  } else {  // diamond
    d = "M" + n(x) + " " + n(y - r * 1.2) + "L" + n(x + r * 1.2) + " " + n(y) + "L" + n(x) + " " + n(y + r * 1.2) + "L" +
        n(x - r * 1.2) + " " + n(y) + "Z";
  }
  return "<path d=\"" + d + "\" " + attributes + "/>";
}

std::string scatter_svg(const std::vector<const ResultRow*>& rows, const ScatterAxis& x, const ScatterAxis& y,
                        const ScatterStyle& style) {
  Range sy = range_of(rows, y.value), sx = range_of(rows, x.value);
  const double left = 22 + label_width(sy) + 6;
  sx.px0 = left, sx.px1 = kWidth - kRight, sy.px0 = kHeight - kBottom, sy.px1 = kTop;
  // Scales down (viewBox) so two fit side by side in an 800 px window; never up.
  std::string svg = "<svg class=\"scatter\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + n(kWidth) + " " +
                    n(kHeight) + "\" width=\"" + n(kWidth) + "\" height=\"" + n(kHeight) +
                    "\" font-size=\"10\" font-family=\"sans-serif\">" + axes(sx, sy, x, y);
  for (bool front : {false, true})  // the front last, so it stays on top
    for (const ResultRow* r : rows) {
      if (r->pareto != front) continue;
      const std::string id = r->fields["point"].get<std::string>();
      const std::string color = fmt::operator_color(r->fields["operator"].get<std::string>());
      const auto shape = style.shape_of.find(dataflows_text(*r));
      const std::string attrs = "class=\"pt\" fill=\"" + color + "\"" +
                                (front ? " stroke=\"#000\" stroke-width=\"1.5\"" : " fill-opacity=\"0.45\"");
      svg += "<a href=\"points/" + fmt::escape_html(id) + ".json\"><title>" + fmt::escape_html(tooltip(*r, style)) + "</title>" +
             marker(shape == style.shape_of.end() ? "circle" : shape->second, sx(r->*x.value), sy(r->*y.value),
                    front ? 5 : 3.5, attrs) +
             "</a>";
    }
  return svg + "</svg>";
}

}  // namespace enos::explore
