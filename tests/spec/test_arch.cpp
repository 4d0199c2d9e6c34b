// The shipped architecture presets and the arch writer.
#include <filesystem>

#include <catch2/catch.hpp>

#include "spec/arch.hpp"
#include "spec_test_util.hpp"

using namespace enos::spec;
using enos::spec::test::config_path;

namespace {

const char* const kPresets[] = {"default_reconfigurable_16x16.json", "ws_systolic_16x16.json",
                                "os_systolic_16x16.json", "eyeriss_like_12x14.json"};

std::string normal(const std::string& p) { return std::filesystem::path(p).lexically_normal().string(); }

void check_equal(const ArchSpec& a, const ArchSpec& b) {
  CHECK(a.name == b.name);
  CHECK(a.description == b.description);
  CHECK(a.clock_mhz == b.clock_mhz);
  CHECK(a.technology_nm == b.technology_nm);
  CHECK(a.rows == b.rows);
  CHECK(a.cols == b.cols);
  CHECK(a.accumulator_bits == b.accumulator_bits);
  CHECK(a.scratchpad.weight_bytes == b.scratchpad.weight_bytes);
  CHECK(a.scratchpad.input_bytes == b.scratchpad.input_bytes);
  CHECK(a.scratchpad.psum_bytes == b.scratchpad.psum_bytes);
  REQUIRE(a.modes.size() == b.modes.size());
  for (std::size_t i = 0; i < a.modes.size(); ++i) {
    CHECK(a.modes[i].candidate == b.modes[i].candidate);
    CHECK(a.modes[i].lanes == b.modes[i].lanes);
  }
  CHECK(a.dataflows == b.dataflows);
  CHECK(a.glb.size_bytes == b.glb.size_bytes);
  CHECK(a.glb.banks == b.glb.banks);
  CHECK(a.glb.bank_width_bits == b.glb.bank_width_bits);
  CHECK(a.dram.bytes_per_cycle == b.dram.bytes_per_cycle);
  CHECK(a.dram.latency_cycles == b.dram.latency_cycles);
  CHECK(a.noc.topology == b.noc.topology);
  CHECK(a.noc.link_width_bits == b.noc.link_width_bits);
  CHECK(a.noc.fifo_depth == b.noc.fifo_depth);
  CHECK(a.energy_table == b.energy_table);
}

}  // namespace

TEST_CASE("every architecture preset loads and round-trips", "[spec][arch]") {
  for (const char* name : kPresets) {
    DYNAMIC_SECTION(name) {
      const std::string file = config_path(std::string("arch/") + name);
      ArchSpec a = load_arch(file);
      CHECK(a.file == file);
      CHECK(a.name + ".json" == name);  // presets are named after their file
      CHECK(a.hash == json_hash(load_json_file(file)));
      CHECK(a.energy_table == normal(config_path("arch/../energy/default_45nm.json")));
      CHECK_FALSE(a.modes.empty());
      for (const auto& c : enos::pe::standard_candidates()) CHECK(a.find_mode(c) != nullptr);
      ArchSpec b = parse_arch(to_json(a), "");
      check_equal(a, b);
    }
  }
}

