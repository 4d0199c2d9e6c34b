// On the default architecture, LUT entries order the candidates as physics says: fewer bits
// mean less datapath energy and less weight traffic; bin, shift and mf spend less datapath
// energy than int:w8a8. Asserted from the priced counts of real model runs.
#include <catch2/catch.hpp>

#include "characterize/characterize.hpp"
#include "characterize/energy_cost.hpp"
#include "energy/pricing.hpp"
#include "sim/runner.hpp"
#include "spec/arch.hpp"

using namespace enos;

TEST_CASE("LUT entries order the candidates as physics says", "[characterize][lut]") {
  const spec::ArchSpec arch = spec::load_arch(std::string(ENOS_CONFIG_DIR) + "/arch/default_reconfigurable_16x16.json");
  const energy::EnergyTable table =
      characterize::load_arch_energy_table(arch, std::string(ENOS_CONFIG_DIR) + "/energy/default_45nm.json");
  sim::Runner runner(arch);
  const pe::ConvShape layers[] = {
      [] { pe::ConvShape s; s.C = 48; s.K = 48; s.H = s.W = 16; return s; }(),  // pointwise
      [] { pe::ConvShape s; s.C = s.K = s.groups = 48; s.H = s.W = 16; s.R = s.S = 3; s.pad = 1; return s; }(),
      [] { pe::ConvShape s; s.C = 3; s.K = 24; s.H = s.W = 32; s.R = s.S = 3; s.pad = 1; return s; }(),
      pe::fully_connected(1024, 10)};
  for (const pe::ConvShape& shape : layers) {
    INFO(pe::to_string(shape));
    auto run = [&](const char* cand) {
      return characterize::characterize(runner, {shape, {}, pe::parse_candidate(cand)}, table, 7);
    };
    auto datapath = [](const characterize::Characterized& c) { return c.entry.energy_by_level_pj.at("datapath"); };
    auto weight_bits = [](const characterize::Characterized& c) { return c.actions.get("dram.read.weight").bits; };
    const characterize::Characterized w8 = run("int:w8a8"), w4 = run("int:w4a4"), w2 = run("int:w2a2");
    const characterize::Characterized bin = run("bin:w1a8"), shift = run("shift:w4a8"), mf = run("mf:w8a8");
    CHECK(datapath(w2) < datapath(w4));
    CHECK(datapath(w4) < datapath(w8));
    CHECK(datapath(bin) < datapath(w8));
    CHECK(datapath(shift) < datapath(w8));
    CHECK(datapath(mf) < datapath(w8));
    CHECK(weight_bits(w2) < weight_bits(w4));
    CHECK(weight_bits(w4) < weight_bits(w8));
    CHECK(weight_bits(bin) < weight_bits(w8));
    CHECK(w8.entry.macs == shape.macs());
  }
}
