#pragma once
// Random layers, architectures and mappings for the dataflow tests, and a brute-force
// per-pixel count of every named action written from the SystemC modules' description
// (docs/dataflow.md, "Named actions") to check the closed forms against.
#include <algorithm>
#include <random>
#include <string>

#include "dataflow/mapper.hpp"
#include "dataflow/schedule.hpp"
#include "spec/actions.hpp"
#include "spec/arch.hpp"

namespace enos::test {

inline int pick(std::mt19937_64& rng, int lo, int hi) {
  return lo + int(rng() % uint64_t(hi - lo + 1));
}

// Dense, grouped, depthwise, pointwise or fully connected; stride 1–2; padding up to R (so
// some output rows see only padding).
inline pe::ConvShape random_shape(std::mt19937_64& rng) {
  const int kind = pick(rng, 0, 4);
  if (kind == 4) return pe::fully_connected(pick(rng, 1, 40), pick(rng, 1, 40));
  pe::ConvShape s;
  s.groups = kind == 1 ? pick(rng, 2, 3) : 1;
  s.C = s.groups * pick(rng, 1, 7);
  s.K = s.groups * pick(rng, 1, 9);
  if (kind == 2) s.groups = s.K = s.C = pick(rng, 1, 6);  // depthwise
  s.R = kind == 3 ? 1 : pick(rng, 1, 3);
  s.S = kind == 3 ? 1 : pick(rng, 1, 3);
  s.pad = pick(rng, 0, s.R);
  s.H = pick(rng, std::max(1, s.R - 2 * s.pad), 10);
  s.W = pick(rng, std::max(1, s.S - 2 * s.pad), 10);
  s.stride = pick(rng, 1, 2);
  return s;
}

// An in-memory architecture: a small array, modes with 1, 3 and 8 lanes, the three dataflows
// on systolic links (or output-stationary only on multicast buses), wide ports and links.
inline spec::ArchSpec small_arch(int rows, int cols, bool multicast = false) {
  spec::ArchSpec a;
  a.name = "test_" + std::to_string(rows) + "x" + std::to_string(cols);
  a.rows = rows;
  a.cols = cols;
  a.modes = {{pe::parse_candidate("int:w8a8"), 1},
             {pe::parse_candidate("int:w4a4"), 3},
             {pe::parse_candidate("bin:w1a8"), 8},
             {pe::parse_candidate("mf:w8a8"), 1}};
  std::sort(a.modes.begin(), a.modes.end(),
            [](const spec::ModeSpec& x, const spec::ModeSpec& y) { return x.candidate < y.candidate; });
  a.dataflows = multicast ? std::vector<spec::Dataflow>{spec::Dataflow::OutputStationary}
                          : std::vector<spec::Dataflow>{spec::Dataflow::WeightStationary,
                                                        spec::Dataflow::OutputStationary,
                                                        spec::Dataflow::InputStationary};
  a.noc.topology = multicast ? spec::NocTopology::MulticastBus : spec::NocTopology::Systolic;
  a.glb.size_bytes = int64_t(16) << 20;
  a.glb.banks = 256;
  a.noc.link_width_bits = 4096;
  return a;
}

inline spec::Mapping random_mapping(const pe::ConvShape& s, const spec::ArchSpec& arch,
                                    std::mt19937_64& rng) {
  spec::Mapping m;
  m.dataflow = arch.dataflows[rng() % arch.dataflows.size()];
  m.k_tile = pick(rng, 1, s.outputs_per_group());
  m.p_tile = pick(rng, 1, s.P());
  m.order = rng() % 2 ? spec::LoopOrder::KOuter : spec::LoopOrder::POuter;
  m.double_buffer = rng() % 2;
  // Now and then the other pass order, or passes spanning the whole array.
  if (rng() % 3 == 0) m.pass_order = rng() % 2 ? spec::PassOrder::ColsOuter : spec::PassOrder::RowsOuter;
  if (rng() % 3 == 0) m.pass_span = spec::PassSpan::WholeArray;
  return m;
}

// A random plan on a random small array: shape, mode, mapping all drawn from `rng`.
struct RandomPlan {
  spec::ArchSpec arch;
  dataflow::LayerPlan plan;
};
inline RandomPlan random_plan(std::mt19937_64& rng) {
  const bool multicast = rng() % 4 == 0;
  RandomPlan r{small_arch(pick(rng, 1, 5), pick(rng, 1, 5), multicast), {}};
  const pe::ConvShape s = random_shape(rng);
  const pe::Candidate c = r.arch.modes[rng() % r.arch.modes.size()].candidate;
  r.plan = dataflow::make_plan(s, c, r.arch, random_mapping(s, r.arch, rng));
  return r;
}

// Whether the activation for reduction element j at tile pixel `pixel` lies inside the map.
inline bool inside(const pe::ConvShape& s, int p0, int64_t j, int64_t pixel) {
  const dataflow::ReductionIndex idx = dataflow::split_reduction(s, j);
  const int64_t h = (p0 + pixel / s.Q()) * s.stride - s.pad + idx.r;
  const int64_t w = (pixel % s.Q()) * s.stride - s.pad + idx.s;
  return h >= 0 && h < s.H && w >= 0 && w < s.W;
}

inline int64_t brute_reads(const pe::ConvShape& s, int p0, int64_t j0, int64_t jc, int64_t pix0,
                           int64_t pc) {
  int64_t n = 0;
  for (int64_t pixel = pix0; pixel < pix0 + pc; ++pixel)
    for (int64_t j = j0; j < j0 + jc; ++j) n += inside(s, p0, j, pixel);
  return n;
}

void brute_ws_pass(const dataflow::LayerPlan& plan, const dataflow::GlbTile& t,
                   const dataflow::ArrayTile& a, spec::ActionCounts& out);
void brute_is_pass(const dataflow::LayerPlan& plan, const dataflow::GlbTile& t,
                   const dataflow::ArrayTile& a, spec::ActionCounts& out);
void brute_os_pass(const dataflow::LayerPlan& plan, const dataflow::GlbTile& t,
                   const dataflow::ArrayTile& a, spec::ActionCounts& out);
// Every action of the layer, flit by flit and pixel by pixel.
spec::ActionCounts brute_counts(const dataflow::LayerPlan& plan);

}  // namespace enos::test
