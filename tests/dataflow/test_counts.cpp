// Closed-form action counts against the brute-force per-pixel count, and MACs against the
// shape.
#include <catch2/catch.hpp>

#include "dataflow/analytical.hpp"
#include "dataflow/counts.hpp"
#include "dataflow_test_util.hpp"

using namespace enos;

namespace {

std::string diff(const spec::ActionCounts& want, const spec::ActionCounts& got) {
  std::string out;
  for (const auto& [name, c] : want.all())
    if (!(got.get(name) == c) || !got.all().count(name))
      out += name + ": want " + std::to_string(c.count) + "/" + std::to_string(c.bits) + " got " +
             std::to_string(got.get(name).count) + "/" + std::to_string(got.get(name).bits) + "\n";
  for (const auto& [name, c] : got.all())
    if (!want.all().count(name)) out += name + ": not expected\n";
  return out;
}

}  // namespace

TEST_CASE("valid input reads count (r,s) × (p,q) ranges like a per-pixel loop", "[dataflow][counts]") {
  std::mt19937_64 rng(21);
  for (int n = 0; n < 500; ++n) {
    const pe::ConvShape s = test::random_shape(rng);
    const int P = s.P(), Q = s.Q();
    const int p0 = test::pick(rng, 0, P - 1);
    const int64_t pixels = int64_t(P - p0) * Q;
    const int64_t pix0 = test::pick(rng, 0, int(pixels - 1));
    const int64_t pc = test::pick(rng, 1, int(pixels - pix0));
    const int64_t J = s.reduction();
    const int64_t j0 = test::pick(rng, 0, int(J - 1));
    const int64_t jc = test::pick(rng, 1, int(J - j0));
    INFO(pe::to_string(s) << " p0 " << p0 << " j " << j0 << "+" << jc << " pix " << pix0 << "+" << pc);
    CHECK(dataflow::valid_input_reads(s, p0, j0, jc, pix0, pc) ==
          test::brute_reads(s, p0, j0, jc, pix0, pc));
  }
}

TEST_CASE("padding is never read: a 3x3 pad-1 layer reads each input once per covering kernel tap", "[dataflow][counts]") {
  // 1 channel, 3×3 map, 3×3 kernel, pad 1: the 9 outputs read 4+6+4+6+9+6+4+6+4 = 49 of the
  // 81 (output, tap) pairs; the other 32 are padding.
  pe::ConvShape s;
  s.H = s.W = 3, s.R = s.S = 3, s.pad = 1;
  CHECK(dataflow::valid_input_reads(s, 0, 0, 9, 0, 9) == 49);
  CHECK(dataflow::valid_input_reads(s, 1, 0, 9, 0, 3) == 6 + 9 + 6);  // the middle output row
}

TEST_CASE("analytical action counts equal the per-pixel count on random layers", "[dataflow][counts]") {
  std::mt19937_64 rng(22);
  for (int n = 0; n < 250; ++n) {
    const test::RandomPlan r = test::random_plan(rng);
    INFO(pe::to_string(r.plan.shape) << " " << pe::to_string(r.plan.candidate) << " lanes "
                                     << r.plan.lanes << " array " << r.plan.rows << "x" << r.plan.cols
                                     << (r.plan.topology == spec::NocTopology::MulticastBus ? " bus " : " ")
                                     << spec::to_json(r.plan.mapping).dump());
    const dataflow::AnalyticalResult got = dataflow::analyze(r.plan, r.arch);
    const spec::ActionCounts want = test::brute_counts(r.plan);
    INFO(diff(want, got.actions));
    CHECK(got.actions == want);
    CHECK(got.macs == r.plan.shape.macs());
    CHECK(got.actions.get("pe.op." + pe::to_string(r.plan.candidate)).count == r.plan.shape.macs());
  }
}

TEST_CASE("DRAM traffic: inner-loop tensors are refetched, outputs written once", "[dataflow][counts]") {
  // conv 8→32, 6×6, 3×3 pad 1, int:w8a8; k_tile 16, p_tile 3 → 2 × 2 tiles.
  pe::ConvShape s;
  s.C = 8, s.K = 32, s.H = s.W = 6, s.R = s.S = 3, s.pad = 1;
  const spec::ArchSpec arch = test::small_arch(4, 4);
  spec::Mapping m;
  m.k_tile = 16, m.p_tile = 3;
  m.order = spec::LoopOrder::KOuter;
  const auto k_outer = dataflow::analyze(dataflow::make_plan(s, arch.modes[1].candidate, arch, m), arch);
  m.order = spec::LoopOrder::POuter;
  const auto p_outer = dataflow::analyze(dataflow::make_plan(s, arch.modes[1].candidate, arch, m), arch);
  REQUIRE(pe::to_string(arch.modes[1].candidate) == "int:w8a8");
  // Input tiles: rows 0–3 and 2–5 of 8 channels × 6 columns = 192 words each.
  CHECK(k_outer.actions.get("dram.read.weight").count == s.weight_count());
  CHECK(k_outer.actions.get("dram.read.input").count == 2 * 2 * 192);
  CHECK(p_outer.actions.get("dram.read.weight").count == 2 * s.weight_count());
  CHECK(p_outer.actions.get("dram.read.input").count == 2 * 192);
  for (const auto* r : {&k_outer, &p_outer}) {
    CHECK(r->actions.get("dram.write.output").count == s.output_count());
    CHECK(r->actions.get("dram.write.output").bits == 8 * s.output_count());
    CHECK(r->actions.get("glb.read.output").bits == 32 * s.output_count());
  }
}
