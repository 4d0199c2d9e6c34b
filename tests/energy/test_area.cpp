// Area: counting an architecture's components and pricing them with the shipped area table
// (docs/area.md); a malformed table or a mode it lacks is refused with its JSON path.
#include <catch2/catch.hpp>

#include "energy/area.hpp"
#include "energy_test_util.hpp"

using namespace enos::energy;
using namespace enos::energy::test;
using nlohmann::json;

namespace {
AreaTable default_area() { return load_area_table(config_path("area/default_45nm.json")); }
}  // namespace

TEST_CASE("the shipped area table loads with sources and exclusions", "[energy][area]") {
  const AreaTable t = default_area();
  CHECK(t.name == "default_45nm_area");
  CHECK(t.technology_nm == 45);
  CHECK(t.excluded.count("dram_phy") == 1);
  CHECK(t.pe_fixed.unit == "um2/PE");
  CHECK(!t.glb_byte.source.empty());
  // int:w8a8 lane: 8x8 multiplier (64 FA) + 32-bit adder (32 FA), 4.256 um² each, / 0.7.
  CHECK(t.lanes.at(enos::pe::parse_candidate("int:w8a8")).value_um2 == Approx(96 * 4.256 / 0.7));
}

TEST_CASE("counting the default architecture", "[energy][area]") {
  const AreaCounts c = count_area(default_arch());
  CHECK(c.pes == 256);
  CHECK(c.lanes.at(enos::pe::parse_candidate("int:w2a2")) == 256 * 16);
  CHECK(c.scratchpad_bytes == 256 * 192);
  CHECK(c.glb_bytes == 128 * 1024);
  CHECK(c.noc_register_bits == 2 * 256 * 64 + (16 + 32) * 4 * 64);
}

TEST_CASE("area is the sum of count x entry, and grows with the array", "[energy][area]") {
  const AreaTable t = default_area();
  enos::spec::ArchSpec a = default_arch();
  const AreaBreakdown b = price_area(count_area(a), t);
  double sum = 0;
  for (const auto& [k, v] : b.by_component_mm2) sum += v;
  CHECK(b.total_mm2 == Approx(sum));
  CHECK(b.by_component_mm2.at("glb") == Approx(128 * 1024 * t.glb_byte.value_um2 * 1e-6));
  CHECK(b.total_mm2 > 1.0);
  CHECK(b.total_mm2 < 50.0);
  a.rows = 32;
  CHECK(price_area(count_area(a), t).total_mm2 > b.total_mm2);
}

TEST_CASE("a mode the area table lacks is refused with its path", "[energy][area]") {
  AreaTable t = default_area();
  t.lanes.erase(enos::pe::parse_candidate("bin:w1a8"));
  require_spec_error([&] { price_area(count_area(default_arch()), t); }, "area.pe.lanes.bin:w1a8", "no entry");
}

TEST_CASE("malformed area tables are refused with the JSON path", "[energy][area]") {
  const json good = enos::spec::load_json_file(config_path("area/default_45nm.json"));
  json bad_unit = good;
  bad_unit["scratchpad"]["unit"] = "um2/bit";
  require_spec_error([&] { parse_area_table(bad_unit, "t.json"); }, "area.scratchpad.unit", "um2/byte");
  json no_source = good;
  no_source["global_buffer"].erase("derivation");
  require_spec_error([&] { parse_area_table(no_source, "t.json"); }, "area.global_buffer", "source");
  json unknown = good;
  unknown["router"] = 1;
  require_spec_error([&] { parse_area_table(unknown, "t.json"); }, "area", "router");
  json mm2 = good;
  mm2["global_buffer"]["unit"] = "mm2/byte";
  CHECK(parse_area_table(mm2, "t.json").glb_byte.value_um2 == Approx(good["global_buffer"]["value"].get<double>() * 1e6));
}
