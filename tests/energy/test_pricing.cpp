// Pricing action counts: hand-computed energies, linearity, unpriceable actions, the JSON.
#include <catch2/catch.hpp>

#include "energy/pricing.hpp"
#include "energy_test_util.hpp"

using namespace enos::energy;
using namespace enos::energy::test;
using enos::spec::ActionCounts;
using nlohmann::json;

TEST_CASE("hand-computed: 100 int:w8a8 MACs and 64 GLB read bits", "[energy][pricing]") {
  // Default table, default architecture (GLB 128 KiB = 131072 B), no cycles → no leakage.
  //   datapath: 100 ops × 0.3 pJ/op                                          = 30 pJ
  //   GLB: 131072 B lies between the 32 KiB (0.3125 pJ/bit) and 1 MiB (1.5625 pJ/bit) anchors;
  //        exponent = ln(1.5625/0.3125) / ln(1048576/32768) = ln 5 / ln 32 = 0.464386;
  //        0.3125 × (131072/32768)^0.464386 = 0.3125 × 1.903654 = 0.594892 pJ/bit;
  //        8 words × 8 bits = 64 bits × 0.594892                             = 38.0731 pJ
  //   total                                                                  = 68.0731 pJ
  ActionCounts counts;
  counts.add("pe.op.int:w8a8", 100);
  counts.add("glb.read.weight", 8, 8);
  const EnergyBreakdown b = price(counts, 0, default_arch(), default_table());
  CHECK(b.level_pj(Level::Datapath) == Approx(30.0));
  CHECK(b.level_pj(Level::Glb) == Approx(38.0731).epsilon(1e-5));
  CHECK(b.total_pj == Approx(68.0731).epsilon(1e-5));
  CHECK(b.tensor_pj("weight") == Approx(38.0731).epsilon(1e-5));
  CHECK(b.level_pj(Level::Leakage) == 0);
  CHECK(b.by_action.at("glb.read.weight").price.pj_per_unit == Approx(0.594892).epsilon(1e-5));
  CHECK(b.by_action.at("glb.read.weight").price.unit == "pJ/bit");
  CHECK(b.by_action.at("pe.op.int:w8a8").price.unit == "pJ/op");
}

TEST_CASE("hand-computed: every level and leakage", "[energy][pricing]") {
  // Default table and architecture (500 MHz = the table's reference clock, so leakage
  // entries apply unscaled):
  //   dram.read.weight   16 words × 8 bits = 128 bits × 30.46875 pJ/bit         = 3900 pJ
  //   spad.read.weight  100 words × 8 bits = 800 bits × 0.02 (64 B → floor)    =   16 pJ
  //   spad.write.psum    10 words × 32 bits = 320 bits × 0.02 × 1.0 (write/read) = 6.4 pJ
  //   noc.hop.input      50 word-hops × 8 bits = 400 bits × 0.011225 pJ/bit     = 4.49 pJ
  //   pe.op.bin:w1a8     40 ops × 0.10625 pJ/op                                 =  4.25 pJ
  //   leakage per cycle: PEs 256 × 0.03 = 7.68; GLB 128 KiB × 0.125 = 16;
  //                      scratchpads 256 × 192/1024 KiB × 0.125 = 6; sum 29.68 pJ/cycle
  //   leakage over 10 cycles                                                  = 296.8 pJ
  ActionCounts counts;
  counts.add("dram.read.weight", 16, 8);
  counts.add("spad.read.weight", 100, 8);
  counts.add("spad.write.psum", 10, 32);
  counts.add("noc.hop.input", 50, 8);
  counts.add("pe.op.bin:w1a8", 40);
  const EnergyBreakdown b = price(counts, 10, default_arch(), default_table());
  CHECK(b.level_pj(Level::Dram) == Approx(3900.0));
  CHECK(b.level_pj(Level::Spad) == Approx(22.4));
  CHECK(b.level_pj(Level::Noc) == Approx(4.49));
  CHECK(b.level_pj(Level::Datapath) == Approx(4.25));
  CHECK(b.leakage.at("pe").pj_per_cycle == Approx(7.68));
  CHECK(b.leakage.at("glb").pj_per_cycle == Approx(16.0));
  CHECK(b.leakage.at("spad").pj_per_cycle == Approx(6.0));
  CHECK(b.level_pj(Level::Leakage) == Approx(296.8));
  CHECK(b.tensor_pj("weight") == Approx(3916.0));
  CHECK(b.tensor_pj("psum") == Approx(6.4));
  CHECK(b.tensor_pj("input") == Approx(4.49));
  CHECK(b.tensor_pj("output") == 0);
  CHECK(b.total_pj == Approx(3900 + 22.4 + 4.49 + 4.25 + 296.8));
  CHECK(b.warnings.empty());
}

