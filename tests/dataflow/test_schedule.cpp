// The tile sequence: every output produced exactly once, every reduction element reaching
// every output exactly once, fetch flags that load each tensor tile when it changes, and the
// global-buffer footprint.
#include <catch2/catch.hpp>

#include <vector>

#include "dataflow_test_util.hpp"

using namespace enos;

namespace {

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

// hits[output][j]: how often reduction element j was applied to output (k, pixel).
void check_coverage(const dataflow::LayerPlan& plan) {
  const pe::ConvShape& s = plan.shape;
  const int64_t J = s.reduction(), PQ = int64_t(s.P()) * s.Q();
  std::vector<int> hits(std::size_t(s.K * PQ * J), 0);
  std::vector<int> finished(std::size_t(s.K * PQ), 0);
  const bool os = plan.mapping.dataflow == spec::Dataflow::OutputStationary;
  const bool is = plan.mapping.dataflow == spec::Dataflow::InputStationary;
  const bool whole = plan.mapping.pass_span == spec::PassSpan::WholeArray;
  for (const dataflow::GlbTile& t : dataflow::glb_tiles(plan)) {
    for (const dataflow::ArrayTile& a : dataflow::array_tiles(plan, t)) {
      REQUIRE(a.rows_used >= 1);
      REQUIRE(a.rows_used <= plan.rows);
      REQUIRE(a.cols_used >= 1);
      REQUIRE(a.cols_used <= plan.cols);
      REQUIRE(a.span_rows == (whole ? plan.rows : a.rows_used));
      REQUIRE(a.span_cols == (whole ? plan.cols : a.cols_used));
      REQUIRE(a.cols_used == (is ? a.pix_count : a.k_count));
      if (!os) {
        REQUIRE(a.rows_used == ceil_div(a.j_count, plan.lanes));
        REQUIRE(a.first_partial == (a.j0 == 0));
        REQUIRE(a.last_partial == (a.j0 + a.j_count == J));
        REQUIRE(a.stream_len == (is ? a.k_count : a.pix_count));
      } else {
        REQUIRE(a.rows_used == a.pix_count);
        REQUIRE(a.stream_len == ceil_div(J, plan.lanes));
      }
      for (int k = a.k0; k < a.k0 + a.k_count; ++k) {
        const int64_t kk = int64_t(t.group) * s.outputs_per_group() + k;
        for (int pix = a.pix0; pix < a.pix0 + a.pix_count; ++pix) {
          const int64_t out = kk * PQ + int64_t(t.p0) * s.Q() + pix;
          for (int64_t j = a.j0; j < a.j0 + a.j_count; ++j) ++hits[std::size_t(out * J + j)];
          if (os || a.last_partial) ++finished[std::size_t(out)];
        }
      }
    }
  }
  for (int h : hits) REQUIRE(h == 1);
  for (int f : finished) REQUIRE(f == 1);
}

}  // namespace

TEST_CASE("tiles cover every output once and every reduction element once per output", "[dataflow][schedule]") {
  std::mt19937_64 rng(11);
  for (int n = 0; n < 300; ++n) {
    const test::RandomPlan r = test::random_plan(rng);
    INFO(pe::to_string(r.plan.shape) << " lanes " << r.plan.lanes << " array " << r.plan.rows << "x"
                                     << r.plan.cols << " " << spec::to_json(r.plan.mapping).dump());
    check_coverage(r.plan);
  }
}

TEST_CASE("a tensor tile is fetched exactly when it differs from the resident one", "[dataflow][schedule]") {
  std::mt19937_64 rng(12);
  for (int n = 0; n < 200; ++n) {
    const test::RandomPlan r = test::random_plan(rng);
    const dataflow::LayerPlan& plan = r.plan;
    const pe::ConvShape& s = plan.shape;
    const int64_t kt = ceil_div(s.outputs_per_group(), plan.mapping.k_tile);
    const int64_t pt = ceil_div(s.P(), plan.mapping.p_tile);
    const bool k_outer = plan.mapping.order == spec::LoopOrder::KOuter;
    const std::vector<dataflow::GlbTile> tiles = dataflow::glb_tiles(plan);
    REQUIRE(int64_t(tiles.size()) == s.groups * kt * pt);
    int64_t wf = 0, inf = 0;
    for (std::size_t i = 0; i < tiles.size(); ++i) {
      const dataflow::GlbTile& t = tiles[i];
      REQUIRE(t.index == int(i));
      const bool new_w = i == 0 || tiles[i - 1].group != t.group || tiles[i - 1].k0 != t.k0;
      const bool new_i = i == 0 || tiles[i - 1].group != t.group || tiles[i - 1].p0 != t.p0;
      REQUIRE(t.fetch_weights == new_w);
      REQUIRE(t.fetch_inputs == new_i);
      wf += t.fetch_weights;
      inf += t.fetch_inputs;
    }
    // Outer-loop tensor: fetched once per tile of it; inner-loop tensor: every time, unless
    // there is a single tile of it.
    const int64_t g = s.groups;
    CHECK(wf == (k_outer ? g * kt : (kt == 1 ? g : g * kt * pt)));
    CHECK(inf == (k_outer ? (pt == 1 ? g : g * kt * pt) : g * pt));
  }
}

TEST_CASE("footprint: the largest tile, twice when double-buffered", "[dataflow][schedule]") {
  // conv 16→32 on 8×8, 3×3, pad 1, int:w8a8, k_tile 16, p_tile 4: weights 16·144 B; inputs
  // 16 channels × 5 stored rows × 8 B (rows 0–4, then 3–7); psums 16·4·8 × 4 B.
  pe::ConvShape s;
  s.C = 16, s.K = 32, s.H = s.W = 8, s.R = s.S = 3, s.pad = 1;
  const spec::ArchSpec arch = test::small_arch(4, 4);
  spec::Mapping m;
  m.k_tile = 16, m.p_tile = 4, m.double_buffer = true;
  dataflow::LayerPlan plan = dataflow::make_plan(s, pe::parse_candidate("int:w8a8"), arch, m);
  CHECK(dataflow::glb_footprint_bytes(plan) == 2 * (2304 + 640 + 2048));
  CHECK(dataflow::footprint_bytes(plan) == 2 * (2304 + 640 + 2048));
  plan.mapping.double_buffer = false;
  CHECK(dataflow::glb_footprint_bytes(plan) == 2304 + 640 + 2048);
}

TEST_CASE("the mapper's footprint equals the schedule's", "[dataflow][schedule]") {
  std::mt19937_64 rng(13);
  for (int n = 0; n < 300; ++n) {
    const test::RandomPlan r = test::random_plan(rng);
    INFO(pe::to_string(r.plan.shape) << " " << spec::to_json(r.plan.mapping).dump());
    CHECK(dataflow::footprint_bytes(r.plan) == dataflow::glb_footprint_bytes(r.plan));
  }
}
