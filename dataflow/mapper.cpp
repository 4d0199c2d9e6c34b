#include "dataflow/mapper.hpp"

#include <algorithm>
#include <limits>
#include <optional>
#include <set>

#include "dataflow/limits.hpp"
#include "spec/limits.hpp"

namespace enos::dataflow {
namespace {

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

std::string describe(const spec::Mapping& m) {
  return "k_tile=" + std::to_string(m.k_tile) + " p_tile=" + std::to_string(m.p_tile);
}

template <class T, class F>
std::string join(const std::vector<T>& items, F to_text) {
  std::string out;
  for (const T& x : items) out += (out.empty() ? "" : ", ") + to_text(x);
  return out.empty() ? "none" : out;
}

const spec::ModeSpec& mode_or_throw(const spec::ArchSpec& arch, const pe::Candidate& c) {
  if (const spec::ModeSpec* mode = arch.find_mode(c)) return *mode;
  throw MappingError("operator " + pe::to_string(c) + " is not a mode of architecture '" +
                     arch.name + "' (modes: " +
                     join(arch.modes, [](const spec::ModeSpec& m) { return pe::to_string(m.candidate); }) +
                     ")");
}

void dataflow_or_throw(const spec::ArchSpec& arch, spec::Dataflow d) {
  if (arch.supports(d)) return;
  throw MappingError("dataflow " + spec::to_string(d) + " is not supported by architecture '" +
                     arch.name + "' (it supports: " +
                     join(arch.dataflows, [](spec::Dataflow x) { return spec::to_string(x); }) + ")");
}

void shape_or_throw(const pe::ConvShape& s) {
  const std::string why = s.check();
  if (!why.empty()) throw MappingError("layer " + pe::to_string(s) + ": " + why);
}

void tiles_or_throw(const pe::ConvShape& s, int k_tile, int p_tile) {
  if (k_tile < 1 || k_tile > s.outputs_per_group())
    throw MappingError("k_tile must be in 1.." + std::to_string(s.outputs_per_group()) +
                       " (output channels per group), got " + std::to_string(k_tile));
  if (p_tile < 1 || p_tile > s.P())
    throw MappingError("p_tile must be in 1.." + std::to_string(s.P()) + " (output rows), got " +
                       std::to_string(p_tile));
}

LayerPlan plan_of(const pe::ConvShape& shape, const pe::Candidate& c, const spec::ArchSpec& arch,
                  int lanes, const spec::Mapping& m, const Residency& residency) {
  LayerPlan p;
  p.residency = residency;
  p.shape = shape;
  p.candidate = c;
  p.lanes = lanes;
  p.mapping = m;
  p.rows = arch.rows;
  p.cols = arch.cols;
  p.topology = arch.noc.topology;
  return p;
}

// Tile sizes that give distinct numbers of tiles: ceil(n / count) for a geometric-ish set of
// counts (1, 2, 3, 4, 6, 8, 12, 16, ...), each rounded up to `align` and clipped to n, largest
// first. Denser sets barely change the best energy × delay and cost search time.
std::vector<int> tile_sizes(int n, int align) {
  std::set<int, std::greater<int>> sizes;
  const int64_t max_count = ceil_div(n, align);
  for (int64_t count = 1; count <= max_count;) {
    const int64_t size = std::min<int64_t>(n, ceil_div(ceil_div(n, count), align) * align);
    sizes.insert(int(size));
    const int64_t pow2 = int64_t(1) << (63 - __builtin_clzll(uint64_t(count)));  // ≤ count
    count += std::max<int64_t>(1, pow2 / 2);
  }
  sizes.insert(std::min(n, align));
  return {sizes.begin(), sizes.end()};
}

// Output-channel tiles narrower than the array: a fallback when nothing wider fits.
std::vector<int> narrow_k_tiles(int kg, int cols) {
  std::vector<int> out;
  for (int k = std::min(kg, cols) / 2; k >= 1; k /= 2) out.push_back(k);
  return out;
}

template <class T>
std::vector<T> pinned_or(const std::optional<T>& pin, std::vector<T> all) {
  return pin ? std::vector<T>{*pin} : all;
}

std::string pinned_text(const spec::PinnedMapping& p) {
  std::string s;
  const auto add = [&](const std::string& x) { s += (s.empty() ? "" : " ") + x; };
  if (p.dataflow) add("dataflow=" + spec::to_string(*p.dataflow));
  if (p.k_tile) add("k_tile=" + std::to_string(*p.k_tile));
  if (p.p_tile) add("p_tile=" + std::to_string(*p.p_tile));
  if (p.order) add("loop_order=" + spec::to_string(*p.order));
  if (p.double_buffer) add(std::string("double_buffer=") + (*p.double_buffer ? "true" : "false"));
  if (p.pass_order) add("pass_order=" + spec::to_string(*p.pass_order));
  if (p.pass_span) add("pass_span=" + spec::to_string(*p.pass_span));
  if (p.preset) add("preset=" + spec::to_string(*p.preset));
  return s;
}

// The simulator's memory for the plan's tiles stays within spec::kMaxLayerBytes. A global-
// buffer word is at least 1 bit there and at most 64 in the simulator, so below this bound
// there is no need to walk the tiles (only a huge global buffer gets that far).
bool fits_simulator(const LayerPlan& plan, const spec::ArchSpec& arch) {
  if (layer_data_bytes(plan.shape) + 2 * 64 * arch.glb.size_bytes <= spec::kMaxLayerBytes) return true;
  return plan_bytes(plan) <= spec::kMaxLayerBytes;
}

// Energy × delay of a plan; lower is better.
double score(const LayerPlan& plan, const spec::ArchSpec& arch, const CostModel& cost) {
  const AnalyticalResult r = analyze(plan, arch);
  return cost(r.actions, r.cycles) * double(r.cycles.total());
}

}  // namespace

int64_t footprint_bytes(const LayerPlan& plan) {
  const pe::ConvShape& s = plan.shape;
  const int copies = plan.mapping.double_buffer ? 2 : 1;
  // Weights and partial sums grow with k_count, so the first output-channel tile is the
  // largest; only the stored input rows differ between output-row tiles.
  const int64_t k = std::min(plan.mapping.k_tile, s.outputs_per_group());
  const int P = s.P();
  int64_t worst = 0;
  for (int p0 = 0; p0 < P; p0 += plan.mapping.p_tile) {
    const int p_count = std::min(plan.mapping.p_tile, P - p0);
    const int first = std::max(0, p0 * s.stride - s.pad);
    const int last = std::min(s.H - 1, (p0 + p_count - 1) * s.stride - s.pad + s.R - 1);
    const int64_t in_rows = std::max(0, last - first + 1);
    const int64_t b = copies * tile_slot_bits(plan, k * s.reduction(), s.channels_per_group() * in_rows * s.W,
                                              k * p_count * s.Q());
    worst = std::max(worst, ceil_div(b, 8));
  }
  return worst + plan.residency.reserved_bytes;
}

namespace {

// ", capacity C B" and, when resident tensors hold part of it, how much.
std::string capacity_text(const spec::ArchSpec& arch, const Residency& residency) {
  std::string s = ", capacity " + std::to_string(arch.glb.size_bytes) + " B";
  if (residency.reserved_bytes > 0)
    s += " (" + std::to_string(residency.reserved_bytes) + " B of the need hold resident tensors)";
  return s;
}

}  // namespace

LayerPlan make_plan(const pe::ConvShape& shape, const pe::Candidate& candidate,
                    const spec::ArchSpec& arch, const spec::Mapping& mapping, const Residency& residency) {
  shape_or_throw(shape);
  const spec::ModeSpec& mode = mode_or_throw(arch, candidate);
  dataflow_or_throw(arch, mapping.dataflow);
  tiles_or_throw(shape, mapping.k_tile, mapping.p_tile);
  LayerPlan plan = plan_of(shape, candidate, arch, mode.lanes, mapping, residency);
  const int64_t need = footprint_bytes(plan);
  if (need > arch.glb.size_bytes)
    throw MappingError("mapping " + describe(mapping) + " needs " + std::to_string(need) + " B of global buffer" +
                       capacity_text(arch, residency));
  return plan;
}

namespace {

// A preset's mapping with the fields pinned beside it.
spec::Mapping with_pins(spec::Mapping m, const spec::PinnedMapping& p) {
  if (p.k_tile) m.k_tile = *p.k_tile;
  if (p.p_tile) m.p_tile = *p.p_tile;
  if (p.order) m.order = *p.order;
  if (p.double_buffer) m.double_buffer = *p.double_buffer;
  if (p.pass_order) m.pass_order = *p.pass_order;
  if (p.pass_span) m.pass_span = *p.pass_span;
  return m;
}

}  // namespace

spec::Mapping scalesim_mapping(const pe::ConvShape& shape, spec::Dataflow dataflow) {
  spec::Mapping m;
  m.dataflow = dataflow;
  m.k_tile = shape.outputs_per_group();
  m.p_tile = shape.P();
  m.order = spec::LoopOrder::KOuter;
  m.double_buffer = false;  // one tile: nothing to prefetch, half the footprint
  m.pass_order = spec::PassOrder::ColsOuter;
  m.pass_span = spec::PassSpan::WholeArray;
  return m;
}

std::vector<spec::Mapping> mapping_candidates(const pe::ConvShape& shape,
                                              const pe::Candidate& candidate,
                                              const spec::ArchSpec& arch,
                                              const spec::PinnedMapping& pinned) {
  (void)candidate;  // every mode tiles alike; kept so a mode-specific search fits the API
  const std::vector<spec::Dataflow> dataflows = pinned_or(pinned.dataflow, arch.dataflows);
  if (pinned.preset) {
    std::vector<spec::Mapping> out;
    for (spec::Dataflow d : dataflows) out.push_back(with_pins(scalesim_mapping(shape, d), pinned));
    return out;
  }
  const int kg = shape.outputs_per_group(), P = shape.P();
  std::vector<int> ks = pinned_or(pinned.k_tile, tile_sizes(kg, std::min(kg, arch.cols)));
  if (!pinned.k_tile)
    for (int k : narrow_k_tiles(kg, arch.cols)) ks.push_back(k);  // last: only a fallback
  const std::vector<int> ps = pinned_or(pinned.p_tile, tile_sizes(P, 1));
  std::vector<spec::Mapping> out;
  const spec::PassSpan span = pinned.pass_span.value_or(spec::PassSpan::UsedPes);
  for (spec::Dataflow d : dataflows)
    for (int k : ks)
      for (int p : ps)
        for (spec::LoopOrder o : pinned_or(pinned.order, {spec::LoopOrder::KOuter, spec::LoopOrder::POuter})) {
          // With one tile along either dimension both orders give the same schedule.
          const bool single = ceil_div(kg, k) == 1 || ceil_div(P, p) == 1;
          if (!pinned.order && single && o == spec::LoopOrder::POuter) continue;
          for (bool db : pinned_or(pinned.double_buffer, {true, false}))
            out.push_back(spec::Mapping{d, k, p, o, db, pinned.pass_order, span});
        }
  return out;
}

int64_t smallest_footprint_bytes(const pe::ConvShape& shape, const pe::Candidate& candidate,
                                 const spec::ArchSpec& arch, const spec::PinnedMapping& pinned,
                                 const Residency& residency) {
  shape_or_throw(shape);
  const spec::ModeSpec& mode = mode_or_throw(arch, candidate);
  if (pinned.dataflow) dataflow_or_throw(arch, *pinned.dataflow);
  int64_t smallest = std::numeric_limits<int64_t>::max();
  for (const spec::Mapping& m : mapping_candidates(shape, candidate, arch, pinned))
    smallest = std::min(smallest, footprint_bytes(plan_of(shape, candidate, arch, mode.lanes, m, residency)));
  return smallest;
}

spec::Mapping choose_mapping(const pe::ConvShape& shape, const pe::Candidate& candidate,
                             const spec::ArchSpec& arch, const spec::PinnedMapping& pinned,
                             const CostModel& cost, const Residency& residency) {
  shape_or_throw(shape);
  const spec::ModeSpec& mode = mode_or_throw(arch, candidate);
  if (pinned.dataflow) dataflow_or_throw(arch, *pinned.dataflow);
  if (pinned.k_tile || pinned.p_tile) tiles_or_throw(shape, pinned.k_tile.value_or(1), pinned.p_tile.value_or(1));
  // Output-channel tiles narrower than the array waste columns: they are a fallback, tried
  // only when no wider tile fits.
  const int wide = std::min(shape.outputs_per_group(), arch.cols);
  const std::vector<spec::Mapping> candidates = mapping_candidates(shape, candidate, arch, pinned);
  std::optional<spec::Mapping> best, smallest;
  double best_score = std::numeric_limits<double>::infinity();
  int64_t smallest_need = std::numeric_limits<int64_t>::max();
  std::optional<CycleLimitError> too_slow;  // a mapping whose cycles exceed the limit
  std::optional<LayerPlan> too_big;         // a mapping the simulator's memory limit refuses
  for (bool narrow : {false, true}) {
    for (const spec::Mapping& m : candidates) {
      if ((m.k_tile < wide && !pinned.k_tile) != narrow) continue;
      const LayerPlan plan = plan_of(shape, candidate, arch, mode.lanes, m, residency);
      const int64_t need = footprint_bytes(plan);
      if (need > arch.glb.size_bytes) {
        if (need < smallest_need) smallest_need = need, smallest = m;
        continue;
      }
      if (!fits_simulator(plan, arch)) {
        if (!too_big) too_big = plan;
        continue;
      }
      try {
        const double s = score(plan, arch, cost);
        if (!best || s < best_score) best_score = s, best = m;
      } catch (const CycleLimitError& e) {
        if (!too_slow) too_slow = e;
      }
    }
    if (best) return *best;
  }
  if (too_slow) throw *too_slow;
  if (too_big) check_plan_limits(*too_big, arch, pe::to_string(shape));
  const std::string pins = pinned_text(pinned);
  throw MappingError("no mapping of " + pe::to_string(shape) + " fits the global buffer" +
                     (pins.empty() ? "" : " with the pinned " + pins) + ": the smallest, " +
                     describe(*smallest) + (smallest->double_buffer ? " double-buffered" : " single-buffered") +
                     ", needs " + std::to_string(smallest_need) + " B" + capacity_text(arch, residency));
}

}  // namespace enos::dataflow
