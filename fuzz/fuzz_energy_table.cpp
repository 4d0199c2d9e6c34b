// The energy and area table loaders (energy/table.cpp, energy/area.cpp): units, prefixes,
// SRAM curves, operators. The first byte picks the loader; the rest is the document.
#include "energy/area.hpp"
#include "energy/table.hpp"
#include "fuzz_util.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  using namespace enos;
  if (size == 0) return 0;
  const bool area = data[0] & 1;
  fuzz::expect_value_or_spec_error([&] {
    const nlohmann::json doc = spec::parse_json_text(fuzz::text_of(data + 1, size - 1), "table.json", "energy");
    if (area) {
      (void)energy::parse_area_table(doc, "area.json");
      return;
    }
    const energy::EnergyTable t = energy::parse_energy_table(doc, "energy.json");
    // The SRAM curve is evaluated at every capacity an architecture may have.
    for (int64_t bytes = 1; bytes <= (int64_t(1) << 32); bytes *= 4)
      if (!(t.sram_read_pj_per_bit(bytes) >= 0)) fuzz::invariant_broken("negative or NaN SRAM energy");
  });
  return 0;
}
