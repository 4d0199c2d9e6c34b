#pragma once
// The numbers a page shows with their source: report.html and explore's index.html wrap each
// number taken from their JSON as <span data-k="JSON pointer" data-scale="s">text</span>.
// check_shown_values asserts that every such text is the JSON value × s to the shown digits.
#include <catch2/catch.hpp>

#include <cmath>
#include <regex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace enos::test {

struct ShownValue {
  std::string pointer, text;
  double scale = 1;
};

inline std::vector<ShownValue> shown_values(const std::string& html) {
  static const std::regex span(R"re(data-k="([^"]+)" data-scale="([^"]+)">([^<]*)<)re");
  std::vector<ShownValue> out;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), span); it != std::sregex_iterator(); ++it)
    out.push_back({(*it)[1].str(), (*it)[3].str(), std::stod((*it)[2].str())});
  return out;
}

// "1,234.50" → 1234.5 with 2 decimals; "−0.3" (U+2212) → −0.3.
inline bool parse_shown(std::string text, double& value, int& decimals) {
  std::string clean;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text.compare(i, 3, "\xe2\x88\x92") == 0) {  // U+2212 minus
      clean += '-';
      i += 2;
    } else if (text[i] != ',') {
      clean += text[i];
    }
  }
  static const std::regex number(R"(^\s*([-+]?\d+)(\.(\d+))?)");
  std::smatch m;
  if (!std::regex_search(clean, m, number)) return false;
  value = std::stod(m[0].str());
  decimals = m[3].matched ? int(m[3].length()) : 0;
  return true;
}

// Returns how many values were compared.
inline std::size_t check_shown_values(const std::string& html, const nlohmann::json& doc) {
  const std::vector<ShownValue> values = shown_values(html);
  for (const ShownValue& v : values) {
    INFO(v.pointer << " shows '" << v.text << "'");
    REQUIRE(doc.contains(nlohmann::json::json_pointer(v.pointer)));
    const nlohmann::json& want = doc.at(nlohmann::json::json_pointer(v.pointer));
    REQUIRE(want.is_number());
    double shown = 0;
    int decimals = 0;
    REQUIRE(parse_shown(v.text, shown, decimals));
    CHECK(std::fabs(shown - want.get<double>() * v.scale) <= 0.5 * std::pow(10.0, -decimals) * (1 + 1e-9) + 1e-12);
  }
  return values.size();
}

}  // namespace enos::test
