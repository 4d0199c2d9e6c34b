#include "dataflow/analytical.hpp"

#include <map>
#include <tuple>

#include "dataflow/pass_model.hpp"

namespace enos::dataflow {
namespace {

// What one global-buffer tile's array passes add up to. Tiles of the same size over the same
// output rows do the same work whatever their group or output channels, so it is computed
// once per (k_count, p0, p_count).
struct TileWork {
  Tally tally;
  CycleBreakdown cycles;  // no DRAM stalls: those depend on the neighbours
};

using TileKey = std::tuple<int, int, int>;

// Input reads of a pass depend on its reduction range and pixel range, not on its output
// channels: passes that only differ in those reuse the count.
using ReadsKey = std::tuple<int64_t, int64_t, int, int>;

TileWork tile_work(const LayerPlan& plan, const Machine& m, const GlbTile& tile) {
  const PassModel model = pass_model(plan.mapping.dataflow);
  TileWork w;
  std::map<ReadsKey, int64_t> reads_of;
  std::vector<PassTiming> timings;
  for (const ArrayTile& a : model.passes(plan, tile)) {
    const ReadsKey key{a.j0, a.j_count, a.pix0, a.pix_count};
    auto it = reads_of.find(key);
    if (it == reads_of.end()) it = reads_of.emplace(key, model.input_reads(plan, tile, a)).first;
    model.count(plan, a, it->second, w.tally);
    timings.push_back(model.timing(m, a, it->second));
  }
  const PassCycles c = tile_cycles(timings);
  w.cycles.busy = c.busy;
  w.cycles.fill_drain = c.fill_drain;
  w.cycles.stall_glb_ports = c.stall_glb_ports;
  w.cycles.stall_noc = c.stall_noc;
  return w;
}

}  // namespace

AnalyticalResult analyze(const LayerPlan& plan, const spec::ArchSpec& arch) {
  const Machine m = machine_of(plan, arch);
  const WordBits bits = word_bits(plan.candidate);
  const std::vector<GlbTile> tiles = glb_tiles(plan);
  std::map<TileKey, TileWork> done;
  std::vector<TileSteps> steps;
  steps.reserve(tiles.size());
  Tally tally;
  CycleBreakdown cycles;
  for (const GlbTile& t : tiles) {
    const TileKey key{t.k_count, t.p0, t.p_count};
    auto it = done.find(key);
    if (it == done.end()) it = done.emplace(key, tile_work(plan, m, t)).first;
    const TileWork& w = it->second;
    tally.add(w.tally);
    count_transfers(plan, t, tally);
    cycles += w.cycles;
    // Resident tensors issue no DRAM transfer (-1), as the controller issues none.
    const Residency& r = plan.residency;
    TileSteps s;
    if (t.fetch_weights && !r.weights) s.load_weights = dram_transfer_cycles(arch.dram, t.weight_words * bits.weight);
    if (t.fetch_inputs && !r.inputs) s.load_inputs = dram_transfer_cycles(arch.dram, t.input_words * bits.input);
    s.compute = w.cycles.total();
    s.store = r.outputs ? -1 : dram_transfer_cycles(arch.dram, t.output_words * bits.output);
    steps.push_back(s);
  }
  cycles.stall_dram = dram_stall_cycles(steps, plan.mapping.double_buffer, arch.dram.latency_cycles);
  AnalyticalResult r;
  r.actions = tally.to_actions(plan.candidate);
  r.cycles = cycles;
  r.macs = tally.count[std::size_t(Action::PeOp)];
  return r;
}

}  // namespace enos::dataflow
