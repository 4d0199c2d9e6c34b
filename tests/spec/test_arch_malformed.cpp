// Malformed architecture documents: each is the default preset with one change, and each must
// be refused with a SpecError naming the JSON path and the reason.
#include <catch2/catch.hpp>

#include "spec/arch.hpp"
#include "spec_test_util.hpp"

using namespace enos::spec;
using enos::spec::test::config_path;
using enos::spec::test::data_path;
using enos::spec::test::require_spec_error;
using nlohmann::json;

namespace {

struct ArchCase {
  const char* what;
  std::vector<std::pair<const char*, json>> set;  // JSON pointer → new value (null erases)
  const char* path;
  const char* fragment;
};

json apply(json doc, const ArchCase& c) {
  for (const auto& [pointer, value] : c.set) {
    json::json_pointer p(pointer);
    if (value.is_null())
      doc[p.parent_pointer()].erase(p.back());
    else
      doc[p] = value;
  }
  return doc;
}

std::vector<ArchCase> arch_cases() {
  json null;
  return {
      {"unknown root key", {{"/colour", "red"}}, "arch", "unknown key 'colour'"},
      {"unknown pe_array key", {{"/pe_array/rowz", 3}}, "arch.pe_array", "unknown key 'rowz' (allowed: rows, cols)"},
      {"unknown scratchpad key", {{"/pe/scratchpad/bias_bytes", 4}}, "arch.pe.scratchpad", "unknown key 'bias_bytes'"},
      {"unknown mode key", {{"/pe/modes/int:w8a8/lane", 1}}, "arch.pe.modes.int:w8a8", "unknown key 'lane'"},
      {"unknown noc key", {{"/noc/hops", 1}}, "arch.noc", "unknown key 'hops'"},
      {"rows zero", {{"/pe_array/rows", 0}}, "arch.pe_array.rows", "must be ≥ 1, got 0"},
      {"cols too many", {{"/pe_array/cols", 300}}, "arch.pe_array.cols", "must be ≤ 256, got 300"},
      {"rows as string", {{"/pe_array/rows", "16"}}, "arch.pe_array.rows", "expected an integer, got \"16\""},
      {"rows fractional", {{"/pe_array/rows", 16.5}}, "arch.pe_array.rows", "expected an integer, got 16.5"},
      {"cols missing", {{"/pe_array/cols", null}}, "arch.pe_array.cols", "required key is missing"},
      {"noc missing", {{"/noc", null}}, "arch.noc", "required key is missing"},
      {"pe not an object", {{"/pe", "fast"}}, "arch.pe", "expected an object"},
      {"clock as text", {{"/clock_mhz", "fast"}}, "arch.clock_mhz", "expected a number"},
      {"technology as text", {{"/technology_nm", "45nm"}}, "arch.technology_nm", "expected an integer"},
      {"empty name", {{"/name", ""}}, "arch.name", "must not be empty"},
      {"name not a string", {{"/name", 5}}, "arch.name", "expected a string, got 5"},
      {"energy table not a string", {{"/energy_table", 3}}, "arch.energy_table", "expected a string"},
      {"lanes zero", {{"/pe/modes/int:w4a4/lanes", 0}}, "arch.pe.modes.int:w4a4.lanes", "must be ≥ 1, got 0"},
      {"lanes too many", {{"/pe/modes/int:w4a4/lanes", 65}}, "arch.pe.modes.int:w4a4.lanes", "must be ≤ 64"},
      {"candidate missing act bits", {{"/pe/modes/int:w9", json{{"lanes", 1}}}}, "arch.pe.modes.int:w9",
       "bad operator candidate"},
      {"candidate unknown kind", {{"/pe/modes/fp:w8a8", json{{"lanes", 1}}}}, "arch.pe.modes.fp:w8a8",
       "unknown operator kind"},
      {"candidate bits out of range", {{"/pe/modes/bin:w2a8", json{{"lanes", 1}}}}, "arch.pe.modes.bin:w2a8",
       "bad operator candidate"},
      {"candidate non-canonical", {{"/pe/modes/int:w08a8", json{{"lanes", 1}}}}, "arch.pe.modes.int:w08a8",
       "leading zero"},
      {"no modes", {{"/pe/modes", json::object()}}, "arch.pe.modes", "at least one operator mode"},
      {"modes as array", {{"/pe/modes", json::array({"int:w8a8"})}}, "arch.pe.modes", "expected an object"},
      {"accumulator 24 bits", {{"/pe/accumulator_bits", 24}}, "arch.pe.accumulator_bits",
       "only 32-bit accumulators are supported"},
      {"unknown dataflow", {{"/dataflows", {"row_stationary"}}}, "arch.dataflows[0]",
       "must be one of weight_stationary, output_stationary"},
      {"duplicate dataflow", {{"/dataflows", {"output_stationary", "output_stationary"}}}, "arch.dataflows[1]",
       "duplicate dataflow"},
      {"no dataflow", {{"/dataflows", json::array()}}, "arch.dataflows", "at least one dataflow"},
      {"weight stationary on a bus", {{"/noc/topology", "multicast_bus"}}, "arch.dataflows[0]",
       "weight_stationary needs neighbour psum links; multicast_bus has none"},
      {"unknown topology", {{"/noc/topology", "mesh"}}, "arch.noc.topology", "must be one of systolic, multicast_bus"},
      {"weight scratchpad too small", {{"/pe/scratchpad/weight_bytes", 3}}, "arch.pe.scratchpad.weight_bytes",
       "too small for one weight operand of mode int:w2a2: 16 lanes × 2-bit weights need 4 bytes, got 3"},
      {"input scratchpad too small", {{"/pe/scratchpad/input_bytes", 7}}, "arch.pe.scratchpad.input_bytes",
       "too small for one input operand of mode bin:w1a4: 16 lanes × 4-bit activations need 8 bytes, got 7"},
      {"psum scratchpad too small for mf", {{"/pe/scratchpad/psum_bytes", 4}}, "arch.pe.scratchpad.psum_bytes",
       "too small for the accumulator of mode mf:w8a8: needs 8 bytes (two 32-bit sums), got 4"},
      {"psum scratchpad too small for int", {{"/pe/scratchpad/psum_bytes", 3}}, "arch.pe.scratchpad.psum_bytes",
       "needs 4 bytes, got 3"},
      {"scratchpad zero", {{"/pe/scratchpad/input_bytes", 0}}, "arch.pe.scratchpad.input_bytes", "must be ≥ 1"},
      {"link narrower than a psum", {{"/noc/link_width_bits", 16}}, "arch.noc.link_width_bits",
       "narrower than one flit element"},
      {"fifo depth zero", {{"/noc/fifo_depth", 0}}, "arch.noc.fifo_depth", "must be ≥ 1, got 0"},
      {"global buffer empty", {{"/global_buffer/size_kib", 0}}, "arch.global_buffer.size_kib", "must be ≥ 1"},
      {"global buffer smaller than its banks", {{"/global_buffer/banks", 1024}, {"/global_buffer/bank_width_bits", 2048}},
       "arch.global_buffer.size_kib", "fewer bits"},
      {"bank width not whole bytes", {{"/global_buffer/bank_width_bits", 12}}, "arch.global_buffer.bank_width_bits",
       "multiple of 8"},
      {"banks do not split the buffer", {{"/global_buffer/banks", 3}}, "arch.global_buffer.banks",
       "do not split into 3 banks"},
      {"dram bandwidth zero", {{"/dram/bytes_per_cycle", 0}}, "arch.dram.bytes_per_cycle", "must be > 0"},
      {"dram latency negative", {{"/dram/latency_cycles", -1}}, "arch.dram.latency_cycles", "must be ≥ 0, got -1"},
  };
}

}  // namespace

