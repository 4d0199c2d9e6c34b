// Agreement with SCALE-Sim v2, pinned: figures SCALE-Sim reported for a handful of dense layers
// in bench/scalesim_crosscheck.sh (ample bandwidth, SCALE-Sim's mapping), which the SystemC
// model must reproduce term by term without SCALE-Sim (docs/dataflow.md, "Agreement with
// SCALE-Sim"): the same SRAM reads per operand, the same writes (less SCALE-Sim's extra
// (rows + cols) per output-stationary fold), and stall-free cycles equal to SCALE-Sim's total
// plus the documented constant: 1 (SCALE-Sim reports the last cycle's index), 2 start-up, 2
// tail, and under output-stationary the drain of the last fold's rows.
#include <catch2/catch.hpp>

#include "sim_test_util.hpp"

using namespace enos;

namespace {

// A layer in SCALE-Sim's form (no padding: the input rows and columns its windows read).
pe::ConvShape dense(int C, int K, int H, int W, int R, int stride) {
  pe::ConvShape s;
  s.C = C, s.K = K, s.H = H, s.W = W, s.R = s.S = R, s.stride = stride;
  return s;
}

// What SCALE-Sim's COMPUTE_REPORT and DETAILED_ACCESS_REPORT said (Total Cycles, SRAM IFMAP
// Reads, SRAM Filter Reads, SRAM OFMAP Writes; no stalls with ample bandwidth).
struct ScaleSimFigures {
  const char* layer;
  pe::ConvShape shape;
  spec::Dataflow dataflow;
  int64_t cycles, ifmap_reads, filter_reads, ofmap_writes;
};

// The bench's 16x16 array: one 8-bit MAC per PE and cycle, every port and link wide enough.
spec::ArchSpec scalesim_like(int rows, int cols) {
  spec::ArchSpec a;
  a.name = "scalesim_like";
  a.rows = rows, a.cols = cols;
  a.modes = {{pe::parse_candidate("int:w8a8"), 1}};
  a.dataflows = {spec::Dataflow::WeightStationary, spec::Dataflow::OutputStationary,
                 spec::Dataflow::InputStationary};
  a.glb.size_bytes = int64_t(8) << 20;
  a.glb.banks = 256;
  a.noc.link_width_bits = 4096;
  a.dram.bytes_per_cycle = 4096;
  a.dram.latency_cycles = 0;
  return a;
}

void check(sim::Runner& runner, const ScaleSimFigures& f, std::mt19937_64& rng) {
  const spec::ArchSpec& arch = runner.arch();
  const spec::Mapping m = dataflow::scalesim_mapping(f.shape, f.dataflow);
  const test::CheckedRun run = test::run_checked(runner, f.shape, arch.modes[0].candidate, m, rng);
  const dataflow::LayerPlan plan = dataflow::make_plan(f.shape, arch.modes[0].candidate, arch, m);
  const dataflow::GlbTile tile = dataflow::glb_tiles(plan).at(0);
  const std::vector<dataflow::ArrayTile> passes = dataflow::array_tiles(plan, tile);
  const bool os = f.dataflow == spec::Dataflow::OutputStationary;
  const spec::ActionCounts& a = run.result.actions;
  const sim::CycleBreakdown& c = run.result.cycles;
  INFO(f.layer << " " << spec::to_string(f.dataflow) << " on " << arch.rows << "x" << arch.cols);
  REQUIRE(run.result.outputs == run.reference);
  const int64_t stall_free = c.busy + c.fill_drain;
  CHECK(stall_free == f.cycles + 1 + 2 + 2 + (os ? passes.back().rows_used : 0));
  CHECK(std::abs(double(stall_free - f.cycles)) <= 0.01 * double(f.cycles));
  CHECK(a.get("glb.read.input").count == f.ifmap_reads);
  CHECK(a.get("glb.read.weight").count == f.filter_reads);
  const int64_t writes = a.get("glb.write.output").count + a.get("glb.write.psum").count;
  CHECK(writes == f.ofmap_writes - (os ? int64_t(passes.size()) * (arch.rows + arch.cols) : 0));
}

}  // namespace

TEST_CASE("SCALE-Sim's figures for six layers on a 16x16 array in every dataflow", "[sim][scalesim]") {
  const pe::ConvShape conv1 = dense(3, 24, 34, 34, 3, 1);  // shufflenetv2_x0.5 conv1.0, padded
  const pe::ConvShape pw = dense(96, 96, 8, 8, 1, 1);      // shufflenetv2_x0.5 stage4 pointwise
  const pe::ConvShape fc = dense(1024, 10, 1, 1, 1, 1);    // shufflenetv2_x0.5 fc
  const pe::ConvShape e3 = dense(16, 64, 18, 18, 3, 1);    // squeezenet1_1 features.3.expand3x3
  const pe::ConvShape sq = dense(512, 64, 4, 4, 1, 1);     // squeezenet1_1 features.12.squeeze
  const pe::ConvShape down = dense(64, 128, 31, 31, 1, 2); // ResNet-18 CIFAR 1x1 shortcut, stride 2
  const auto WS = spec::Dataflow::WeightStationary, OS = spec::Dataflow::OutputStationary,
             IS = spec::Dataflow::InputStationary;
  const ScaleSimFigures figures[] = {
      {"conv1", conv1, WS, 4279, 55296, 648, 49152},        {"pw", pw, WS, 3959, 36864, 9216, 36864},
      {"fc", fc, WS, 3007, 1024, 10240, 640},               {"e3", e3, WS, 10871, 147456, 9216, 147456},
      {"sq", sq, WS, 7935, 32768, 32768, 32768},            {"down", down, WS, 9663, 131072, 8192, 131072},
      {"conv1", conv1, OS, 7295, 55296, 41472, 28672},      {"pw", pw, OS, 3023, 36864, 36864, 6912},
      {"fc", fc, OS, 1053, 1024, 10240, 42},                {"e3", e3, OS, 11135, 147456, 147456, 18432},
      {"sq", sq, OS, 2167, 32768, 32768, 1152},             {"down", down, OS, 12031, 131072, 131072, 36864},
      {"conv1", conv1, IS, 8959, 27648, 41472, 49152},      {"pw", pw, IS, 3407, 6144, 36864, 36864},
      {"fc", fc, IS, 3583, 1024, 10240, 640},               {"e3", e3, IS, 15839, 36864, 147456, 147456},
      {"sq", sq, IS, 3519, 8192, 32768, 32768},             {"down", down, IS, 11135, 16384, 131072, 131072},
  };
  sim::Runner runner(scalesim_like(16, 16));
  std::mt19937_64 rng(15);
  for (const ScaleSimFigures& f : figures) check(runner, f, rng);
}
