// Analytical cycles: the stall-free tile formulas of docs/dataflow.md ("Timing"), the
// controller's DRAM overlap, and the direction of every bandwidth knob.
#include <catch2/catch.hpp>

#include "dataflow/analytical.hpp"
#include "dataflow/timing.hpp"
#include "dataflow_test_util.hpp"

using namespace enos;

namespace {

// docs/dataflow.md, "Passes back to back": a tile's passes with no stalls, from the start of
// its first pass until the collector stored its last outputs. 2 cycles of buffer booking and
// link serialization before the first operand (3 on a bus: its source FIFO), then each pass's
// occupancy of the array, then output-stationary's drain of the last pass (earlier drains
// overlap the next pass unless it is shorter), then 2 for the psum link and the collector.
int64_t occupancy(const dataflow::LayerPlan& plan, const dataflow::ArrayTile& a) {
  const int64_t sr = a.span_rows, sc = a.span_cols, n = a.stream_len;
  if (plan.mapping.dataflow != spec::Dataflow::OutputStationary) return sr + (n + sr + sc - 2);  // preload, stream
  if (plan.topology == spec::NocTopology::Systolic) return n + sr + sc - 2;                     // skewed stream
  return n;                                                                                       // bus: no skew
}

int64_t ideal_tile(const dataflow::LayerPlan& plan, const dataflow::GlbTile& t) {
  const bool os = plan.mapping.dataflow == spec::Dataflow::OutputStationary;
  int64_t total = plan.topology == spec::NocTopology::Systolic ? 2 : 3, drain = 0;
  for (const dataflow::ArrayTile& a : dataflow::array_tiles(plan, t)) {
    const int64_t occ = occupancy(plan, a);
    total += occ + std::max<int64_t>(0, drain - occ);
    drain = os ? a.rows_used : 0;
  }
  return total + drain + 2;
}

int64_t ideal_layer(const dataflow::LayerPlan& plan) {
  int64_t total = 0;
  for (const dataflow::GlbTile& t : dataflow::glb_tiles(plan)) total += ideal_tile(plan, t);
  return total;
}

int64_t busy_layer(const dataflow::LayerPlan& plan) {
  int64_t total = 0;
  for (const dataflow::GlbTile& t : dataflow::glb_tiles(plan))
    for (const dataflow::ArrayTile& a : dataflow::array_tiles(plan, t)) total += a.stream_len;
  return total;
}

}  // namespace

TEST_CASE("stall-free tiles follow the back-to-back skewed-pipeline formulas", "[dataflow][timing]") {
  std::mt19937_64 rng(31);
  for (int n = 0; n < 200; ++n) {
    const test::RandomPlan r = test::random_plan(rng);  // wide ports and links
    INFO(pe::to_string(r.plan.shape) << " " << spec::to_json(r.plan.mapping).dump());
    const dataflow::CycleBreakdown c = dataflow::analyze(r.plan, r.arch).cycles;
    CHECK(c.stall_glb_ports == 0);
    CHECK(c.stall_noc == 0);
    CHECK(c.busy == busy_layer(r.plan));
    CHECK(c.busy + c.fill_drain == ideal_layer(r.plan));
    CHECK(c.total() == c.busy + c.fill_drain + c.stall_dram);
  }
}

TEST_CASE("DRAM transfers take ceil(bytes / bytes_per_cycle) on the channel, then the latency", "[dataflow][timing]") {
  spec::DramSpec d;
  d.bytes_per_cycle = 16, d.latency_cycles = 100;
  CHECK(dataflow::dram_transfer_cycles(d, 8 * 16) == 1);
  CHECK(dataflow::dram_cycles(d, 8 * 16) == 101);
  CHECK(dataflow::dram_cycles(d, 8 * 17) == 102);
  d.bytes_per_cycle = 2.5;
  CHECK(dataflow::dram_cycles(d, 8 * 10) == 104);
}

