#pragma once
// Options whose values name an enum (--mode, --calibration): one table of names per enum, read
// and written through it, so the parser, the printer and the error's list of choices agree.
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace enos::search {

template <class Enum>
using EnumNames = std::vector<std::pair<Enum, const char*>>;

// std::invalid_argument "--option must be a, b or c, got 'x'" for a name not in the table.
template <class Enum>
Enum parse_enum_name(const std::string& text, const EnumNames<Enum>& names, const std::string& option) {
  std::string choices;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (text == names[i].second) return names[i].first;
    choices += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + std::string(names[i].second);
  }
  throw std::invalid_argument(option + " must be " + choices + ", got '" + text + "'");
}

template <class Enum>
std::string enum_name(Enum value, const EnumNames<Enum>& names) {
  for (const auto& [v, name] : names)
    if (v == value) return name;
  return "?";
}

}  // namespace enos::search
