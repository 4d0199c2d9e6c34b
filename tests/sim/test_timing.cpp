// Systolic timing: on stall-free configurations every array pass takes the documented number
// of cycles (docs/dataflow.md, "Timing"); lowering DRAM bandwidth only adds DRAM stalls.
#include <catch2/catch.hpp>

#include "sim_test_util.hpp"

using namespace enos;

namespace {

// Wide enough that no port or link ever holds the array back.
spec::ArchSpec stall_free(spec::ArchSpec a) {
  a.glb.banks = 256;
  a.noc.link_width_bits = 4096;
  a.glb.size_bytes = int64_t(64) << 20;
  return a;
}

// docs/dataflow.md, "Passes back to back": a tile's passes with no stalls, from the start of
// its first pass until the collector stored its last outputs. kStartup: one cycle of buffer
// read plus one of link serialization before the first operand arrives (one more on a
// multicast bus: the write into the bus's source queue); then every pass's occupancy of the
// array; output-stationary's drain of the last pass (earlier drains overlap the next pass
// unless it is shorter); kTail: the last output's link serialization plus the collector's
// buffer write.
constexpr int64_t kStartup = 2, kBusStartup = 3, kTail = 2;

int64_t occupancy(const dataflow::LayerPlan& plan, const dataflow::ArrayTile& a) {
  const int64_t sr = a.span_rows, sc = a.span_cols, n = a.stream_len;
  if (plan.mapping.dataflow != spec::Dataflow::OutputStationary) return sr + (n + sr + sc - 2);  // preload, stream
  if (plan.topology == spec::NocTopology::Systolic) return n + sr + sc - 2;                     // skewed stream
  return n;                                                                                       // multicast: no skew
}

int64_t layer_array_cycles(const dataflow::LayerPlan& plan) {
  const bool os = plan.mapping.dataflow == spec::Dataflow::OutputStationary;
  int64_t total = 0;
  for (const dataflow::GlbTile& t : dataflow::glb_tiles(plan)) {
    int64_t drain = 0;
    total += plan.topology == spec::NocTopology::Systolic ? kStartup : kBusStartup;
    for (const dataflow::ArrayTile& a : dataflow::array_tiles(plan, t)) {
      const int64_t occ = occupancy(plan, a);
      total += occ + std::max<int64_t>(0, drain - occ);
      drain = os ? a.rows_used : 0;
    }
    total += drain + kTail;
  }
  return total;
}

void check_formula(const std::string& preset_file, uint64_t seed) {
  const spec::ArchSpec arch = stall_free(test::preset(preset_file));
  sim::Runner runner(arch);
  std::mt19937_64 rng(seed);
  for (int n = 0; n < 25; ++n) {
    const pe::ConvShape shape = test::random_shape(rng);
    const spec::ModeSpec& mode = arch.modes[rng() % arch.modes.size()];
    const spec::Mapping mapping = test::random_mapping(shape, arch, rng);
    const dataflow::LayerPlan plan = dataflow::make_plan(shape, mode.candidate, arch, mapping);
    INFO(preset_file << " " << pe::to_string(mode.candidate) << " " << pe::to_string(shape) << " "
                     << spec::to_json(mapping).dump());
    const test::CheckedRun run = test::run_checked(runner, shape, mode.candidate, mapping, rng);
    const sim::CycleBreakdown& c = run.result.cycles;
    CHECK(c.stall_glb_ports == 0);
    CHECK(c.stall_noc == 0);
    CHECK(c.busy + c.fill_drain == layer_array_cycles(plan));
  }
}

}  // namespace

TEST_CASE("weight-stationary systolic passes follow the skewed-pipeline formula", "[sim][timing]") {
  check_formula("ws_systolic_16x16.json", 21);
}

TEST_CASE("output-stationary systolic passes follow the skewed-pipeline formula", "[sim][timing]") {
  check_formula("os_systolic_16x16.json", 22);
}

TEST_CASE("input-stationary systolic passes follow the skewed-pipeline formula", "[sim][timing]") {
  check_formula("is_systolic_16x16.json", 24);
}

TEST_CASE("output-stationary multicast passes follow the unskewed formula", "[sim][timing]") {
  check_formula("eyeriss_like_12x14.json", 23);
}

TEST_CASE("lowering DRAM bandwidth only adds DRAM stall cycles", "[sim][timing]") {
  spec::ArchSpec fast = test::preset("default_reconfigurable_16x16.json");
  spec::ArchSpec slow = fast;
  slow.dram.bytes_per_cycle = fast.dram.bytes_per_cycle / 8;
  sim::Runner fast_runner(fast, "fast");
  sim::Runner slow_runner(slow, "slow");
  std::mt19937_64 rng(31);
  for (int n = 0; n < 15; ++n) {
    const pe::ConvShape shape = test::random_shape(rng);
    const spec::ModeSpec& mode = fast.modes[rng() % fast.modes.size()];
    const spec::Mapping mapping = test::random_mapping(shape, fast, rng);
    const uint64_t data_seed = rng();
    std::mt19937_64 r1(data_seed), r2(data_seed);
    const test::CheckedRun a = test::run_checked(fast_runner, shape, mode.candidate, mapping, r1);
    const test::CheckedRun b = test::run_checked(slow_runner, shape, mode.candidate, mapping, r2);
    INFO(pe::to_string(shape) << " " << spec::to_json(mapping).dump());
    CHECK(b.result.outputs == a.result.outputs);
    CHECK(b.result.actions == a.result.actions);
    CHECK(b.result.cycles.busy == a.result.cycles.busy);
    CHECK(b.result.cycles.fill_drain == a.result.cycles.fill_drain);
    CHECK(b.result.cycles.stall_glb_ports == a.result.cycles.stall_glb_ports);
    CHECK(b.result.cycles.stall_noc == a.result.cycles.stall_noc);
    CHECK(b.result.cycles.stall_dram >= a.result.cycles.stall_dram);
    CHECK(b.result.cycles.total() >= a.result.cycles.total());
  }
}
