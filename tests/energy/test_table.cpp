// Loading energy tables: the shipped ones load with the values docs/energy.md derives, and
// malformed ones are refused with the JSON path of the mistake.
#include <cmath>

#include <catch2/catch.hpp>

#include "energy/table.hpp"
#include "energy_test_util.hpp"
#include "spec/json_reader.hpp"

using namespace enos::energy;
using namespace enos::energy::test;
using enos::pe::parse_candidate;
using nlohmann::json;

TEST_CASE("both shipped tables load with their header", "[energy][table]") {
  const EnergyTable t45 = default_table();
  CHECK(t45.name == "default_45nm");
  CHECK(t45.file == default_table_path());
  CHECK(t45.technology_nm == 45);
  CHECK(t45.supply_voltage_v == Approx(0.9));
  CHECK(t45.reference_clock_mhz == Approx(500));
  CHECK(t45.accumulator_bits == 32);
  CHECK(t45.hash == enos::spec::json_hash(enos::spec::load_json_file(default_table_path())));
  CHECK(t45.hash.size() == 16);

  const EnergyTable t22 = load_energy_table(config_path("energy/scaled_22nm.json"));
  CHECK(t22.name == "scaled_22nm");
  CHECK(t22.technology_nm == 22);
  CHECK(t22.supply_voltage_v == Approx(0.8));
  CHECK(t22.hash != t45.hash);
  // A new technology is a new table with the same entries, not new code.
  CHECK(t22.operators.size() == t45.operators.size());
}

TEST_CASE("default table reproduces the Horowitz anchors", "[energy][table]") {
  const EnergyTable t = default_table();
  // Operators: 8x8 multiply 0.2 pJ + 32-bit accumulate 0.1 pJ.
  CHECK(t.find_operator(parse_candidate("int:w8a8"))->value == Approx(0.3));
  CHECK(t.find_operator(parse_candidate("int:w8a8"))->unit == "pJ/op");
  // 16x16 = 4 × the 8x8 multiplier (0.8 pJ, cf. Horowitz's 32-bit 3.1 pJ = 16 × 0.19) + 0.1.
  CHECK(t.find_operator(parse_candidate("int:w16a16"))->value == Approx(0.9));
  // SRAM: 10, 20, 100 pJ per 64-bit read at 8 KB, 32 KB, 1 MB.
  CHECK(t.sram_read_pj_per_bit(8 * 1024) * 64 == Approx(10.0));
  CHECK(t.sram_read_pj_per_bit(32 * 1024) * 64 == Approx(20.0));
  CHECK(t.sram_read_pj_per_bit(1024 * 1024) * 64 == Approx(100.0));
  // DRAM: midpoint of 1.3–2.6 nJ per 64 bits.
  CHECK(t.dram_read.value * 64 == Approx(1950.0));
  CHECK(t.dram_read.unit == "pJ/bit");
  CHECK_FALSE(t.dram_read.source.empty());
  CHECK(t.dram_read.path == "energy.dram.read");
  CHECK(t.find_operator(parse_candidate("int:w6a6")) == nullptr);
}

TEST_CASE("SRAM curve interpolates as a power law and stops at the floor", "[energy][table]") {
  const EnergyTable t = default_table();
  // 16 KiB is halfway (in log capacity) between 8 and 32 KiB, whose energies are 1:2, so the
  // power law gives the geometric mean: 0.15625 × √2 = 0.220971 pJ/bit.
  CHECK(t.sram_read_pj_per_bit(16 * 1024) == Approx(0.15625 * std::sqrt(2.0)));
  // Below 8 KiB the first segment (exponent 1/2) is extended: 2 KiB → 0.15625 / 2.
  CHECK(t.sram_read_pj_per_bit(2 * 1024) == Approx(0.078125));
  // 64 B would extrapolate to 0.0138 pJ/bit, under the 0.02 pJ/bit register-file floor.
  CHECK(t.sram_read_pj_per_bit(64) == Approx(0.02));
  CHECK(t.sram_read_pj_per_bit(0) == Approx(0.02));
  // Above 1 MiB the last segment (exponent ln 5 / ln 32) continues: 4 MiB → 100 pJ × 4^0.4644.
  CHECK(t.sram_read_pj_per_bit(4 * 1024 * 1024) * 64 == Approx(100.0 * std::pow(4.0, std::log(5.0) / std::log(32.0))));
  CHECK(t.sram_write_pj_per_bit(8 * 1024) == Approx(t.sram_read_pj_per_bit(8 * 1024) * t.sram_write_to_read.value));
}

TEST_CASE("units with fJ or nJ prefixes are converted to pJ", "[energy][table]") {
  json doc = enos::spec::load_json_file(default_table_path());
  doc["noc"]["hop"]["value"] = 11.225;
  doc["noc"]["hop"]["unit"] = "fJ/bit";
  doc["dram"]["read"]["value"] = 1.95 / 64;
  doc["dram"]["read"]["unit"] = "nJ/bit";
  const EnergyTable t = parse_energy_table(doc, "in-memory.json");
  CHECK(t.noc_hop.value == Approx(0.011225));
  CHECK(t.noc_hop.unit == "pJ/bit");
  CHECK(t.dram_read.value == Approx(1950.0 / 64));
}

