// Simulation speed: every conv and FC layer of a workload on one architecture and operator,
// several times through one elaborated model. Prints medians of wall time, simulated cycles
// and MACs per second, and the ratio to the plain C++ reference computation of the same layers
// measured in the same run.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include <systemc>

#include "dataflow/mapper.hpp"
#include "pe/reference.hpp"
#include "sim/runner.hpp"
#include "spec/workload.hpp"

using namespace enos;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

struct PreparedLayer {
  sim::LayerJob job;
  pe::LayerData data;
};

}  // namespace

int sc_main(int argc, char* argv[]) {
  const std::string dir = ENOS_CONFIG_DIR;
  const std::string arch_file = argc > 1 ? argv[1] : dir + "/arch/ws_systolic_16x16.json";
  const std::string work_file = argc > 2 ? argv[2] : dir + "/workloads/shufflenetv2_x0.5_32x32x3.json";
  const pe::Candidate cand = pe::parse_candidate(argc > 3 ? argv[3] : pe::to_string(pe::reference_candidate()));
  const int runs = argc > 4 ? std::stoi(argv[4]) : 5;

  const spec::ArchSpec arch = spec::load_arch(arch_file);
  const spec::Workload work = spec::load_workload(work_file);
  std::vector<PreparedLayer> layers;
  std::mt19937_64 rng(1);
  const auto t_map = Clock::now();
  for (const spec::Layer& l : work.layers) {
    if (!l.is_mac()) continue;
    PreparedLayer p;
    p.job.name = l.name;
    const spec::Mapping m = dataflow::choose_mapping(l.conv, cand, arch, l.mapping, dataflow::rough_cost_model());
    p.job.plan = dataflow::make_plan(l.conv, cand, arch, m);
    p.data = pe::random_layer_data(l.conv, cand, rng);
    layers.push_back(std::move(p));
  }
  const double map_s = seconds_since(t_map);
  for (PreparedLayer& p : layers) p.job.data = &p.data;

  sim::Runner runner(arch);
  std::vector<double> sim_s, ref_s;
  int64_t cycles = 0, macs = 0;
  for (int r = 0; r < runs; ++r) {
    cycles = macs = 0;
    auto t0 = Clock::now();
    for (const PreparedLayer& p : layers) {
      const sim::LayerResult res = runner.run(p.job);
      cycles += res.cycles.total();
      macs += res.macs;
    }
    sim_s.push_back(seconds_since(t0));
    t0 = Clock::now();
    for (const PreparedLayer& p : layers) pe::reference_conv(p.job.plan.shape, cand, p.data);
    ref_s.push_back(seconds_since(t0));
  }
  const double s = median(sim_s), ref = median(ref_s);
  std::printf("bench_simulate: %s, %s, %s, %zu MAC layers, %d runs (medians)\n", arch.name.c_str(),
              work.name.c_str(), pe::to_string(cand).c_str(), layers.size(), runs);
  std::printf("  mapping all layers:        %.3f s\n", map_s);
  std::printf("  simulated MACs:            %lld\n", (long long)macs);
  std::printf("  simulated cycles:          %lld (%.1f us at %.0f MHz)\n", (long long)cycles,
              double(cycles) * arch.cycle_ns() / 1000.0, arch.clock_mhz);
  std::printf("  wall time:                 %.3f s\n", s);
  std::printf("  simulated cycles / s:      %.3g\n", double(cycles) / s);
  std::printf("  simulated MACs / s:        %.3g\n", double(macs) / s);
  std::printf("  C++ reference wall time:   %.4f s\n", ref);
  std::printf("  simulation / reference:    %.1fx\n", s / ref);
  return 0;
}
