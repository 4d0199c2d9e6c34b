#include "dataflow/schedule.hpp"

#include <algorithm>

#include "dataflow/pass_model.hpp"

namespace enos::dataflow {
namespace {

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

// Input rows [first, first+count) a block of output rows reads, clipped to the stored map.
std::pair<int, int> input_rows_for(const pe::ConvShape& s, int p0, int p_count) {
  const int first = std::max(0, p0 * s.stride - s.pad);
  const int last = std::min(s.H - 1, (p0 + p_count - 1) * s.stride - s.pad + s.R - 1);
  return {first, std::max(0, last - first + 1)};
}

GlbTile make_tile(const LayerPlan& plan, int group, int k0, int p0) {
  const pe::ConvShape& s = plan.shape;
  GlbTile t;
  t.group = group;
  t.k0 = k0;
  t.k_count = std::min(plan.mapping.k_tile, s.outputs_per_group() - k0);
  t.p0 = p0;
  t.p_count = std::min(plan.mapping.p_tile, s.P() - p0);
  std::tie(t.in_row0, t.in_rows) = input_rows_for(s, t.p0, t.p_count);
  t.weight_words = int64_t(t.k_count) * s.reduction();
  t.input_words = int64_t(s.channels_per_group()) * t.in_rows * s.W;
  t.output_words = int64_t(t.k_count) * t.p_count * s.Q();
  return t;
}

}  // namespace

WordBits word_bits(const pe::Candidate& c) {
  const int acc_pair = c.kind == pe::OpKind::Mf ? 64 : 32;
  return {c.weight_bits, c.act_bits, acc_pair, c.act_bits};
}

std::vector<GlbTile> glb_tiles(const LayerPlan& plan) {
  const pe::ConvShape& s = plan.shape;
  const int kg = s.outputs_per_group();
  const int P = s.P();
  const bool k_outer = plan.mapping.order == spec::LoopOrder::KOuter;
  std::vector<GlbTile> tiles;
  for (int g = 0; g < s.groups; ++g) {
    const int outer_end = k_outer ? kg : P;
    const int outer_step = k_outer ? plan.mapping.k_tile : plan.mapping.p_tile;
    const int inner_end = k_outer ? P : kg;
    const int inner_step = k_outer ? plan.mapping.p_tile : plan.mapping.k_tile;
    for (int o = 0; o < outer_end; o += outer_step)
      for (int i = 0; i < inner_end; i += inner_step)
        tiles.push_back(k_outer ? make_tile(plan, g, o, i) : make_tile(plan, g, i, o));
  }
  // A tensor tile is fetched only when it differs from the one fetched last.
  for (std::size_t n = 0; n < tiles.size(); ++n) {
    GlbTile& t = tiles[n];
    t.index = int(n);
    const GlbTile* prev = n ? &tiles[n - 1] : nullptr;
    t.fetch_weights = !prev || prev->group != t.group || prev->k0 != t.k0;
    t.fetch_inputs = !prev || prev->group != t.group || prev->p0 != t.p0;
  }
  return tiles;
}

std::vector<ArrayTile> array_tiles(const LayerPlan& plan, const GlbTile& tile) {
  return pass_model(plan.mapping.dataflow).passes(plan, tile);
}

int64_t tile_slot_bits(const LayerPlan& plan, int64_t weight_words, int64_t input_words, int64_t output_words) {
  const WordBits bits = word_bits(plan.candidate);
  const Residency& r = plan.residency;
  return (r.weights ? 0 : weight_words * bits.weight) + (r.inputs ? 0 : input_words * bits.input) +
         output_words * bits.psum;
}

int64_t glb_footprint_bytes(const LayerPlan& plan) {
  const int copies = plan.mapping.double_buffer ? 2 : 1;
  int64_t worst = 0;
  for (const GlbTile& t : glb_tiles(plan))
    worst = std::max(worst, ceil_div(copies * tile_slot_bits(plan, t.weight_words, t.input_words, t.output_words), 8));
  return worst + plan.residency.reserved_bytes;
}

}  // namespace enos::dataflow