TEST_CASE("the default preset matches its documented parameters", "[spec][arch]") {
  ArchSpec a = load_arch(config_path("arch/default_reconfigurable_16x16.json"));
  CHECK(a.rows == 16);
  CHECK(a.cols == 16);
  CHECK(a.supports(Dataflow::WeightStationary));
  CHECK(a.supports(Dataflow::OutputStationary));
  CHECK(a.noc.topology == NocTopology::Systolic);
  CHECK(a.glb.size_bytes == 128 * 1024);
  CHECK(a.glb.bits_per_cycle() == 16 * 64);
  CHECK(a.clock_mhz == 500);
  CHECK(a.cycle_ns() == Approx(2.0));
  using enos::pe::parse_candidate;
  CHECK(a.find_mode(parse_candidate("int:w8a8"))->lanes == 1);
  CHECK(a.find_mode(parse_candidate("int:w4a4"))->lanes == 4);
  CHECK(a.find_mode(parse_candidate("int:w2a2"))->lanes == 16);
  CHECK(a.find_mode(parse_candidate("bin:w1a8"))->lanes == 8);
  CHECK(a.find_mode(parse_candidate("mf:w8a8"))->lanes == 1);
  CHECK(a.find_mode(parse_candidate("shift:w4a8"))->lanes == 2);
  CHECK(a.find_mode(parse_candidate("int:w8a4")) == nullptr);
  CHECK(a.accumulator_bytes(parse_candidate("mf:w8a8")) == 8);
  CHECK(a.accumulator_bytes(parse_candidate("int:w8a8")) == 4);
  // Modes come out in Candidate order whatever the document order.
  for (std::size_t i = 1; i < a.modes.size(); ++i) CHECK(a.modes[i - 1].candidate < a.modes[i].candidate);
}

TEST_CASE("the single-dataflow presets support only their dataflow", "[spec][arch]") {
  ArchSpec ws = load_arch(config_path("arch/ws_systolic_16x16.json"));
  CHECK(ws.supports(Dataflow::WeightStationary));
  CHECK_FALSE(ws.supports(Dataflow::OutputStationary));
  ArchSpec os = load_arch(config_path("arch/os_systolic_16x16.json"));
  CHECK(os.supports(Dataflow::OutputStationary));
  CHECK_FALSE(os.supports(Dataflow::WeightStationary));
  ArchSpec ey = load_arch(config_path("arch/eyeriss_like_12x14.json"));
  CHECK(ey.rows == 12);
  CHECK(ey.cols == 14);
  CHECK(ey.noc.topology == NocTopology::MulticastBus);
  CHECK(ey.glb.size_bytes == 108 * 1024);
  CHECK(ey.scratchpad.weight_bytes == 224 * 2);
  CHECK(ey.scratchpad.input_bytes == 12 * 2);
  CHECK(ey.scratchpad.psum_bytes == 24 * 2);
}

TEST_CASE("energy_table resolves beside the arch file; optional keys take defaults", "[spec][arch]") {
  nlohmann::json doc = load_json_file(config_path("arch/default_reconfigurable_16x16.json"));
  CHECK(parse_arch(doc, "/x/arch/a.json").energy_table == "/x/energy/default_45nm.json");
  doc["energy_table"] = "/abs/table.json";
  CHECK(parse_arch(doc, "/x/arch/a.json").energy_table == "/abs/table.json");
  doc.erase("energy_table");
  doc["pe"].erase("accumulator_bits");
  doc["noc"].erase("fifo_depth");
  doc.erase("description");
  ArchSpec a = parse_arch(doc, "mem");
  CHECK(a.energy_table.empty());
  CHECK(a.accumulator_bits == 32);
  CHECK(a.noc.fifo_depth == 4);
}

TEST_CASE("the arch hash changes with the content and only with it", "[spec][arch]") {
  nlohmann::json doc = load_json_file(config_path("arch/default_reconfigurable_16x16.json"));
  std::string h = parse_arch(doc, "a.json").hash;
  CHECK(parse_arch(doc, "elsewhere/b.json").hash == h);
  doc["dram"]["latency_cycles"] = 101;
  CHECK(parse_arch(doc, "a.json").hash != h);
}

TEST_CASE("dataflow and topology names round-trip", "[spec][arch]") {
  for (Dataflow d : {Dataflow::WeightStationary, Dataflow::OutputStationary}) CHECK(parse_dataflow(to_string(d)) == d);
  CHECK_FALSE(parse_dataflow("row_stationary"));
  CHECK(to_string(NocTopology::Systolic) == "systolic");
  CHECK(to_string(NocTopology::MulticastBus) == "multicast_bus");
}
