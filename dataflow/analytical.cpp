#include "dataflow/analytical.hpp"

#include <map>
#include <tuple>

#include "dataflow/counts.hpp"
#include "dataflow/timing.hpp"

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

// Input reads of a pass depend on its reduction range (WS) or pixel range (OS), not on its
// output channels: passes that only differ in those reuse the count.
class ReadsMemo {
 public:
  int64_t get(const pe::ConvShape& s, const GlbTile& t, const ArrayTile& a) {
    if (!have_ || a.j0 != j0_ || a.j_count != jc_ || a.pix0 != pix0_ || a.pix_count != pc_) {
      reads_ = valid_input_reads(s, t.p0, a.j0, a.j_count, a.pix0, a.pix_count);
      j0_ = a.j0, jc_ = a.j_count, pix0_ = a.pix0, pc_ = a.pix_count, have_ = true;
    }
    return reads_;
  }

 private:
  bool have_ = false;
  int64_t j0_ = 0, jc_ = 0;
  int pix0_ = 0, pc_ = 0;
  int64_t reads_ = 0;
};

TileWork tile_work(const LayerPlan& plan, const Machine& m, const GlbTile& tile) {
  TileWork w;
  std::vector<ArrayTile> passes = array_tiles(plan, tile);
  // WS passes run k-chunks outer, reduction chunks inner; remember each chunk's reads.
  std::map<int64_t, int64_t> ws_reads;
  ReadsMemo os_reads;
  for (const ArrayTile& a : passes) {
    int64_t reads;
    if (m.weight_stationary) {
      auto it = ws_reads.find(a.j0);
      if (it == ws_reads.end())
        it = ws_reads.emplace(a.j0, valid_input_reads(plan.shape, tile.p0, a.j0, a.j_count,
                                                      a.pix0, a.pix_count)).first;
      reads = it->second;
    } else {
      reads = os_reads.get(plan.shape, tile, a);
    }
    count_pass(plan, a, reads, w.tally);
    const PassCycles c = pass_cycles(m, a, reads);
    w.cycles.busy += c.busy;
    w.cycles.fill_drain += c.fill_drain;
    w.cycles.stall_glb_ports += c.stall_glb_ports;
    w.cycles.stall_noc += c.stall_noc;
  }
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
    count_transfers(t, tally);
    cycles += w.cycles;
    TileSteps s;
    if (t.fetch_weights) s.load_weights = dram_transfer_cycles(arch.dram, t.weight_words * bits.weight);
    if (t.fetch_inputs) s.load_inputs = dram_transfer_cycles(arch.dram, t.input_words * bits.input);
    s.compute = w.cycles.total();
    s.store = dram_transfer_cycles(arch.dram, t.output_words * bits.output);
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
