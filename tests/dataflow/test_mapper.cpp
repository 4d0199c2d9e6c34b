// make_plan's refusals and choose_mapping's search: pins kept, buffer limits respected,
// minimum energy × delay among the candidates, deterministic, fast on a whole network.
#include <catch2/catch.hpp>

#include <chrono>

#include "dataflow_test_util.hpp"
#include "spec/workload.hpp"

using namespace enos;
using Catch::Matchers::Contains;

namespace {

pe::ConvShape conv(int C, int K, int HW, int RS, int stride, int pad, int groups) {
  pe::ConvShape s;
  s.C = C, s.K = K, s.H = s.W = HW, s.R = s.S = RS, s.stride = stride, s.pad = pad, s.groups = groups;
  return s;
}

double edp(const dataflow::LayerPlan& plan, const spec::ArchSpec& arch, const dataflow::CostModel& cost) {
  const dataflow::AnalyticalResult r = dataflow::analyze(plan, arch);
  return cost(r.actions, r.cycles) * double(r.cycles.total());
}

const pe::Candidate kInt8 = pe::parse_candidate("int:w8a8");

}  // namespace

TEST_CASE("make_plan copies the mode's lanes and the array", "[dataflow][mapper]") {
  const spec::ArchSpec arch = test::small_arch(3, 5, true);
  spec::Mapping m;
  m.dataflow = spec::Dataflow::OutputStationary;
  m.k_tile = 4, m.p_tile = 2;
  const dataflow::LayerPlan p = dataflow::make_plan(conv(4, 8, 6, 3, 1, 1, 1), pe::parse_candidate("bin:w1a8"), arch, m);
  CHECK(p.lanes == 8);
  CHECK(p.rows == 3);
  CHECK(p.cols == 5);
  CHECK(p.topology == spec::NocTopology::MulticastBus);
  CHECK(p.mapping.k_tile == 4);
}

TEST_CASE("make_plan refuses what the architecture cannot run", "[dataflow][mapper]") {
  spec::ArchSpec arch = test::small_arch(4, 4);
  const pe::ConvShape s = conv(16, 64, 32, 3, 1, 1, 1);
  spec::Mapping m;
  m.k_tile = 16, m.p_tile = 4;
  SECTION("an operator that is not a mode") {
    CHECK_THROWS_WITH(dataflow::make_plan(s, pe::parse_candidate("shift:w4a8"), arch, m),
                      Contains("shift:w4a8") && Contains("not a mode") && Contains(arch.name));
  }
  SECTION("a dataflow the array cannot be configured for") {
    arch.dataflows = {spec::Dataflow::WeightStationary};
    m.dataflow = spec::Dataflow::OutputStationary;
    CHECK_THROWS_AS(dataflow::make_plan(s, kInt8, arch, m), dataflow::MappingError);
    CHECK_THROWS_WITH(dataflow::make_plan(s, kInt8, arch, m), Contains("output_stationary"));
  }
  SECTION("tiles out of range") {
    m.k_tile = 65;
    CHECK_THROWS_WITH(dataflow::make_plan(s, kInt8, arch, m), Contains("k_tile") && Contains("64"));
    m.k_tile = 16, m.p_tile = 0;
    CHECK_THROWS_WITH(dataflow::make_plan(s, kInt8, arch, m), Contains("p_tile"));
  }
  SECTION("a mapping that does not fit the global buffer, with its footprint and the capacity") {
    arch.glb.size_bytes = 16 * 1024;
    m.k_tile = 64, m.p_tile = 32;
    const int64_t need = dataflow::footprint_bytes(dataflow::make_plan(s, kInt8, test::small_arch(4, 4), m));
    CHECK_THROWS_WITH(dataflow::make_plan(s, kInt8, arch, m),
                      "mapping k_tile=64 p_tile=32 needs " + std::to_string(need) +
                          " B of global buffer, capacity 16384 B");
  }
}

TEST_CASE("choose_mapping keeps every pinned field", "[dataflow][mapper]") {
  const spec::ArchSpec arch = test::small_arch(4, 4);
  const pe::ConvShape s = conv(8, 24, 12, 3, 1, 1, 1);
  const auto cost = dataflow::rough_cost_model();
  spec::PinnedMapping pin;
  pin.dataflow = spec::Dataflow::OutputStationary;
  CHECK(dataflow::choose_mapping(s, kInt8, arch, pin, cost).dataflow == spec::Dataflow::OutputStationary);
  pin = {};
  pin.k_tile = 5;
  CHECK(dataflow::choose_mapping(s, kInt8, arch, pin, cost).k_tile == 5);
  pin = {};
  pin.p_tile = 7;
  CHECK(dataflow::choose_mapping(s, kInt8, arch, pin, cost).p_tile == 7);
  pin = {};
  pin.order = spec::LoopOrder::POuter;
  CHECK(dataflow::choose_mapping(s, kInt8, arch, pin, cost).order == spec::LoopOrder::POuter);
  pin = {};
  pin.double_buffer = false;
  CHECK_FALSE(dataflow::choose_mapping(s, kInt8, arch, pin, cost).double_buffer);
  for (const spec::Mapping& m : dataflow::mapping_candidates(s, kInt8, arch, pin)) CHECK_FALSE(m.double_buffer);
}

