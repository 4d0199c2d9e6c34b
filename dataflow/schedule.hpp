#pragma once
// The schedule a MAC layer becomes under a mapping (docs/dataflow.md). Both the SystemC model
// and the analytical model walk this same tile sequence, so they can only differ in what they
// count and when, never in what work they do.
#include <cstdint>
#include <vector>

#include "pe/candidate.hpp"
#include "pe/conv_shape.hpp"
#include "spec/arch.hpp"
#include "spec/mapping.hpp"

namespace enos::dataflow {

// Width of one word of each tensor at each place it lives, in bits.
struct WordBits {
  int weight;  // weight code
  int input;   // activation
  int psum;    // accumulator pair in the global buffer (32, or 64 for mf's two accumulators)
  int output;  // activation written back to DRAM after requantization
};
WordBits word_bits(const pe::Candidate& c);

// Where a layer's tensors live around it (the network's buffer plan, dataflow/residency.hpp):
// a resident tensor stays in the global buffer instead of crossing the DRAM interface.
//   inputs:  the input map is already in the global buffer (its producer left it there); the
//            array reads it in place, so no tile loads it and no input slot holds it.
//   outputs: the post-processing unit writes the output map into the global buffer for its
//            consumers instead of sending it to DRAM.
//   weights: the weights stay in the global buffer across inferences (loaded once with the
//            model), so no inference fetches them and no weight slot holds them.
//   reserved_bytes: global buffer the plan's resident tensors hold while this layer runs (its
//            own resident inputs, outputs and weights included); the tiles get the rest.
// The default (nothing resident) is one layer on its own: everything from and to DRAM.
struct Residency {
  bool inputs = false, outputs = false, weights = false;
  int64_t reserved_bytes = 0;
  bool operator==(const Residency& o) const {
    return inputs == o.inputs && outputs == o.outputs && weights == o.weights && reserved_bytes == o.reserved_bytes;
  }
};

// What the array is asked to do for one layer: the operator, its lanes and the mapping.
struct LayerPlan {
  pe::ConvShape shape;
  pe::Candidate candidate;
  int lanes = 1;
  spec::Mapping mapping;
  int rows = 1, cols = 1;  // the physical array
  spec::NocTopology topology = spec::NocTopology::Systolic;
  Residency residency;
};

// One global-buffer tile: k_count output channels × p_count output rows of one group, with
// the whole reduction resident.
struct GlbTile {
  int index = 0;
  int group = 0;
  int k0 = 0, k_count = 0;          // output channels within the group
  int p0 = 0, p_count = 0;          // output rows
  int in_row0 = 0, in_rows = 0;     // stored input rows (padding rows are never stored)
  bool fetch_weights = false;       // this tile's weights are not resident yet
  bool fetch_inputs = false;        // this tile's inputs are not resident yet
  int64_t weight_words = 0, input_words = 0, output_words = 0;
};

// One pass of the array inside a global-buffer tile.
//   weight-stationary: rows hold reduction elements [j0, j0+j_count) (lanes per PE), cols hold
//     output channels [k0, k0+k_count); every output pixel of the tile streams through.
//   output-stationary: rows hold output pixels [pix0, pix0+pix_count) of the tile (row-major
//     over p_count×Q), cols hold output channels; the whole reduction streams through.
//   input-stationary: rows hold reduction elements as under weight-stationary, cols hold
//     output pixels [pix0, pix0+pix_count); every output channel of the tile streams through.
struct ArrayTile {
  int k0 = 0, k_count = 0;          // relative to the group
  int64_t j0 = 0, j_count = 0;      // reduction elements
  int pix0 = 0, pix_count = 0;      // pixels within the glb tile
  int rows_used = 0, cols_used = 0;
  // The rows and columns the pass's wavefront fills and drains over: the used ones, or the
  // whole array (spec::PassSpan).
  int span_rows = 0, span_cols = 0;
  int64_t stream_len = 0;           // WS: pixels; IS: output channels; OS: steps ceil(j_count/lanes)
  bool first_partial = true;        // WS, IS: no earlier partial sum to accumulate
  bool last_partial = true;         // WS, IS: this pass completes the outputs
};

std::vector<GlbTile> glb_tiles(const LayerPlan& plan);
// The tile's passes in the mapping's pass order (each dataflow's pass_model makes them).
std::vector<ArrayTile> array_tiles(const LayerPlan& plan, const GlbTile& tile);

// Bytes the global buffer needs for the plan's largest tile: its weights, inputs and partial
// sums, twice over when double-buffered (the next tile loads and the last one drains while
// this one computes), without the resident tensors' slots, plus residency.reserved_bytes.
int64_t glb_footprint_bytes(const LayerPlan& plan);
// Bits of one tile's slots (one copy): weights and inputs unless resident, partial sums.
int64_t tile_slot_bits(const LayerPlan& plan, int64_t weight_words, int64_t input_words, int64_t output_words);

// Decomposes a reduction index j into (channel within group, r, s) for the layout
// [C/g][R][S] used by weights.
struct ReductionIndex {
  int c, r, s;
};
inline ReductionIndex split_reduction(const pe::ConvShape& s, int64_t j) {
  const int rs = s.R * s.S;
  return {int(j / rs), int((j % rs) / s.S), int(j % s.S)};
}

}  // namespace enos::dataflow
