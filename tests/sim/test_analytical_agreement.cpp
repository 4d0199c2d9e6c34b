// The analytical model (dataflow/analytical) against the SystemC model on the same plans:
// action counts agree exactly everywhere; cycles agree exactly when nothing stalls on a port
// or link (docs/dataflow.md says why they may differ otherwise).
#include <catch2/catch.hpp>

#include "dataflow/analytical.hpp"
#include "sim_test_util.hpp"

using namespace enos;

namespace {

// The analytical model has no data, so it cannot count zero-gated operations: compared
// without gating (tests/sim/test_zero_gating.cpp checks the gated counts).
spec::ArchSpec ungated(spec::ArchSpec a) {
  a.zero_gating = false;
  return a;
}

spec::ArchSpec wide(spec::ArchSpec a) {
  a.glb.banks = 256;
  a.noc.link_width_bits = 4096;
  a.glb.size_bytes = int64_t(64) << 20;
  return a;
}

// A layer's place in a network's buffer plan, drawn at random (nothing reserved: the wide
// arrays' buffers are large), from its own stream so the shapes stay those of the seed.
dataflow::Residency random_residency(std::mt19937_64& rng) {
  dataflow::Residency r;
  r.inputs = rng() & 1;
  r.outputs = rng() & 1;
  r.weights = rng() & 1;
  return r;
}

void compare(const spec::ArchSpec& arch, bool stall_free, uint64_t seed, bool residency = false) {
  sim::Runner runner(arch);
  std::mt19937_64 rng(seed), placement(seed + 1000);
  for (int n = 0; n < 30; ++n) {
    const pe::ConvShape shape = test::random_shape(rng);
    const spec::ModeSpec& mode = arch.modes[rng() % arch.modes.size()];
    const spec::Mapping mapping = test::random_mapping(shape, arch, rng);
    const dataflow::Residency where = residency ? random_residency(placement) : dataflow::Residency{};
    const dataflow::LayerPlan plan = dataflow::make_plan(shape, mode.candidate, arch, mapping, where);
    const dataflow::AnalyticalResult model = dataflow::analyze(plan, arch);
    const test::CheckedRun run = test::run_checked(runner, shape, mode.candidate, mapping, rng, where);
    INFO(arch.name << " " << pe::to_string(mode.candidate) << " " << pe::to_string(shape) << " "
                   << spec::to_json(mapping).dump() << " resident inputs " << where.inputs << " outputs "
                   << where.outputs << " weights " << where.weights);
    CHECK(run.result.outputs == run.reference);
    CHECK(model.actions.to_json() == run.result.actions.to_json());
    CHECK(model.macs == run.result.macs);
    if (stall_free) {
      CHECK(model.cycles.total() == run.result.cycles.total());
      CHECK(model.cycles.busy == run.result.cycles.busy);
      CHECK(model.cycles.fill_drain == run.result.cycles.fill_drain);
      CHECK(model.cycles.stall_dram == run.result.cycles.stall_dram);
    }
  }
}

}  // namespace

TEST_CASE("analytical and SystemC agree on the default array", "[sim][analytical]") {
  compare(test::preset("default_reconfigurable_16x16.json"), false, 51);
}

TEST_CASE("analytical and SystemC agree to the cycle when nothing stalls (systolic)", "[sim][analytical]") {
  compare(wide(test::preset("default_reconfigurable_16x16.json")), true, 52);
}

TEST_CASE("analytical and SystemC agree to the cycle when nothing stalls (multicast)", "[sim][analytical]") {
  compare(ungated(wide(test::preset("eyeriss_like_12x14.json"))), true, 53);
}

TEST_CASE("analytical and SystemC agree on the input-stationary preset", "[sim][analytical]") {
  compare(test::preset("is_systolic_16x16.json"), false, 54);
}

TEST_CASE("analytical and SystemC agree to the cycle when nothing stalls (input-stationary)", "[sim][analytical]") {
  compare(wide(test::preset("is_systolic_16x16.json")), true, 55);
}

// One elaboration per process: one architecture per test case.
TEST_CASE("analytical and SystemC agree with resident tensors", "[sim][analytical][residency]") {
  compare(test::preset("default_reconfigurable_16x16.json"), false, 56, true);
}

TEST_CASE("analytical and SystemC agree to the cycle with resident tensors when nothing stalls (systolic)",
          "[sim][analytical][residency]") {
  compare(wide(test::preset("default_reconfigurable_16x16.json")), true, 57, true);
}

TEST_CASE("analytical and SystemC agree to the cycle with resident tensors when nothing stalls (multicast)",
          "[sim][analytical][residency]") {
  compare(ungated(wide(test::preset("eyeriss_like_12x14.json"))), true, 58, true);
}
