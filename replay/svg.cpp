#include "replay/svg.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace enos::replay::svg {
namespace {

// Plot geometry: a left margin for the axis labels, a bottom margin for the legend.
struct Frame {
  double width, height = 260, left = 70, right = 10, top = 30, bottom = 40;
  double y_max = 1;
  double plot_w() const { return width - left - right; }
  double plot_h() const { return height - top - bottom; }
  double y(double v) const { return top + plot_h() * (1.0 - v / y_max); }
};

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

// The smallest of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k at or above v: round axis ticks
// without wasting half the plot.
double nice_ceiling(double v) {
  if (v <= 0) return 1;
  const double p = std::pow(10.0, std::floor(std::log10(v)));
  for (double m : {1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0})
    if (m * p >= v) return m * p;
  return 10 * p;
}

Frame make_frame(const Chart& c, double y_max) {
  Frame f;
  f.width = std::max(480.0, 70.0 + 10.0 + 10.0 * double(c.categories.size()));
  f.y_max = nice_ceiling(y_max);
  return f;
}

void open_svg(std::ostringstream& o, const Chart& c, const Frame& f) {
  o << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << f.width << "\" height=\"" << f.height
    << "\" font-family=\"sans-serif\" font-size=\"11\">\n<text x=\"" << f.left << "\" y=\"16\" font-size=\"13\" font-weight=\"bold\">"
    << escape(c.title) << "</text>\n";
  for (int t = 0; t <= 4; ++t) {
    const double v = f.y_max * t / 4, y = f.y(v);
    o << "<line x1=\"" << f.left << "\" x2=\"" << f.width - f.right << "\" y1=\"" << y << "\" y2=\"" << y
      << "\" stroke=\"#ddd\"/><text x=\"" << f.left - 4 << "\" y=\"" << y + 4 << "\" text-anchor=\"end\">" << num(v)
      << "</text>\n";
  }
  o << "<text transform=\"translate(12," << f.top + f.plot_h() / 2 << ") rotate(-90)\" text-anchor=\"middle\">"
    << escape(c.y_label) << "</text>\n";
}

void close_svg(std::ostringstream& o, const Chart& c, const Frame& f) {
  double x = f.left;
  const double y = f.height - 12;
  for (const Series& s : c.series) {
    o << "<rect x=\"" << x << "\" y=\"" << y - 9 << "\" width=\"10\" height=\"10\" fill=\"" << s.color << "\"/><text x=\""
      << x + 14 << "\" y=\"" << y << "\">" << escape(s.name) << "</text>\n";
    x += 24 + 7 * double(s.name.size());
  }
  if (c.budget) o << "<line x1=\"" << x << "\" x2=\"" << x + 20 << "\" y1=\"" << y - 4 << "\" y2=\"" << y - 4
                  << "\" stroke=\"#c00\" stroke-dasharray=\"4,3\" stroke-width=\"2\"/><text x=\"" << x + 24 << "\" y=\"" << y
                  << "\">budget</text>\n";
  o << "</svg>\n";
}

void bar(std::ostringstream& o, double x, double w, double y0, double y1, const std::string& color, const std::string& tip) {
  o << "<rect x=\"" << x << "\" y=\"" << std::min(y0, y1) << "\" width=\"" << w << "\" height=\"" << std::fabs(y0 - y1)
    << "\" fill=\"" << color << "\"><title>" << escape(tip) << "</title></rect>\n";
}

}  // namespace

std::string escape(const std::string& text) {
  std::string out;
  for (char ch : text) {
    switch (ch) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += ch;
    }
  }
  return out;
}

std::string stacked_bars(const Chart& c) {
  double top = 0;
  for (std::size_t i = 0; i < c.categories.size(); ++i) {
    double sum = 0;
    for (const Series& s : c.series) sum += s.values[i];
    top = std::max(top, sum);
  }
  const Frame f = make_frame(c, top);
  std::ostringstream o;
  open_svg(o, c, f);
  const double step = f.plot_w() / double(std::max<std::size_t>(1, c.categories.size()));
  for (std::size_t i = 0; i < c.categories.size(); ++i) {
    double base = 0;
    for (const Series& s : c.series) {
      const double v = s.values[i];
      if (v <= 0) continue;
      bar(o, f.left + step * double(i) + step * 0.1, step * 0.8, f.y(base), f.y(base + v), s.color,
          c.categories[i] + ": " + s.name + " " + num(v) + " " + c.y_label);
      base += v;
    }
  }
  close_svg(o, c, f);
  return o.str();
}

std::string grouped_bars(const Chart& c) {
  double top = 0;
  for (const Series& s : c.series)
    for (double v : s.values) top = std::max(top, v);
  const Frame f = make_frame(c, top);
  std::ostringstream o;
  open_svg(o, c, f);
  const double step = f.plot_w() / double(std::max<std::size_t>(1, c.categories.size()));
  const double w = step * 0.8 / double(std::max<std::size_t>(1, c.series.size()));
  for (std::size_t i = 0; i < c.categories.size(); ++i)
    for (std::size_t k = 0; k < c.series.size(); ++k) {
      const Series& s = c.series[k];
      bar(o, f.left + step * double(i) + step * 0.1 + w * double(k), w, f.y(0), f.y(s.values[i]), s.color,
          c.categories[i] + ": " + s.name + " " + num(s.values[i]) + " " + c.y_label);
    }
  close_svg(o, c, f);
  return o.str();
}

std::string lines(const Chart& c) {
  double top = c.budget.value_or(0);
  for (const Series& s : c.series)
    for (double v : s.values) top = std::max(top, v);
  const Frame f = make_frame(c, top * 1.05);
  std::ostringstream o;
  open_svg(o, c, f);
  const double step = f.plot_w() / double(std::max<std::size_t>(1, c.categories.size()));
  for (const Series& s : c.series) {
    o << "<polyline fill=\"none\" stroke-width=\"2\" stroke=\"" << s.color << "\" points=\"";
    for (std::size_t i = 0; i < s.values.size(); ++i) o << f.left + step * (double(i) + 0.5) << "," << f.y(s.values[i]) << " ";
    o << "\"><title>" << escape(s.name) << "</title></polyline>\n";
  }
  if (c.budget)
    o << "<line x1=\"" << f.left << "\" x2=\"" << f.width - f.right << "\" y1=\"" << f.y(*c.budget) << "\" y2=\""
      << f.y(*c.budget) << "\" stroke=\"#c00\" stroke-dasharray=\"4,3\" stroke-width=\"2\"><title>budget " << num(*c.budget)
      << " " << escape(c.y_label) << "</title></line>\n";
  close_svg(o, c, f);
  return o.str();
}

}  // namespace enos::replay::svg
