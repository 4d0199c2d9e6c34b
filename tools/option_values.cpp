#include "tools/option_values.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>

#include "spec/json_reader.hpp"

namespace enos::tools {

uint64_t parse_seed(const std::string& text, const std::string& option) {
  uint64_t v = 0;
  const char* end = text.data() + text.size();
  const auto [stop, ec] = std::from_chars(text.data(), end, v);
  if (ec == std::errc::result_out_of_range) throw spec::SpecError(option, text, "must be ≤ 18446744073709551615 (2^64−1)");
  if (text.empty() || ec != std::errc() || stop != end)
    throw spec::SpecError(option, text, "expected a seed: an integer 0 … 2^64−1, digits only");
  return v;
}

double parse_budget_uj(const std::string& text, const std::string& option) {
  char* stop = nullptr;
  const double v = text.empty() ? 0 : std::strtod(text.c_str(), &stop);
  if (text.empty() || stop != text.c_str() + text.size())
    throw spec::SpecError(option, text, "expected a number of µJ");
  if (!std::isfinite(v)) throw spec::SpecError(option, text, "must be a finite number of µJ");
  if (v < 0) throw spec::SpecError(option, text, "must be ≥ 0 µJ (leave the option out for the export's budget)");
  return v;
}

spec::PinnedMapping parse_mapping_option(const std::string& text, const std::string& option) {
  if (text.empty()) return {};
  // Not nlohmann's parser directly: "1e999" escaped it as an internal error (exit 4), and a
  // key given twice silently kept the last value.
  const nlohmann::json doc = spec::parse_json_text(text, option, "mapping");
  if (!doc.is_object()) throw spec::SpecError(option, "mapping", "expected a JSON object, got " + text);
  return spec::parse_pinned_mapping(spec::JsonNode(doc, option, "mapping"));
}

}  // namespace enos::tools
