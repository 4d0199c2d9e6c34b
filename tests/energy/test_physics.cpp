// The tables order things as physics says. Asserted from table values and priced counts,
// never from hard-coded outputs, so a re-derived table must still pass.
#include <catch2/catch.hpp>

#include "energy/pricing.hpp"
#include "energy_test_util.hpp"

using namespace enos::energy;
using namespace enos::energy::test;
using enos::pe::Candidate;
using enos::pe::OpKind;
using enos::pe::parse_candidate;
using enos::spec::ActionCounts;

namespace {

std::vector<EnergyTable> shipped_tables() {
  return {default_table(), load_energy_table(config_path("energy/scaled_22nm.json"))};
}

double op_pj(const EnergyTable& t, const char* candidate) {
  const Entry* e = t.find_operator(parse_candidate(candidate));
  REQUIRE(e != nullptr);
  return e->value;
}

// Datapath energy and weight-traffic energy of the same small layer under one candidate:
// 4096 MACs, 512 weights fetched from DRAM into the GLB and read out again.
EnergyBreakdown small_layer(const Candidate& c, const EnergyTable& t) {
  ActionCounts counts;
  const std::string op = "pe.op." + enos::pe::to_string(c);
  counts.add(op, 4096);
  counts.add("dram.read.weight", 512, c.weight_bits);
  counts.add("glb.write.weight", 512, c.weight_bits);
  counts.add("glb.read.weight", 512, c.weight_bits);
  return price(counts, 0, default_arch(), t);
}

}  // namespace

TEST_CASE("fewer bits cost less per operation, kind by kind", "[energy][physics]") {
  for (const EnergyTable& t : shipped_tables()) {
    INFO(t.name);
    // For every pair of entries of one kind where one is no wider in either operand and
    // narrower in at least one, the narrower must be cheaper.
    for (const auto& [a, ea] : t.operators)
      for (const auto& [b, eb] : t.operators) {
        if (a.kind != b.kind || a == b) continue;
        if (a.weight_bits <= b.weight_bits && a.act_bits <= b.act_bits) {
          INFO(to_string(a) << " vs " << to_string(b));
          CHECK(ea.value < eb.value);
        }
      }
  }
}

TEST_CASE("bin, shift and mf cost less per op than int:w8a8; int shrinks with bits", "[energy][physics]") {
  for (const EnergyTable& t : shipped_tables()) {
    INFO(t.name);
    const double int8 = op_pj(t, "int:w8a8");
    CHECK(op_pj(t, "bin:w1a8") < int8);
    CHECK(op_pj(t, "shift:w4a8") < int8);
    CHECK(op_pj(t, "mf:w8a8") < int8);
    CHECK(op_pj(t, "int:w4a4") < int8);
    CHECK(op_pj(t, "int:w2a2") < op_pj(t, "int:w4a4"));
    // Binary is one add/sub: the cheapest of the standard six.
    for (const Candidate& c : enos::pe::standard_candidates())
      if (c.kind != OpKind::Bin) CHECK(op_pj(t, "bin:w1a8") < t.find_operator(c)->value);
  }
}

TEST_CASE("priced layer: fewer bits give less datapath energy and less weight traffic", "[energy][physics]") {
  const EnergyTable t = default_table();
  const EnergyBreakdown int8 = small_layer(parse_candidate("int:w8a8"), t);
  const EnergyBreakdown int4 = small_layer(parse_candidate("int:w4a4"), t);
  const EnergyBreakdown int2 = small_layer(parse_candidate("int:w2a2"), t);
  CHECK(int4.level_pj(Level::Datapath) < int8.level_pj(Level::Datapath));
  CHECK(int2.level_pj(Level::Datapath) < int4.level_pj(Level::Datapath));
  CHECK(int4.tensor_pj("weight") < int8.tensor_pj("weight"));
  CHECK(int2.tensor_pj("weight") < int4.tensor_pj("weight"));
  for (const char* c : {"bin:w1a8", "shift:w4a8", "mf:w8a8"}) {
    INFO(c);
    CHECK(small_layer(parse_candidate(c), t).level_pj(Level::Datapath) < int8.level_pj(Level::Datapath));
  }
  CHECK(small_layer(parse_candidate("bin:w1a8"), t).tensor_pj("weight") < int2.tensor_pj("weight"));
}

TEST_CASE("DRAM per bit >> global buffer per bit >> scratchpad per bit > NoC hop", "[energy][physics]") {
  const auto arch = default_arch();
  for (const EnergyTable& t : shipped_tables()) {
    INFO(t.name);
    const double dram = energy_per_action_pj("dram.read.input", arch, t);
    const double glb = energy_per_action_pj("glb.read.input", arch, t);
    const double spad = energy_per_action_pj("spad.read.weight", arch, t);
    const double hop = energy_per_action_pj("noc.hop.input", arch, t);
    // "≫" taken as at least an order of magnitude.
    CHECK(dram > 10 * glb);
    CHECK(glb > 10 * spad);
    CHECK(spad > hop);
    CHECK(hop > 0);
    // Moving a bit one hop costs less than an 8-bit MAC does.
    CHECK(8 * hop < op_pj(t, "int:w8a8"));
  }
}

TEST_CASE("larger SRAM costs more per bit", "[energy][physics]") {
  for (const EnergyTable& t : shipped_tables()) {
    INFO(t.name);
    double previous = 0;
    for (int64_t bytes = 16; bytes <= (int64_t(16) << 20); bytes *= 2) {
      const double e = t.sram_read_pj_per_bit(bytes);
      INFO(bytes << " B");
      CHECK(e >= previous);  // never cheaper when larger
      if (e > t.sram_read.floor.value) CHECK(e > previous);  // strictly above the floor
      previous = e;
    }
    // The architecture's sizes resolve through the same curve.
    enos::spec::ArchSpec arch = default_arch();
    const double small = energy_per_action_pj("glb.read.weight", arch, t);
    arch.glb.size_bytes *= 4;
    CHECK(energy_per_action_pj("glb.read.weight", arch, t) > small);
  }
}

TEST_CASE("the 22 nm table is cheaper on chip and equal off chip", "[energy][physics]") {
  const EnergyTable t45 = default_table();
  const EnergyTable t22 = load_energy_table(config_path("energy/scaled_22nm.json"));
  for (const auto& [c, e] : t45.operators) CHECK(t22.find_operator(c)->value < e.value);
  CHECK(t22.sram_read_pj_per_bit(128 * 1024) < t45.sram_read_pj_per_bit(128 * 1024));
  CHECK(t22.noc_hop.value < t45.noc_hop.value);
  CHECK(t22.leakage_pe.value < t45.leakage_pe.value);
  CHECK(t22.dram_read.value == t45.dram_read.value);  // DRAM is another chip
}