TEST_CASE("leakage per cycle scales with the cycle time", "[energy][pricing]") {
  enos::spec::ArchSpec arch = default_arch();
  const EnergyTable t = default_table();
  const double at_500 = leakage_rates(arch, t).total();
  arch.clock_mhz = 250;  // cycles twice as long → twice the leakage energy per cycle
  CHECK(leakage_rates(arch, t).total() == Approx(2 * at_500));
}

TEST_CASE("pricing is linear in counts and cycles", "[energy][pricing]") {
  ActionCounts once, twice;
  for (ActionCounts* c : {&once, &twice, &twice}) {
    c->add("dram.read.input", 37, 4);
    c->add("glb.write.input", 37, 4);
    c->add("glb.read.psum", 11, 32);
    c->add("noc.hop.psum", 23, 32);
    c->add("spad.read.weight", 300, 4);
    c->add("pe.op.int:w4a4", 300);
  }
  const auto arch = default_arch();
  const auto table = default_table();
  const EnergyBreakdown a = price(once, 1000, arch, table);
  const EnergyBreakdown b = price(twice, 2000, arch, table);
  CHECK(b.total_pj == Approx(2 * a.total_pj));
  for (Level l : kAllLevels) CHECK(b.level_pj(l) == Approx(2 * a.level_pj(l)));
  for (const char* t : kAllTensors) CHECK(b.tensor_pj(t) == Approx(2 * a.tensor_pj(t)));
  // The parts add up to the whole.
  double levels = 0;
  for (Level l : kAllLevels) levels += a.level_pj(l);
  CHECK(levels == Approx(a.total_pj));
  double tensors = 0;
  for (const char* t : kAllTensors) tensors += a.tensor_pj(t);
  CHECK(tensors == Approx(a.total_pj - a.level_pj(Level::Datapath) - a.level_pj(Level::Leakage)));
}

TEST_CASE("an action the table cannot price is an error naming table and action", "[energy][pricing]") {
  const auto arch = default_arch();
  json doc = enos::spec::load_json_file(default_table_path());
  doc["operators"].erase("int:w8a8");
  const EnergyTable lacking = parse_energy_table(doc, "lacking.json");
  ActionCounts counts;
  counts.add("pe.op.int:w8a8", 5);
  require_spec_error([&] { price(counts, 0, arch, lacking); }, "energy.operators.int:w8a8",
                     "cannot price counted action 'pe.op.int:w8a8'");
  try {
    price(counts, 0, arch, lacking);
  } catch (const enos::spec::SpecError& e) {
    CHECK(e.file() == "lacking.json");
  }

  const EnergyTable t = default_table();
  auto refused = [&](const std::string& action, const std::string& path, const std::string& fragment) {
    ActionCounts c;
    c.add(action, 1, 8);
    INFO(action);
    require_spec_error([&] { price(c, 0, arch, t); }, path, fragment);
  };
  refused("pe.op.int:w6a6", "energy.operators.int:w6a6", "no entry for this operator");
  refused("pe.op.int:w99a8", "energy.operators", "not an operator candidate");
  refused("glb.read.bias", "energy", "unknown tensor 'bias'");
  refused("spad.read.output", "energy", "no scratchpad for output");
  refused("noc.multicast.input", "energy", "cannot price counted action 'noc.multicast.input'");
  refused("sram.read", "energy", "the table prices");
}

