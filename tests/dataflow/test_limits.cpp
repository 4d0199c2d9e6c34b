// Per-layer limits (dataflow/limits.hpp, docs/cli.md "Limits"), issue 18 cases 2 and 5: cycle
// counts checked instead of wrapped, layers too large for the simulator refused up front.
#include <catch2/catch.hpp>

#include "dataflow/limits.hpp"
#include "dataflow/timing.hpp"
#include "spec/json_reader.hpp"
#include "spec/limits.hpp"

using namespace enos;

namespace {

spec::ArchSpec arch_with(double bytes_per_cycle, int64_t glb_kib = 128) {
  nlohmann::json doc = spec::load_json_file(std::string(ENOS_CONFIG_DIR) + "/arch/default_reconfigurable_16x16.json");
  doc["dram"]["bytes_per_cycle"] = bytes_per_cycle;
  doc["global_buffer"]["size_kib"] = glb_kib;
  return spec::parse_arch(doc, "arch.json");
}

pe::ConvShape conv(int C, int K, int H, int W, int R) {
  pe::ConvShape s;
  s.C = C, s.K = K, s.H = H, s.W = W, s.R = R, s.S = R, s.pad = R / 2;
  return s;
}

template <class F>
std::string spec_error_of(F&& f) {
  try {
    f();
  } catch (const spec::SpecError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

// Case 2: 1e-14 bytes per cycle reported fewer cycles than 1e-12 (the float → int64 cast
// wrapped), and smaller values all saturated at 4.6e15, exit 0.
TEST_CASE("a DRAM transfer beyond the cycle limit is refused, never wrapped", "[dataflow][limits]") {
  spec::DramSpec d;
  d.bytes_per_cycle = 1e-6;
  CHECK(dataflow::dram_transfer_cycles(d, 8 * 1000) == 1000000000);
  for (double bpc : {1e-12, 1e-14, 1e-300}) {
    d.bytes_per_cycle = bpc;
    CHECK_THROWS_AS(dataflow::dram_transfer_cycles(d, 8 * 4096), dataflow::CycleLimitError);
  }
  try {
    d.bytes_per_cycle = 1e-14;
    dataflow::dram_transfer_cycles(d, 8 * 4096);
  } catch (const dataflow::CycleLimitError& e) {
    CHECK_THAT(e.what(), Catch::Contains("arch.dram.bytes_per_cycle"));
  }
}

TEST_CASE("the DRAM stall walk stops at the cycle limit instead of overflowing", "[dataflow][limits]") {
  const int64_t big = spec::kMaxLayerCycles / 2;
  std::vector<dataflow::TileSteps> tiles(3, dataflow::TileSteps{big, big, 0, big});
  CHECK_THROWS_AS(dataflow::dram_stall_cycles(tiles, true, 0), dataflow::CycleLimitError);
}

TEST_CASE("a layer whose DRAM traffic alone exceeds the limit names bytes_per_cycle", "[dataflow][limits]") {
  const std::string e = spec_error_of([] {
    dataflow::check_layer_limits(pe::fully_connected(64, 64), pe::parse_candidate("int:w8a8"), arch_with(1e-14),
                                 {"--layer", "layer0 = fc:64,64"});
  });
  CHECK_THAT(e, Catch::Contains("arch.json: arch.dram.bytes_per_cycle: at 1e-14 bytes per cycle"));
  CHECK_THAT(e, Catch::Contains("2^40 cycles"));
  CHECK_NOTHROW(dataflow::check_layer_limits(pe::fully_connected(64, 64), pe::parse_candidate("int:w8a8"),
                                             arch_with(1e-3), {"--layer", "layer0 = fc:64,64"}));
}

// Case 5: layers inside the documented ranges allocated tens of GB (bad_alloc, exit 4).
TEST_CASE("layers too large for the simulator's memory are refused with the figure", "[dataflow][limits]") {
  const spec::ArchSpec huge_glb = arch_with(16, int64_t(1) << 22);  // 4 GiB
  const pe::Candidate c = pe::parse_candidate("int:w8a8");
  const std::string a = spec_error_of([&] {
    dataflow::check_layer_limits(conv(1024, 8, 4096, 4096, 3), c, huge_glb, {"w.json", "workload.layers[0]"});
  });
  CHECK_THAT(a, Catch::Contains("w.json: workload.layers[0]: layer conv:1024,8,4096,4096,3,3,1,1,1 needs about"));
  CHECK_THAT(a, Catch::Contains("GiB of memory in the simulator, more than 4.00 GiB"));
  const std::string b = spec_error_of([&] {
    dataflow::check_layer_limits(pe::fully_connected(65536, 65536), c, huge_glb, {"--layer", "layer0 = fc:65536,65536"});
  });
  CHECK_THAT(b, Catch::Contains("16.00 GiB"));
  CHECK_NOTHROW(dataflow::check_layer_limits(conv(64, 64, 56, 56, 3), c, huge_glb, {"w.json", "workload.layers[0]"}));
}

TEST_CASE("the mapper keeps global-buffer tiles within the simulator's memory", "[dataflow][limits]") {
  // A 4 GiB buffer holds the whole layer as one tile; in the simulator's words (int32
  // operands, 8-byte sums, two slots) that tile alone would need more than the limit.
  const spec::ArchSpec huge_glb = arch_with(16, int64_t(1) << 22);
  const pe::ConvShape s = conv(128, 128, 1000, 1000, 1);
  const pe::Candidate c = pe::parse_candidate("int:w2a2");
  REQUIRE(dataflow::layer_data_bytes(s) < spec::kMaxLayerBytes);
  spec::PinnedMapping pin;  // fewer candidates: the test is about which tiles are allowed
  pin.dataflow = spec::Dataflow::WeightStationary, pin.order = spec::LoopOrder::KOuter, pin.double_buffer = false;
  pin.k_tile = 128;
  const spec::Mapping m = dataflow::choose_mapping(s, c, huge_glb, pin, dataflow::rough_cost_model());
  const dataflow::LayerPlan plan = dataflow::make_plan(s, c, huge_glb, m);
  CHECK(dataflow::plan_bytes(plan) <= spec::kMaxLayerBytes);
  CHECK_NOTHROW(dataflow::check_plan_limits(plan, huge_glb, "big"));
}

TEST_CASE("plan_bytes takes the largest tile of each tensor, as the schedule's tiles have them", "[dataflow][limits]") {
  const spec::ArchSpec arch = arch_with(16);
  pe::ConvShape s = conv(8, 16, 11, 9, 3);
  s.stride = 2;
  for (int k_tile : {1, 5, 16})
    for (int p_tile : {1, 2, 4, 6}) {
      spec::Mapping m;
      m.k_tile = k_tile, m.p_tile = p_tile;
      const dataflow::LayerPlan plan = dataflow::make_plan(s, pe::parse_candidate("int:w8a8"), arch, m);
      int64_t w = 0, in = 0, out = 0;
      for (const dataflow::GlbTile& t : dataflow::glb_tiles(plan)) {
        w = std::max(w, t.weight_words);
        in = std::max(in, t.input_words);
        out = std::max(out, t.output_words);
      }
      INFO("k_tile " << k_tile << " p_tile " << p_tile);
      CHECK(dataflow::plan_bytes(plan) == dataflow::layer_data_bytes(s) + 2 * (4 * w + 4 * in + 8 * out));
    }
}