namespace {

struct TableCase {
  const char* what;
  const char* pointer;  // JSON pointer into the default table
  json value;           // new value; null erases the member
  const char* path;
  const char* fragment;
};

json apply(json doc, const TableCase& c) {
  json::json_pointer p(c.pointer);
  if (c.value.is_null())
    doc[p.parent_pointer()].erase(p.back());
  else
    doc[p] = c.value;
  return doc;
}

std::vector<TableCase> table_cases() {
  const json null;
  const json ok_entry = {{"value", 1.0}, {"unit", "pJ/bit"}, {"source", "x"}};
  return {
      {"unknown root key", "/colour", "red", "energy", "unknown key 'colour'"},
      {"unknown action in a section", "/dram/refresh", ok_entry, "energy.dram", "unknown key 'refresh'"},
      {"unknown operator", "/operators/fp:w8a8", ok_entry, "energy.operators.fp:w8a8", "not an operator candidate"},
      {"unknown entry key", "/dram/read/valeu", 1, "energy.dram.read", "unknown key 'valeu'"},
      {"missing unit", "/dram/read/unit", null, "energy.dram.read.unit", "required key is missing"},
      {"missing value", "/noc/hop/value", null, "energy.noc.hop.value", "required key is missing"},
      {"negative energy", "/noc/hop/value", -0.1, "energy.noc.hop.value", "must be ≥ 0"},
      {"absurd energy", "/noc/hop/value", 1e13, "energy.noc.hop.value", "must be ≤"},
      {"bad unit", "/dram/read/unit", "pJ/byte", "energy.dram.read.unit",
       "unit must be one of fJ/bit, pJ/bit, nJ/bit, got \"pJ/byte\""},
      {"operator priced per bit", "/operators/int:w8a8/unit", "pJ/bit", "energy.operators.int:w8a8.unit", "pJ/op"},
      {"leakage priced per op", "/leakage/pe/unit", "pJ/op", "energy.leakage.pe.unit", "pJ/cycle"},
      {"ratio with a unit", "/sram/write_to_read/unit", "pJ/bit", "energy.sram.write_to_read.unit", "\"ratio\""},
      {"zero ratio", "/sram/write_to_read/value", 0, "energy.sram.write_to_read.value", "must be > 0"},
      {"missing source", "/noc/hop/derivation", null, "energy.noc.hop", "needs a \"source\" or a \"derivation\""},
      {"empty source", "/noc/hop/derivation", "", "energy.noc.hop.derivation", "must not be empty"},
      {"wrong type of value", "/operators/int:w8a8/value", "0.3", "energy.operators.int:w8a8.value",
       "expected a number"},
      {"section not an object", "/noc", 5, "energy.noc", "expected an object"},
      {"missing section", "/operators", null, "energy.operators", "required key is missing"},
      {"missing node", "/technology_nm", null, "energy.technology_nm", "required key is missing"},
      {"voltage zero", "/supply_voltage_v", 0, "energy.supply_voltage_v", "must be ≥ 0.1"},
      {"SRAM capacities not increasing", "/sram/read/points/1/capacity_bytes", 4096,
       "energy.sram.read.points[1].capacity_bytes", "must increase"},
      {"SRAM point of zero energy", "/sram/read/points/0/value", 0, "energy.sram.read.points[0].value",
       "must be > 0"},
      {"SRAM point without source", "/sram/read/points/2/source", null, "energy.sram.read.points[2]",
       "needs a \"source\""},
      {"SRAM curve with one point", "/sram/read/points", json::array({{{"capacity_bytes", 8192}, {"value", 0.1}, {"source", "x"}}}),
       "energy.sram.read.points", "at least 2 points"},
      {"SRAM floor missing", "/sram/read/floor", null, "energy.sram.read.floor", "required key is missing"},
  };
}

}  // namespace

TEST_CASE("malformed tables name the JSON path", "[energy][table]") {
  const json base = enos::spec::load_json_file(default_table_path());
  for (const TableCase& c : table_cases()) {
    SECTION(c.what) {
      const json doc = apply(base, c);
      require_spec_error([&] { parse_energy_table(doc, "bad_table.json"); }, c.path, c.fragment);
    }
  }
}

TEST_CASE("malformed table files name the file and position", "[energy][table]") {
  SECTION("syntax error") {
    require_spec_error([] { load_energy_table(data_path("syntax_error_energy.json")); }, "(document)",
                       "invalid JSON at line 5");
  }
  SECTION("missing file") {
    require_spec_error([] { load_energy_table(data_path("no_such_table.json")); }, "(file)", "cannot open file");
  }
  SECTION("duplicate key") {
    require_spec_error([] { load_energy_table(data_path("duplicate_key_energy.json")); }, "energy.dram",
                       "duplicate key 'read'");
  }
}