TEST_CASE("impossible counts are refused, not priced as zero", "[energy][pricing]") {
  ActionCounts no_bits;
  no_bits.add("glb.read.weight", 10);  // a movement counted without its bits
  CHECK_THROWS_AS(price(no_bits, 0, default_arch(), default_table()), std::invalid_argument);
  CHECK_THROWS_AS(price(ActionCounts{}, -1, default_arch(), default_table()), std::invalid_argument);
}

TEST_CASE("mismatched node is priced with a warning", "[energy][pricing]") {
  // The Eyeriss-like preset is 65 nm but refers to the 45 nm table.
  const auto arch = enos::spec::load_arch(config_path("arch/eyeriss_like_12x14.json"));
  ActionCounts counts;
  counts.add("pe.op.int:w8a8", 1);
  const EnergyBreakdown b = price(counts, 0, arch, default_table());
  REQUIRE(b.warnings.size() == 1);
  CHECK_THAT(b.warnings[0], Catch::Contains("65 nm"));
  CHECK(b.total_pj == Approx(0.3));
}

TEST_CASE("breakdown JSON carries units, the table's identity and every level", "[energy][pricing]") {
  ActionCounts counts;
  counts.add("pe.op.shift:w4a8", 10);
  counts.add("glb.read.input", 4, 8);
  const EnergyTable t = default_table();
  const json j = price(counts, 3, default_arch(), t).to_json();
  CHECK(j.at("unit") == "pJ");
  CHECK(j.at("table").at("name") == "default_45nm");
  CHECK(j.at("table").at("hash") == t.hash);
  CHECK(j.at("table").at("file") == t.file);
  CHECK(j.at("table").at("technology_nm") == 45);
  CHECK(j.at("clock_mhz") == 500.0);
  CHECK(j.at("cycles") == 3);
  for (Level l : kAllLevels) CHECK(j.at("by_level_pj").contains(to_string(l)));
  for (const char* tensor : kAllTensors) CHECK(j.at("by_tensor_pj").contains(tensor));
  const json& op = j.at("by_action").at("pe.op.shift:w4a8");
  CHECK(op.at("energy_per_unit").at("unit") == "pJ/op");
  CHECK(op.at("priced_per") == "op");
  CHECK(op.at("table_entry") == "energy.operators.shift:w4a8");
  CHECK(j.at("by_action").at("glb.read.input").at("energy_per_unit").at("unit") == "pJ/bit");
  CHECK(j.at("leakage").at("glb").at("pj_per_cycle") == Approx(16.0));
}

TEST_CASE("every action the model counts prices on every shipped architecture and mode", "[energy][pricing]") {
  // The vocabulary of sim/*.cpp (grep actions_.add and count_hops there).
  const char* movements[] = {
      "dram.read.weight", "dram.read.input",   "dram.write.output", "glb.write.weight", "glb.write.input",
      "glb.read.weight",  "glb.read.input",    "glb.read.psum",     "glb.write.psum",   "glb.write.output",
      "glb.read.output",  "spad.write.weight", "spad.read.weight",  "spad.read.psum",   "spad.write.psum",
      "noc.hop.input",    "noc.hop.weight",    "noc.hop.psum",
  };
  const EnergyTable t = default_table();
  for (const char* name : {"default_reconfigurable_16x16", "eyeriss_like_12x14", "os_systolic_16x16",
                           "ws_systolic_16x16"}) {
    const auto arch = enos::spec::load_arch(config_path(std::string("arch/") + name + ".json"));
    ActionCounts counts;
    for (const char* m : movements) counts.add(m, 3, 8);
    for (const auto& mode : arch.modes) counts.add("pe.op." + enos::pe::to_string(mode.candidate), 7);
    INFO(name);
    const EnergyBreakdown b = price(counts, 5, arch, t);
    for (const auto& [action, priced] : b.by_action) {
      INFO(action);
      CHECK(priced.energy_pj > 0);
    }
  }
}
