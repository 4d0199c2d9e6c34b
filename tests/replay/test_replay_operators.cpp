// Small networks replayed on the SystemC model in every operator kind: bit-exact against the
// integer reference, and the array's energy equal to the LUT's (same mapping, counts that do
// not depend on the data). One elaboration per TEST_CASE (its own process).
#include <catch2/catch.hpp>

#include "replay/network.hpp"
#include "replay/replay.hpp"
#include "replay_test_util.hpp"

using namespace enos;

namespace {

replay::ReplayResult replay_dir(sim::Runner& runner, const test::Generated& g, int images) {
  const replay::Export e = replay::load_export(g.dir + "/mapping.json");
  const replay::TestImages data = replay::load_test_images("fashion-mnist:" + g.dir + "/data");
  replay::ReplayRequest req{&e, &g.arch, &g.table, &data, images, {}};
  return replay::replay(runner, req);
}

void check_replay(const replay::ReplayResult& r, bool uniform = false, bool zero_gating = false) {
  CHECK(r.mismatches() == 0);
  for (const replay::LayerReplay& l : r.layers) {
    INFO(l.name);
    CHECK(l.checked_values > 0);
    if (l.unit != "pe_array") continue;
    // Counts depend on the data only where zeros are gated (the real zeros of each image).
    if (!zero_gating) CHECK_FALSE(l.counts_vary);
    if (zero_gating) {
      CHECK(l.input_zero_frac >= 0);
      continue;  // the LUT measured its assumed share of zeros, the replay the images' own
    }
    // Where the LUT's assumption (the network's buffer plan at this layer's candidate) is where
    // the tensors lived, the LUT is exact; elsewhere the report names the difference.
    // One candidate on a buffer that holds everything: the same homes as the LUT's plan at the
    // widest mode (the bytes held beside the tiles may differ: narrower tensors).
    if (uniform) {
      CHECK(l.residency.inputs == l.lut_residency.inputs);
      CHECK(l.residency.outputs == l.lut_residency.outputs);
      CHECK(l.residency.weights == l.lut_residency.weights);
    }
    if (!(l.residency == l.lut_residency)) continue;
    CHECK(l.array.energy_pj == Approx(l.lut_energy_pj).epsilon(1e-9));
    CHECK(int64_t(l.array.cycles) == l.lut_cycles);
  }
  for (const replay::ImageResult& i : r.images) {
    CHECK(i.prediction == i.reference_prediction);
    CHECK(i.prediction == i.fake_quant_prediction);
  }
}

void run_kind(const char* candidate) {
  test::Generated g = test::default_target();
  sim::Runner runner(g.arch);
  const std::vector<pe::Candidate> c{pe::parse_candidate(candidate)};
  test::generate(runner, g, test::replay_data("mixed.json"), std::string("replay_") + candidate, c, 3);
  check_replay(replay_dir(runner, g, 3), true);
}

}  // namespace

TEST_CASE("replay int:w8a8 network with every layer kind", "[replay][sim]") { run_kind("int:w8a8"); }
TEST_CASE("replay int:w4a4 network with every layer kind", "[replay][sim]") { run_kind("int:w4a4"); }
TEST_CASE("replay int:w2a2 network with every layer kind", "[replay][sim]") { run_kind("int:w2a2"); }
TEST_CASE("replay bin:w1a8 network with every layer kind", "[replay][sim]") { run_kind("bin:w1a8"); }
TEST_CASE("replay mf:w8a8 network with every layer kind", "[replay][sim]") { run_kind("mf:w8a8"); }
TEST_CASE("replay shift:w4a8 network with every layer kind", "[replay][sim]") { run_kind("shift:w4a8"); }

TEST_CASE("replay a mixed-operator network on the output-stationary systolic preset", "[replay][sim]") {
  test::Generated g = test::default_target();
  g.arch = spec::load_arch(test::config_file("arch/os_systolic_16x16.json"));
  std::vector<pe::Candidate> c;
  for (const spec::ModeSpec& m : g.arch.modes) c.push_back(m.candidate);
  sim::Runner runner(g.arch);
  test::generate(runner, g, test::replay_data("mixed.json"), "replay_os_mixed", c, 2);
  check_replay(replay_dir(runner, g, 2));
}

TEST_CASE("replay a mixed-operator network on the Eyeriss-like multicast-bus preset", "[replay][sim]") {
  test::Generated g = test::default_target();
  g.arch = spec::load_arch(test::config_file("arch/eyeriss_like_12x14.json"));
  std::vector<pe::Candidate> c;
  for (const spec::ModeSpec& m : g.arch.modes) c.push_back(m.candidate);
  sim::Runner runner(g.arch);
  test::generate(runner, g, test::replay_data("mixed.json"), "replay_eyeriss_mixed", c, 2);
  REQUIRE(g.arch.zero_gating);
  check_replay(replay_dir(runner, g, 2), false, true);
}

TEST_CASE("the layer comparison finds a changed accumulator and names the layer", "[replay][sim]") {
  test::Generated g = test::default_target();
  sim::Runner runner(g.arch);
  test::generate(runner, g, test::replay_data("two_layer.json"), "replay_compare", {pe::parse_candidate("int:w4a4")}, 2);
  const replay::Export e = replay::load_export(g.dir + "/mapping.json");
  replay::ReferenceBackend ref;
  std::vector<uint8_t> px(64);
  for (std::size_t i = 0; i < px.size(); ++i) px[i] = uint8_t(i * 37);
  const replay::Forward a = replay::forward(e, px, ref);
  replay::Forward b = a;
  b.accs[1][3].main += 1;
  CHECK(replay::compare_layer(a, b, 0).count == 0);
  CHECK(replay::compare_layer(a, b, 1).count == 1);
  CHECK(replay::compare_layer(a, b, 1).first == 3);
}
