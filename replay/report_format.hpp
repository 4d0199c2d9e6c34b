#pragma once
// How the report's renderers (report.md, report.html) and enos explore's page write numbers,
// name levels and causes, and colour operators: one place, so every page says the same thing
// the same way.
#include <cstdint>
#include <string>
#include <vector>

namespace enos::replay::fmt {

// 1234567.891 with 2 decimals → "1,234,567.89"; rounding as printf's.
std::string number(double v, int decimals);
std::string integer(int64_t v);           // "13,252,040"
std::string percent(double frac, int decimals = 1);  // 0.0473 → "4.7 %" (narrow no-break space)
// Decimals that show `significant` digits of the largest value a column or axis holds.
int decimals_for(double max_abs, int significant = 3);

// A unit picked for the size of the values it shows: value_in_unit = base_value × scale.
struct Unit {
  std::string name;  // "µJ", "nJ", "pJ", "cycles", "k cycles", "M cycles"
  double scale = 1;
};
Unit energy_unit(double max_pj);     // pJ below 1 nJ, nJ below 1 µJ, µJ above
Unit cycles_unit(double max_cycles);  // cycles below 10,000, k cycles below 10 M, M cycles above

// A row of a data-driven breakdown (energy levels, cycle causes): JSON key, label, colour.
struct Category {
  std::string key, label, color, note;
};
// Levels in the order of the hierarchy (DRAM first); a key not listed is shown after them.
const std::vector<Category>& energy_levels();
// report.json `by_cause_cycles` keys in chart order (compute first).
const std::vector<Category>& cycle_causes();
Category level_of(const std::string& key);  // listed, or a neutral one named by its key

// One colour per operator candidate ("int:w4a4"), the same on every page; "ppu" and
// "address" for layers off the array.
std::string operator_color(const std::string& candidate);
std::string dataflow_abbrev(const std::string& dataflow);  // "weight_stationary" → "WS"

std::string escape_html(const std::string& text);

}  // namespace enos::replay::fmt
