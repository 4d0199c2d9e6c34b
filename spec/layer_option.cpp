// The --layer option of `enos simulate`: one MAC layer without a workload file.
#include <charconv>

#include "spec/json_reader.hpp"
#include "spec/shape_check.hpp"
#include "spec/workload.hpp"

namespace enos::spec {

namespace {

constexpr const char* kOption = "--layer";
constexpr const char* kUsage = "expected conv:C,K,H,W,R,S,stride,pad,groups or fc:IN,OUT";

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

std::vector<std::string> split_commas(std::string_view s) {
  std::vector<std::string> parts;
  for (std::size_t start = 0;;) {
    std::size_t comma = s.find(',', start);
    parts.push_back(trim(s.substr(start, comma == std::string_view::npos ? s.npos : comma - start)));
    if (comma == std::string_view::npos) return parts;
    start = comma + 1;
  }
}

// Reads the named fields as integers in [lo, hi], reporting errors as "<kind>.<field>".
std::vector<int> read_fields(const std::string& kind, const std::vector<std::string>& text,
                             const std::vector<const char*>& names, const std::vector<std::pair<int, int>>& ranges) {
  if (text.size() != names.size()) {
    std::string list;
    for (const char* n : names) list += (list.empty() ? "" : ",") + std::string(n);
    throw SpecError(kOption, kind, kind + " takes " + std::to_string(names.size()) + " comma-separated integers (" +
                                       list + "), got " + std::to_string(text.size()));
  }
  std::vector<int> values;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const std::string path = kind + "." + names[i];
    int v = 0;
    auto [end, ec] = std::from_chars(text[i].data(), text[i].data() + text[i].size(), v);
    if (ec == std::errc::result_out_of_range)
      throw SpecError(kOption, path, "must be ≤ " + std::to_string(ranges[i].second) + ", got " + text[i]);
    if (text[i].empty() || ec != std::errc() || end != text[i].data() + text[i].size())
      throw SpecError(kOption, path, "expected an integer, got \"" + text[i] + "\"");
    if (v < ranges[i].first)
      throw SpecError(kOption, path, "must be ≥ " + std::to_string(ranges[i].first) + ", got " + std::to_string(v));
    if (v > ranges[i].second)
      throw SpecError(kOption, path, "must be ≤ " + std::to_string(ranges[i].second) + ", got " + std::to_string(v));
    values.push_back(v);
  }
  return values;
}

pe::ConvShape read_conv(const std::vector<std::string>& text) {
  constexpr int kDim = 1 << 16;
  auto v = read_fields("conv", text, {"C", "K", "H", "W", "R", "S", "stride", "pad", "groups"},
                       {{1, kDim}, {1, kDim}, {1, kDim}, {1, kDim}, {1, 1024}, {1, 1024}, {1, 64}, {0, 64}, {1, kDim}});
  pe::ConvShape s;
  s.C = v[0], s.K = v[1], s.H = v[2], s.W = v[3], s.R = v[4], s.S = v[5];
  s.stride = v[6], s.pad = v[7], s.groups = v[8];
  return s;
}

}  // namespace

Layer parse_layer_option(const std::string& text) {
  std::size_t colon = text.find(':');
  std::string kind = trim(std::string_view(text).substr(0, colon));
  if (colon == std::string::npos || (kind != "conv" && kind != "fc"))
    throw SpecError(kOption, text, std::string(kUsage) + (colon == std::string::npos ? " (missing ':')" : ""));
  auto fields = split_commas(std::string_view(text).substr(colon + 1));
  Layer l;
  l.name = text;
  l.inputs = {"input"};
  if (kind == "conv") {
    l.type = LayerType::Conv;
    l.conv = read_conv(fields);
    l.in = {l.conv.C, l.conv.H, l.conv.W};
  } else {
    l.type = LayerType::FullyConnected;
    auto v = read_fields("fc", fields, {"IN", "OUT"}, {{1, 1 << 16}, {1, 1 << 16}});
    l.conv = pe::fully_connected(v[0], v[1]);
    l.in = {v[0], 1, 1};
  }
  if (auto p = conv_problem(l.conv)) {
    // The option spells the kernel as R,S; the workload format as "kernel".
    std::string field = p->field == "kernel" ? "R,S" : p->field;
    throw SpecError(kOption, kind + (field.empty() ? "" : "." + field), p->reason);
  }
  l.out = {l.conv.K, l.conv.P(), l.conv.Q()};
  return l;
}

}  // namespace enos::spec
