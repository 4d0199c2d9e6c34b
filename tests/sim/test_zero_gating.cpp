// Zero gating (arch pe.zero_gating, Eyeriss-style): a zero activation skips its operation,
// counted as pe.gated.<candidate>; outputs stay bit-exact and gated + executed = MACs, with the
// gated count equal to the zeros the data really holds.
#include <catch2/catch.hpp>

#include <algorithm>

#include "sim_test_util.hpp"

using namespace enos;

namespace {

// MACs whose activation is zero, by brute force over the loop nest: a zero value or padding
// (the array multiplies padding positions too, and gates them like any zero).
int64_t zero_activation_macs(const pe::ConvShape& s, const std::vector<int32_t>& inputs) {
  int64_t n = 0;
  const int cg = s.channels_per_group();
  for (int g = 0; g < s.groups; ++g)
    for (int p = 0; p < s.P(); ++p)
      for (int q = 0; q < s.Q(); ++q)
        for (int c = 0; c < cg; ++c)
          for (int r = 0; r < s.R; ++r)
            for (int k = 0; k < s.S; ++k) {
              const int h = p * s.stride - s.pad + r, w = q * s.stride - s.pad + k;
              const bool inside = h >= 0 && h < s.H && w >= 0 && w < s.W;
              if (!inside || inputs[std::size_t((int64_t(g * cg + c) * s.H + h) * s.W + w)] == 0)
                n += s.outputs_per_group();
            }
  return n;
}

void check_gating(const spec::ArchSpec& arch, uint64_t seed) {
  sim::Runner runner(arch);
  std::mt19937_64 rng(seed);
  for (int n = 0; n < 20; ++n) {
    const pe::ConvShape shape = test::random_shape(rng);
    const spec::ModeSpec& mode = arch.modes[rng() % arch.modes.size()];
    const spec::Mapping mapping = test::random_mapping(shape, arch, rng);
    const std::string op = pe::to_string(mode.candidate);
    INFO(arch.name << " " << op << " " << pe::to_string(shape) << " " << spec::to_json(mapping).dump());
    sim::LayerJob job;
    job.plan = dataflow::make_plan(shape, mode.candidate, arch, mapping);
    pe::LayerData data = pe::random_layer_data(shape, mode.candidate, rng);
    // Half the inputs zero, at random places.
    for (int32_t& x : data.inputs)
      if (rng() & 1) x = 0;
    job.data = &data;
    const sim::LayerResult r = runner.run(job);
    CHECK(r.outputs == pe::reference_conv(shape, mode.candidate, data));
    const int64_t executed = r.actions.get("pe.op." + op).count, gated = r.actions.get("pe.gated." + op).count;
    CHECK(executed + gated == r.macs);
    CHECK(r.macs == shape.macs());
    CHECK(gated == zero_activation_macs(shape, data.inputs));
  }
}

}  // namespace

TEST_CASE("zero gating skips zero activations and stays bit-exact (Eyeriss-like, output-stationary)",
          "[sim][zero_gating]") {
  check_gating(test::preset("eyeriss_like_12x14.json"), 71);
}

TEST_CASE("zero gating skips zero activations and stays bit-exact (weight-stationary)", "[sim][zero_gating]") {
  spec::ArchSpec a = test::preset("ws_systolic_16x16.json");
  a.zero_gating = true;
  check_gating(a, 72);
}

TEST_CASE("zero gating skips zero activations and stays bit-exact (input-stationary)", "[sim][zero_gating]") {
  spec::ArchSpec a = test::preset("is_systolic_16x16.json");
  a.zero_gating = true;
  check_gating(a, 73);
}
