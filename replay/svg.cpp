#include "replay/svg.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "replay/report_format.hpp"

namespace enos::replay::svg {
namespace {

using fmt::escape_html;

constexpr double kLeft = 72, kRight = 16, kTitle = 22, kGap = 14, kStrip = 12, kLabelFont = 10;
constexpr std::size_t kLabelChars = 22;  // longer names are cut (the full name is the tooltip)

std::string n(double v) {
  std::ostringstream o;
  o << std::round(v * 10) / 10;
  return o.str();
}

struct Geometry {
  double width, plot_w, step;
  double x(std::size_t i) const { return kLeft + step * double(i); }
};

Geometry geometry(std::size_t categories) {
  const double count = double(std::max<std::size_t>(1, categories));
  // Wide enough for a readable bar per layer, never wider than a 1400 px page's column.
  const double plot_w = std::clamp(count * 26.0, 300.0, 1200.0);
  return {kLeft + plot_w + kRight, plot_w, plot_w / count};
}

double series_top(const Plot& p, std::size_t categories) {
  double top = p.reference.value_or(0);
  if (p.lines) {
    for (const Series& s : p.series)
      for (double v : s.values) top = std::max(top, v);
    return top;
  }
  for (std::size_t i = 0; i < categories; ++i) {
    double sum = 0;
    for (const Series& s : p.series) sum += std::max(0.0, s.values[i]);
    top = std::max(top, sum);
  }
  return top;
}

void legend(std::ostringstream& o, double x, double y, const std::vector<std::pair<std::string, std::string>>& items) {
  for (const auto& [name, color] : items) {
    o << "<rect x=\"" << n(x) << "\" y=\"" << n(y - 9) << "\" width=\"10\" height=\"10\" fill=\"" << color
      << "\"/><text x=\"" << n(x + 13) << "\" y=\"" << n(y) << "\">" << escape_html(name) << "</text>";
    x += 24 + 6.2 * double(name.size());
  }
  o << "\n";
}

void axis(std::ostringstream& o, const Geometry& g, double top_y, double h, const Axis& a, const std::string& unit) {
  for (double v = 0; v <= a.top + a.step * 1e-9; v += a.step) {
    const double y = top_y + h * (1 - v / a.top);
    o << "<line x1=\"" << kLeft << "\" x2=\"" << n(kLeft + g.plot_w) << "\" y1=\"" << n(y) << "\" y2=\"" << n(y)
      << "\" stroke=\"" << (v == 0 ? "#888" : "#e4e4e4") << "\"/><text x=\"" << kLeft - 5 << "\" y=\"" << n(y + 4)
      << "\" text-anchor=\"end\">" << fmt::number(v, a.decimals) << "</text>\n";
  }
  o << "<text transform=\"translate(14," << n(top_y + h / 2) << ") rotate(-90)\" text-anchor=\"middle\">"
    << escape_html(unit) << "</text>\n";
}

void bars(std::ostringstream& o, const Plot& p, const Panel& panel, const Geometry& g, double top_y, const Axis& a) {
  for (std::size_t i = 0; i < panel.categories.size(); ++i) {
    double base = 0;
    for (const Series& s : p.series) {
      const double v = s.values[i];
      if (v <= 0) continue;
      const double y0 = top_y + p.height * (1 - base / a.top), y1 = top_y + p.height * (1 - (base + v) / a.top);
      o << "<rect class=\"m\" x=\"" << n(g.x(i) + g.step * 0.12) << "\" y=\"" << n(y1) << "\" width=\"" << n(g.step * 0.76)
        << "\" height=\"" << n(std::max(0.0, y0 - y1)) << "\" fill=\"" << s.color << "\"><title>"
        << escape_html(panel.categories[i] + ": " + s.name + " " + fmt::number(v, fmt::decimals_for(v)) + " " + p.unit)
        << "</title></rect>";
      base += v;
    }
    o << "\n";
  }
}

void lines(std::ostringstream& o, const Plot& p, const Panel& panel, const Geometry& g, double top_y, const Axis& a) {
  for (const Series& s : p.series) {
    o << "<polyline class=\"m\" fill=\"none\" stroke-width=\"2\" stroke=\"" << s.color << "\" points=\"";
    for (std::size_t i = 0; i < s.values.size(); ++i)
      o << n(g.x(i) + g.step / 2) << "," << n(top_y + p.height * (1 - s.values[i] / a.top)) << " ";
    o << "\"><title>" << escape_html(s.name) << "</title></polyline>\n";
    for (std::size_t i = 0; i < s.values.size(); ++i)
      o << "<circle cx=\"" << n(g.x(i) + g.step / 2) << "\" cy=\"" << n(top_y + p.height * (1 - s.values[i] / a.top))
        << "\" r=\"2\" fill=\"" << s.color << "\"><title>"
        << escape_html(panel.categories[i] + ": " + s.name + " " + fmt::number(s.values[i], fmt::decimals_for(s.values[i])) +
                       " " + p.unit)
        << "</title></circle>";
    o << "\n";
  }
  if (!p.reference) return;
  const double y = top_y + p.height * (1 - *p.reference / a.top);
  o << "<line x1=\"" << kLeft << "\" x2=\"" << n(kLeft + g.plot_w) << "\" y1=\"" << n(y) << "\" y2=\"" << n(y)
    << "\" stroke=\"#c00\" stroke-dasharray=\"5,3\" stroke-width=\"1.5\"><title>"
    << escape_html(p.reference_label + " " + fmt::number(*p.reference, fmt::decimals_for(*p.reference)) + " " + p.unit)
    << "</title></line>\n";
}

// Returns the y below the plot.
double plot(std::ostringstream& o, const Plot& p, const Panel& panel, const Geometry& g, double y) {
  const Axis a = nice_axis(series_top(p, panel.categories.size()));
  std::vector<std::pair<std::string, std::string>> items;
  for (const Series& s : p.series) items.emplace_back(s.name, s.color);
  if (p.reference) items.emplace_back(p.reference_label + " (dashed)", "#c00");
  o << "<g class=\"plot\" data-title=\"" << escape_html(p.title) << "\" data-x0=\"" << kLeft << "\" data-x1=\""
    << n(kLeft + g.plot_w) << "\">\n<text x=\"" << kLeft << "\" y=\"" << n(y + 14)
    << "\" font-size=\"13\" font-weight=\"bold\">" << escape_html(p.title) << "</text>";
  legend(o, kLeft + 24 + 8.0 * double(p.title.size()), y + 14, items);  // after the bold title
  const double top_y = y + kTitle;
  axis(o, g, top_y, p.height, a, p.unit);
  if (p.lines) lines(o, p, panel, g, top_y, a);
  else bars(o, p, panel, g, top_y, a);
  o << "</g>\n";
  return top_y + p.height + kGap;
}

std::string cut(const std::string& name) {
  return name.size() <= kLabelChars ? name : name.substr(0, kLabelChars - 1) + "…";
}

double strip_and_labels(std::ostringstream& o, const Panel& p, const Geometry& g, double y) {
  if (!p.strip.colors.empty()) {
    o << "<g class=\"strip\"><text x=\"" << kLeft - 5 << "\" y=\"" << n(y + 10) << "\" text-anchor=\"end\">"
      << escape_html(p.strip.title) << "</text>";
    for (std::size_t i = 0; i < p.categories.size(); ++i)
      o << "<rect x=\"" << n(g.x(i) + g.step * 0.06) << "\" y=\"" << n(y) << "\" width=\"" << n(g.step * 0.88)
        << "\" height=\"" << kStrip << "\" fill=\"" << p.strip.colors[i] << "\"><title>"
        << escape_html(p.categories[i] + ": " + p.strip.tips[i]) << "</title></rect>";
    o << "</g>\n";
    y += kStrip + 4;
  }
  std::size_t longest = 0;
  for (const std::string& c : p.categories) longest = std::max(longest, std::min(kLabelChars, c.size()));
  o << "<g class=\"labels\" font-size=\"" << kLabelFont << "\">";
  for (std::size_t i = 0; i < p.categories.size(); ++i)
    o << "<text transform=\"translate(" << n(g.x(i) + g.step / 2 + 3.5) << "," << n(y + 2)
      << ") rotate(-90)\" text-anchor=\"end\"><title>" << escape_html(p.categories[i]) << "</title>"
      << escape_html(cut(p.categories[i])) << "</text>";
  o << "</g>\n";
  y += 6 + 6.0 * double(longest);
  if (!p.strip.legend.empty()) {
    legend(o, kLeft, y + 12, p.strip.legend);
    y += 20;
  }
  return y;
}

}  // namespace

Axis nice_axis(double max, int ticks) {
  Axis a;
  if (!(max > 0)) return a;
  const double raw = max / ticks, mag = std::pow(10.0, std::floor(std::log10(raw)));
  double m = 10;
  for (double c : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (c * mag >= raw * (1 - 1e-12)) {
      m = c;
      break;
    }
  a.step = m * mag;
  a.top = a.step * std::ceil(max / a.step - 1e-9);
  a.decimals = std::max(0, -int(std::floor(std::log10(a.step) + 1e-9)) + (m == 2.5 ? 1 : 0));
  return a;
}

std::string panel(const Panel& p) {
  const Geometry g = geometry(p.categories.size());
  std::ostringstream body;
  double y = 4;
  for (const Plot& pl : p.plots) y = plot(body, pl, p, g, y);
  y = strip_and_labels(body, p, g, y);
  std::ostringstream o;
  o << "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"layer-panel\" data-layers=\"" << p.categories.size()
    << "\" width=\"" << n(g.width) << "\" height=\"" << n(y + 4) << "\" viewBox=\"0 0 " << n(g.width) << " " << n(y + 4)
    << "\" font-family=\"sans-serif\" font-size=\"11\">\n"
    << body.str() << "</svg>\n";
  return o.str();
}

}  // namespace enos::replay::svg
