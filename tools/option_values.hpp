#pragma once
// Numbers given on the command line, read strictly. Boost's own conversion takes "-1" for an
// unsigned seed as 2^64−1 and "nan" for a budget; these refuse both, naming the option
// (SpecError "<option>: <text>: <reason>", exit 2).
#include <cstdint>
#include <string>

#include "spec/mapping.hpp"

namespace enos::tools {

// A seed: decimal digits only, 0 … 2^64−1.
uint64_t parse_seed(const std::string& text, const std::string& option);
// An energy budget in µJ: a finite number ≥ 0.
double parse_budget_uj(const std::string& text, const std::string& option);
// A pinned mapping given as JSON text (simulate --mapping): the object a workload layer's
// "mapping" holds, read by the JSON reader every input goes through (limits, duplicate keys,
// numbers beyond a double); "" pins nothing.
spec::PinnedMapping parse_mapping_option(const std::string& text, const std::string& option);

}  // namespace enos::tools
