// The pass order, the pass span and the SCALE-Sim preset (docs/dataflow.md): the order only
// reorders a tile's passes, the span only changes cycles, the preset is SCALE-Sim's mapping and
// yields to what is pinned beside it; the new mapping keys read back as written.
#include <catch2/catch.hpp>

#include <algorithm>
#include <tuple>

#include "dataflow/analytical.hpp"
#include "dataflow_test_util.hpp"

using namespace enos;

namespace {

using PassKey = std::tuple<int, int, int64_t, int64_t, int, int>;
PassKey key(const dataflow::ArrayTile& a) { return {a.k0, a.k_count, a.j0, a.j_count, a.pix0, a.pix_count}; }

std::vector<PassKey> keys(const dataflow::LayerPlan& plan, const dataflow::GlbTile& t) {
  std::vector<PassKey> out;
  for (const dataflow::ArrayTile& a : dataflow::array_tiles(plan, t)) out.push_back(key(a));
  return out;
}

// The column chunk a pass belongs to: output channels under WS and OS, pixels under IS.
int column_chunk(const dataflow::LayerPlan& plan, const dataflow::ArrayTile& a) {
  return plan.mapping.dataflow == spec::Dataflow::InputStationary ? a.pix0 : a.k0;
}

}  // namespace

TEST_CASE("the pass order reorders a tile's passes and nothing else", "[dataflow][passes]") {
  std::mt19937_64 rng(71);
  for (int n = 0; n < 200; ++n) {
    test::RandomPlan r = test::random_plan(rng);
    dataflow::LayerPlan cols = r.plan, rows = r.plan;
    cols.mapping.pass_order = spec::PassOrder::ColsOuter;
    rows.mapping.pass_order = spec::PassOrder::RowsOuter;
    INFO(pe::to_string(r.plan.shape) << " " << spec::to_json(r.plan.mapping).dump());
    for (const dataflow::GlbTile& t : dataflow::glb_tiles(r.plan)) {
      std::vector<PassKey> a = keys(cols, t), b = keys(rows, t);
      // Columns outermost: a column chunk's passes are consecutive.
      const std::vector<dataflow::ArrayTile> passes = dataflow::array_tiles(cols, t);
      for (std::size_t i = 1; i < passes.size(); ++i)
        if (column_chunk(cols, passes[i]) != column_chunk(cols, passes[i - 1]))
          for (std::size_t j = i + 1; j < passes.size(); ++j)
            REQUIRE(column_chunk(cols, passes[j]) != column_chunk(cols, passes[i - 1]));
      std::sort(a.begin(), a.end());
      std::sort(b.begin(), b.end());
      REQUIRE(a == b);
    }
    CHECK(dataflow::analyze(cols, r.arch).actions == dataflow::analyze(rows, r.arch).actions);
  }
}

TEST_CASE("a whole-array span adds fill and drain cycles, never actions", "[dataflow][passes]") {
  std::mt19937_64 rng(72);
  for (int n = 0; n < 200; ++n) {
    test::RandomPlan r = test::random_plan(rng);
    dataflow::LayerPlan used = r.plan, whole = r.plan;
    used.mapping.pass_span = spec::PassSpan::UsedPes;
    whole.mapping.pass_span = spec::PassSpan::WholeArray;
    const dataflow::AnalyticalResult u = dataflow::analyze(used, r.arch), w = dataflow::analyze(whole, r.arch);
    INFO(pe::to_string(r.plan.shape) << " " << spec::to_json(r.plan.mapping).dump());
    CHECK(u.actions == w.actions);
    CHECK(u.cycles.busy == w.cycles.busy);
    CHECK(w.cycles.fill_drain >= u.cycles.fill_drain);
  }
}

TEST_CASE("the scalesim preset is SCALE-Sim's mapping, and pins beside it win", "[dataflow][passes]") {
  pe::ConvShape s;
  s.C = 16, s.K = 40, s.H = s.W = 12, s.R = s.S = 3, s.pad = 1;
  const spec::ArchSpec arch = test::small_arch(4, 4);
  spec::PinnedMapping pin;
  pin.preset = spec::MappingPreset::ScaleSim;
  const std::vector<spec::Mapping> all = dataflow::mapping_candidates(s, arch.modes[0].candidate, arch, pin);
  REQUIRE(all.size() == arch.dataflows.size());  // one per dataflow
  for (const spec::Mapping& m : all) {
    CHECK(m.k_tile == 40);
    CHECK(m.p_tile == 12);
    CHECK_FALSE(m.double_buffer);
    CHECK(m.pass_order == spec::PassOrder::ColsOuter);
    CHECK(m.pass_span == spec::PassSpan::WholeArray);
  }
  pin.pass_span = spec::PassSpan::UsedPes;
  pin.dataflow = spec::Dataflow::InputStationary;
  const std::vector<spec::Mapping> one = dataflow::mapping_candidates(s, arch.modes[0].candidate, arch, pin);
  REQUIRE(one.size() == 1);
  CHECK(one[0].dataflow == spec::Dataflow::InputStationary);
  CHECK(one[0].pass_span == spec::PassSpan::UsedPes);
  CHECK(one[0].k_tile == 40);
}

TEST_CASE("pass_order, pass_span and preset read back as written", "[dataflow][passes]") {
  const nlohmann::json doc = {{"dataflow", "input_stationary"}, {"pass_order", "rows_outer"},
                              {"pass_span", "whole_array"}, {"preset", "scalesim"}};
  const spec::PinnedMapping p = spec::parse_pinned_mapping(spec::JsonNode(doc, "t.json", "mapping"));
  CHECK(*p.dataflow == spec::Dataflow::InputStationary);
  CHECK(*p.pass_order == spec::PassOrder::RowsOuter);
  CHECK(*p.pass_span == spec::PassSpan::WholeArray);
  CHECK(*p.preset == spec::MappingPreset::ScaleSim);
  CHECK(spec::to_json(p) == doc);
  // A complete mapping writes the new keys only when they differ from the defaults, so older
  // files read back the same.
  spec::Mapping m;
  CHECK_FALSE(spec::to_json(m).contains("pass_order"));
  CHECK_FALSE(spec::to_json(m).contains("pass_span"));
  m.pass_order = spec::PassOrder::ColsOuter;
  m.pass_span = spec::PassSpan::WholeArray;
  const spec::Mapping back = spec::parse_mapping(spec::JsonNode(spec::to_json(m), "t.json", "mapping"));
  CHECK(back.pass_order == m.pass_order);
  CHECK(back.pass_span == m.pass_span);
  const nlohmann::json bad = {{"pass_span", "half"}};
  CHECK_THROWS_WITH(spec::parse_pinned_mapping(spec::JsonNode(bad, "t.json", "mapping")),
                    Catch::Matchers::Contains("mapping.pass_span"));
}
