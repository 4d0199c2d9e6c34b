#pragma once
// Helpers for the SystemC model's tests. Each TEST_CASE runs in its own process (CTest), so
// it may elaborate its accelerators once, before its first run.
#include <random>
#include <string>

#include "dataflow/mapper.hpp"
#include "pe/reference.hpp"
#include "sim/runner.hpp"
#include "spec/arch.hpp"

namespace enos::test {

inline spec::ArchSpec preset(const std::string& file) {
  return spec::load_arch(std::string(ENOS_CONFIG_DIR) + "/arch/" + file);
}

// A random conv shape small enough for fast tests: groups, depthwise, stride, padding, 1x1, FC.
inline pe::ConvShape random_shape(std::mt19937_64& rng) {
  auto pick = [&](int lo, int hi) { return lo + int(rng() % uint64_t(hi - lo + 1)); };
  pe::ConvShape s;
  switch (pick(0, 4)) {
    case 0: s.groups = 1; break;                       // dense
    case 1: s.groups = pick(2, 3); break;              // grouped
    case 2: s.groups = -1; break;                      // depthwise (set below)
    case 3: s.R = s.S = 1; s.groups = 1; break;        // pointwise
    default: return pe::fully_connected(pick(1, 40), pick(1, 24));
  }
  const int g = s.groups > 0 ? s.groups : 1;
  // Now and then wide enough to need several column passes and reduction passes.
  const int most = pick(0, 3) == 0 ? 24 : 6;
  s.C = g * pick(1, most);
  s.K = s.groups == -1 ? s.C : g * pick(1, most);
  if (s.groups == -1) s.groups = s.C;
  if (s.R != 1) s.R = s.S = pick(1, 3) * 2 - 1;
  s.H = pick(s.R, 9);
  s.W = pick(s.S, 9);
  s.stride = pick(1, 2);
  s.pad = pick(0, s.R / 2);
  return s;
}

// A random mapping the architecture can hold, with small tiles so layers split into many.
inline spec::Mapping random_mapping(const pe::ConvShape& s, const spec::ArchSpec& arch,
                                   std::mt19937_64& rng) {
  spec::Mapping m;
  m.dataflow = arch.dataflows[rng() % arch.dataflows.size()];
  m.k_tile = 1 + int(rng() % uint64_t(s.outputs_per_group()));
  m.p_tile = 1 + int(rng() % uint64_t(s.P()));
  m.order = rng() % 2 ? spec::LoopOrder::KOuter : spec::LoopOrder::POuter;
  m.double_buffer = rng() % 2;
  // Now and then the other pass order, or passes spanning the whole array.
  if (rng() % 3 == 0) m.pass_order = rng() % 2 ? spec::PassOrder::ColsOuter : spec::PassOrder::RowsOuter;
  if (rng() % 3 == 0) m.pass_span = spec::PassSpan::WholeArray;
  return m;
}

struct CheckedRun {
  sim::LayerResult result;
  std::vector<pe::Psum> reference;
};

inline CheckedRun run_checked(sim::Runner& runner, const pe::ConvShape& shape,
                              const pe::Candidate& cand, const spec::Mapping& mapping,
                              std::mt19937_64& rng, const dataflow::Residency& residency = {}) {
  sim::LayerJob job;
  job.name = pe::to_string(shape);
  job.plan = dataflow::make_plan(shape, cand, runner.arch(), mapping, residency);
  const pe::LayerData data = pe::random_layer_data(shape, cand, rng);
  job.data = &data;
  CheckedRun out;
  out.result = runner.run(job);
  out.reference = pe::reference_conv(shape, cand, data);
  return out;
}

}  // namespace enos::test
