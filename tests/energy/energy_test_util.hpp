#pragma once
// Helpers shared by the energy tests: the shipped tables and architectures, and a check that
// an input is refused with a SpecError naming the expected JSON path.
#include <string>

#include <catch2/catch.hpp>

#include "energy/table.hpp"
#include "spec/arch.hpp"
#include "spec/json_reader.hpp"

namespace enos::energy::test {

inline std::string config_path(const std::string& relative) { return std::string(ENOS_CONFIG_DIR) + "/" + relative; }
inline std::string data_path(const std::string& name) {
  return std::string(ENOS_SOURCE_DIR) + "/tests/energy/data/" + name;
}
inline std::string default_table_path() { return config_path("energy/default_45nm.json"); }
inline EnergyTable default_table() { return load_energy_table(default_table_path()); }
// 16×16 PEs, 500 MHz, 45 nm, GLB 128 KiB, scratchpads 64 B each for weights, inputs, psums.
inline spec::ArchSpec default_arch() { return spec::load_arch(config_path("arch/default_reconfigurable_16x16.json")); }

template <class F>
void require_spec_error(F&& f, const std::string& path, const std::string& fragment) {
  try {
    f();
  } catch (const spec::SpecError& e) {
    INFO("message: " << e.what());
    CHECK(e.path() == path);
    CHECK_THAT(e.reason(), Catch::Contains(fragment));
    CHECK_THAT(e.what(), Catch::Contains(e.file() + ": " + path + ": "));
    return;
  }
  FAIL("no SpecError; expected " << path << ": " << fragment);
}

}  // namespace enos::energy::test
