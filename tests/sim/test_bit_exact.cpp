// Every operator and precision, on every dataflow and preset, over random shapes and
// mappings: outputs equal the C++ reference bit for bit, every MAC runs exactly once, and
// every cycle is accounted to one category.
#include <catch2/catch.hpp>

#include "sim_test_util.hpp"

using namespace enos;

namespace {

void check_preset(const std::string& file, int layers_per_mode, uint64_t seed) {
  const spec::ArchSpec arch = test::preset(file);
  sim::Runner runner(arch);
  std::mt19937_64 rng(seed);
  for (const spec::ModeSpec& mode : arch.modes) {
    for (int n = 0; n < layers_per_mode; ++n) {
      const pe::ConvShape shape = test::random_shape(rng);
      const spec::Mapping mapping = test::random_mapping(shape, arch, rng);
      INFO(file << " " << pe::to_string(mode.candidate) << " " << pe::to_string(shape) << " "
                << spec::to_json(mapping).dump());
      const test::CheckedRun run = test::run_checked(runner, shape, mode.candidate, mapping, rng);
      REQUIRE(run.result.outputs == run.reference);
      REQUIRE(run.result.macs == shape.macs());
      // Executed plus zero-gated operations (pe.zero_gating, the Eyeriss-like preset).
      const std::string op = pe::to_string(mode.candidate);
      REQUIRE(run.result.actions.get("pe.op." + op).count + run.result.actions.get("pe.gated." + op).count ==
              shape.macs());
      REQUIRE(run.result.cycles.total() == run.result.elapsed_cycles);
    }
  }
}

}  // namespace

TEST_CASE("bit-exact on the default reconfigurable array in every mode", "[sim][bitexact]") {
  check_preset("default_reconfigurable_16x16.json", 30, 11);
}

TEST_CASE("bit-exact on the weight-stationary systolic preset", "[sim][bitexact]") {
  check_preset("ws_systolic_16x16.json", 20, 12);
}

TEST_CASE("bit-exact on the output-stationary systolic preset", "[sim][bitexact]") {
  check_preset("os_systolic_16x16.json", 20, 13);
}

TEST_CASE("bit-exact on the input-stationary systolic preset", "[sim][bitexact]") {
  check_preset("is_systolic_16x16.json", 20, 15);
}

TEST_CASE("bit-exact on the Eyeriss-like multicast-bus preset", "[sim][bitexact]") {
  check_preset("eyeriss_like_12x14.json", 20, 14);
}