TEST_CASE("the controller overlaps the next tile's loads with this tile's compute", "[dataflow][timing]") {
  // Tile 0 loads weights (10 channel cycles) and inputs (5); tile 1 only inputs (5); each
  // computes 20 and stores 3.
  const std::vector<dataflow::TileSteps> tiles = {{10, 5, 20, 3}, {-1, 5, 20, 3}};
  SECTION("no latency") {
    // Double-buffered: w0 [0,10) i0 [10,15) i1 [15,20); tile 0 computes [15,35), store 0
    // [35,38); tile 1 computes [35,55), store 1 [55,58): waits 15 + 3.
    CHECK(dataflow::dram_stall_cycles(tiles, true, 0) == 18);
    // Single-buffered: w0 i0 [0,15), compute [15,35), store [35,38), i1 [38,43), compute
    // [43,63), store [63,66): waits 15 + 3 + 5 + 3.
    CHECK(dataflow::dram_stall_cycles(tiles, false, 0) == 26);
  }
  SECTION("latency overlaps the channel time of later transfers") {
    // Double-buffered: i0 done at 115, tile 0 computes [115,135); i1 (channel [15,20),
    // done 120) is ready; tile 1 computes [135,155); store 1 moves [155,158), done 258.
    CHECK(dataflow::dram_stall_cycles(tiles, true, 100) == 115 + 103);
    // Single-buffered: every transfer waits its own latency.
    CHECK(dataflow::dram_stall_cycles(tiles, false, 100) == 115 + 103 + 105 + 103);
  }
  SECTION("a store still draining holds back the tile that reuses its partial-sum slot") {
    const std::vector<dataflow::TileSteps> slow_store = {{1, 1, 2, 50}, {-1, -1, 2, 1}, {-1, -1, 2, 1}};
    // w0 [0,1) i0 [1,2); t0 [2,4); s0 [4,54); t1 needs only what was issued before it (t0's
    // loads): computes [4,6), s1 [54,55); t2 needs s0: computes [54,56), s2 [56,57).
    CHECK(dataflow::dram_stall_cycles(slow_store, true, 0) == 2 + 48 + 1);
  }
}

TEST_CASE("a single tile waits for its loads and its store", "[dataflow][timing]") {
  pe::ConvShape s;
  s.C = 4, s.K = 4, s.H = s.W = 4;
  const spec::ArchSpec arch = test::small_arch(4, 4);
  spec::Mapping m;
  m.k_tile = 4, m.p_tile = 4;
  for (bool db : {true, false}) {
    m.double_buffer = db;
    const dataflow::LayerPlan plan = dataflow::make_plan(s, arch.modes[1].candidate, arch, m);
    const dataflow::CycleBreakdown c = dataflow::analyze(plan, arch).cycles;
    // 16 weights, 64 inputs, 64 outputs of 8 bits at 16 B/cycle, 100 cycles latency: the
    // input load moves while the weight load's latency runs.
    CHECK(c.stall_dram == (1 + 4 + 100) + (4 + 100));
  }
}

TEST_CASE("less DRAM bandwidth only adds DRAM stalls; narrower ports and links only add their stalls", "[dataflow][timing]") {
  std::mt19937_64 rng(32);
  for (int n = 0; n < 150; ++n) {
    const test::RandomPlan r = test::random_plan(rng);
    const dataflow::CycleBreakdown base = dataflow::analyze(r.plan, r.arch).cycles;
    spec::ArchSpec slow_dram = r.arch;
    slow_dram.dram.bytes_per_cycle /= 8;
    const dataflow::CycleBreakdown d = dataflow::analyze(r.plan, slow_dram).cycles;
    CHECK(d.busy == base.busy);
    CHECK(d.fill_drain == base.fill_drain);
    CHECK(d.stall_dram >= base.stall_dram);
    spec::ArchSpec narrow = r.arch;
    narrow.glb.banks = 1;
    narrow.noc.link_width_bits = 32;
    const dataflow::CycleBreakdown q = dataflow::analyze(r.plan, narrow).cycles;
    CHECK(q.busy == base.busy);
    CHECK(q.stall_glb_ports + q.stall_noc + q.fill_drain >= base.fill_drain);
    CHECK(q.total() - q.stall_dram >= base.total() - base.stall_dram);
  }
}
