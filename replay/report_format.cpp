#include "replay/report_format.hpp"

#include <cmath>
#include <cstdio>

namespace enos::replay::fmt {

std::string number(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", std::max(0, decimals), std::fabs(v));
  std::string digits = buf;
  const std::size_t dot = digits.find('.');
  std::string whole = digits.substr(0, dot), frac = dot == std::string::npos ? "" : digits.substr(dot);
  std::string grouped;
  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (i && (whole.size() - i) % 3 == 0) grouped += ',';
    grouped += whole[i];
  }
  const bool negative = v < 0 && std::strtod(buf, nullptr) != 0;
  return (negative ? "−" : "") + grouped + frac;
}

std::string integer(int64_t v) { return number(double(v), 0); }

std::string percent(double frac, int decimals) { return number(100 * frac, decimals) + "\u202f%"; }

int decimals_for(double max_abs, int significant) {
  if (!(max_abs > 0)) return 0;
  const int whole_digits = int(std::floor(std::log10(max_abs))) + 1;
  return std::max(0, std::min(6, significant - whole_digits));
}

Unit energy_unit(double max_pj) {
  if (max_pj >= 1e6) return {"µJ", 1e-6};
  if (max_pj >= 1e3) return {"nJ", 1e-3};
  return {"pJ", 1};
}

Unit cycles_unit(double max_cycles) {
  if (max_cycles >= 1e7) return {"M cycles", 1e-6};
  if (max_cycles >= 1e4) return {"k cycles", 1e-3};
  return {"cycles", 1};
}

namespace {

// The categories the charts colour, in their order: levels of the hierarchy (DRAM first) and
// causes of cycles (compute first). One table, so both lists use one palette.
struct Categories {
  std::vector<Category> levels, causes;
};

const Categories& categories() {
  static const Categories all{
      {{"dram", "DRAM", "#4e79a7", "off-chip reads and writes"},
       {"glb", "global buffer", "#f28e2b", "on-chip SRAM"},
       {"noc", "NoC", "#59a14f", "operand and partial-sum delivery"},
       {"spad", "scratchpads", "#edc948", "per-PE registers"},
       {"datapath", "datapath", "#e15759", "MACs and post-processing arithmetic"},
       {"leakage", "leakage", "#9c755f", "static power over the cycles"}},
      {{"busy", "compute", "#59a14f", "the array steps through its operand stream"},
       {"dram_bandwidth_stall", "DRAM stall", "#e15759", "the array waits for DRAM transfers"},
       {"fill_drain", "fill / drain", "#edc948", "weight preload, pipeline skew, output drain"},
       {"glb_port_stall", "GLB port stall", "#f28e2b", "global-buffer ports busy"},
       {"noc_stall", "NoC stall", "#b07aa1", "operand links busy"},
       {"ppu", "post-processing", "#76b7b2", "pooling, add, rescale passes after the layer"}}};
  return all;
}

}  // namespace

const std::vector<Category>& energy_levels() { return categories().levels; }

const std::vector<Category>& cycle_causes() { return categories().causes; }

Category level_of(const std::string& key) {
  for (const Category& c : energy_levels())
    if (c.key == key) return c;
  return {key, key, "#bab0ac", ""};
}

std::string operator_color(const std::string& candidate) {
  static const std::pair<const char*, const char*> known[] = {
      {"int:w8a8", "#1f4e9c"}, {"int:w4a8", "#3b7dd8"}, {"int:w2a8", "#7fa6e0"}, {"int:w4a4", "#17becf"},
      {"int:w2a2", "#9edae5"}, {"bin:w1a8", "#ff7f0e"}, {"mf:w8a8", "#2ca02c"},  {"shift:w4a8", "#9467bd"},
      {"ppu", "#bab0ac"},      {"address", "#e0e0e0"},  {"mapping", "#333333"}};
  for (const auto& [name, color] : known)
    if (candidate == name) return color;
  // Another candidate keeps one colour of this palette wherever it appears.
  static const char* const palette[] = {"#8c564b", "#e377c2", "#bcbd22", "#d62728", "#7f7f7f", "#aec7e8", "#ffbb78"};
  uint32_t h = 2166136261u;  // FNV-1a: the same colour on every machine and run
  for (unsigned char ch : candidate) h = (h ^ ch) * 16777619u;
  return palette[h % (sizeof palette / sizeof *palette)];
}

std::string dataflow_abbrev(const std::string& dataflow) {
  if (dataflow == "weight_stationary") return "WS";
  if (dataflow == "output_stationary") return "OS";
  if (dataflow == "input_stationary") return "IS";
  if (dataflow == "row_stationary") return "RS";
  return dataflow;
}

std::string escape_html(const std::string& text) {
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

}  // namespace enos::replay::fmt