TEST_CASE("malformed architecture documents name the path and the reason", "[spec][arch][malformed]") {
  const json base = load_json_file(config_path("arch/default_reconfigurable_16x16.json"));
  REQUIRE_NOTHROW(parse_arch(base, "base.json"));
  for (const ArchCase& c : arch_cases()) {
    DYNAMIC_SECTION(c.what) {
      json doc = apply(base, c);
      require_spec_error([&] { parse_arch(doc, "bad.json"); }, c.path, c.fragment);
    }
  }
}

TEST_CASE("arch files: missing, unparsable or with duplicate keys", "[spec][arch][malformed]") {
  require_spec_error([] { load_arch("/nonexistent/enos/arch.json"); }, "(file)", "cannot open");
  require_spec_error([] { load_arch(data_path("syntax_error_arch.json")); }, "(document)", "invalid JSON at line 3, column 20");
  require_spec_error([] { load_arch(data_path("duplicate_key_arch.json")); }, "arch.pe_array", "duplicate key 'rows'");
  require_spec_error([] { load_arch(data_path("duplicate_mode_arch.json")); }, "arch.pe.modes",
                     "duplicate key 'int:w4a4'");
  try {
    load_arch(data_path("syntax_error_arch.json"));
  } catch (const SpecError& e) {
    CHECK(e.file() == data_path("syntax_error_arch.json"));  // the message names the file
  }
}

TEST_CASE("a multicast-bus array with output stationary only is accepted", "[spec][arch]") {
  json doc = load_json_file(config_path("arch/default_reconfigurable_16x16.json"));
  doc["noc"]["topology"] = "multicast_bus";
  doc["dataflows"] = {"output_stationary"};
  CHECK(parse_arch(doc, "ok.json").noc.topology == NocTopology::MulticastBus);
}