TEST_CASE("choose_mapping picks the fitting candidate of least energy × delay, deterministically", "[dataflow][mapper]") {
  std::mt19937_64 rng(41);
  const auto cost = dataflow::rough_cost_model();
  for (int n = 0; n < 40; ++n) {
    spec::ArchSpec arch = test::small_arch(test::pick(rng, 2, 6), test::pick(rng, 2, 6), rng() % 3 == 0);
    arch.glb.size_bytes = int64_t(test::pick(rng, 2, 16)) * 1024;
    arch.glb.banks = test::pick(rng, 1, 8);
    arch.noc.link_width_bits = 32 * test::pick(rng, 1, 4);
    const pe::ConvShape s = test::random_shape(rng);
    const pe::Candidate c = arch.modes[rng() % arch.modes.size()].candidate;
    INFO(pe::to_string(s) << " " << pe::to_string(c) << " glb " << arch.glb.size_bytes);
    spec::Mapping best;
    try {
      best = dataflow::choose_mapping(s, c, arch, {}, cost);
    } catch (const dataflow::MappingError& e) {
      CHECK_THAT(e.what(), Contains("fits the global buffer"));
      continue;
    }
    const dataflow::LayerPlan plan = dataflow::make_plan(s, c, arch, best);  // fits, or throws
    CHECK(dataflow::footprint_bytes(plan) <= arch.glb.size_bytes);
    const double chosen = edp(plan, arch, cost);
    const int wide = std::min(s.outputs_per_group(), arch.cols);
    for (const spec::Mapping& m : dataflow::mapping_candidates(s, c, arch, {})) {
      if (m.k_tile < wide) continue;  // the narrow fallback only counts when nothing wider fits
      const dataflow::LayerPlan p = dataflow::make_plan(s, c, test::small_arch(1, 1), m);
      dataflow::LayerPlan q = plan;
      q.mapping = m;
      if (dataflow::footprint_bytes(p) > arch.glb.size_bytes) continue;
      CHECK(edp(q, arch, cost) >= chosen);
    }
    const spec::Mapping again = dataflow::choose_mapping(s, c, arch, {}, cost);
    CHECK(spec::to_json(again) == spec::to_json(best));
  }
}

TEST_CASE("choose_mapping says why nothing fits", "[dataflow][mapper]") {
  spec::ArchSpec arch = test::small_arch(4, 4);
  arch.glb.size_bytes = 4096;
  const pe::ConvShape s = conv(16, 32, 32, 3, 1, 1, 1);
  const auto cost = dataflow::rough_cost_model();
  spec::PinnedMapping pin;
  pin.p_tile = 32;
  CHECK_THROWS_WITH(dataflow::choose_mapping(s, kInt8, arch, pin, cost),
                    Contains("pinned p_tile=32") && Contains("capacity 4096 B"));
  // Unpinned, a narrower tile fits: one output channel, one output row, single-buffered.
  const spec::Mapping m = dataflow::choose_mapping(s, kInt8, arch, {}, cost);
  CHECK(dataflow::footprint_bytes(dataflow::make_plan(s, kInt8, arch, m)) <= 4096);
  arch.glb.size_bytes = 256;  // not even one output channel's weights
  CHECK_THROWS_WITH(dataflow::choose_mapping(s, kInt8, arch, {}, cost),
                    Contains("no mapping") && Contains("k_tile=1 p_tile=1 single-buffered"));
  spec::PinnedMapping bad;
  bad.dataflow = spec::Dataflow::OutputStationary;
  arch.dataflows = {spec::Dataflow::WeightStationary};
  CHECK_THROWS_AS(dataflow::choose_mapping(s, kInt8, arch, bad, cost), dataflow::MappingError);
}

TEST_CASE("every MAC layer of ShuffleNetV2 x0.5 maps and its analytical MACs match", "[dataflow][mapper]") {
  const spec::ArchSpec arch =
      spec::load_arch(std::string(ENOS_CONFIG_DIR) + "/arch/default_reconfigurable_16x16.json");
  const spec::Workload w =
      spec::load_workload(std::string(ENOS_CONFIG_DIR) + "/workloads/shufflenetv2_x0.5_32x32x3.json");
  const auto cost = dataflow::rough_cost_model();
  int layers = 0;
  for (const spec::Layer& l : w.layers) {
    if (!l.is_mac()) continue;
    const spec::Mapping m = dataflow::choose_mapping(l.conv, kInt8, arch, l.mapping, cost);
    CHECK(dataflow::analyze(dataflow::make_plan(l.conv, kInt8, arch, m), arch).macs == l.conv.macs());
    ++layers;
  }
  CHECK(layers >= 40);
  // Mapping speed is a benchmark figure (bench/), not a unit-test assertion.
}
