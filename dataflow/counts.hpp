#pragma once
// Closed-form action counts of the pieces of a schedule (docs/dataflow.md, "Named actions"),
// exactly as the SystemC modules count them: DMA transfers per global-buffer tile here, the
// streamer, PE array and psum collector per array pass in each dataflow's file
// (pass_model.hpp).
#include <array>
#include <cstdint>

#include "dataflow/schedule.hpp"
#include "spec/actions.hpp"

namespace enos::dataflow {

// Activation words the streamer reads from the global buffer for reduction elements
// [j0, j0+j_count) × tile pixels [pix0, pix0+pix_count) of a global-buffer tile whose first
// output row is p0 (pixels row-major over its rows × Q): the pairs whose input lies inside the
// map. Zero padding is generated, never read. Counted per kernel offset (r,s) from the valid
// output-row and output-column ranges, O(R·S).
int64_t valid_input_reads(const pe::ConvShape& s, int p0, int64_t j0, int64_t j_count,
                          int64_t pix0, int64_t pix_count);

// The actions the model counts; each has one bit width per layer (WordBits).
enum class Action {
  DramReadWeight, DramReadInput, DramWriteOutput,
  GlbWriteWeight, GlbWriteInput, GlbReadWeight, GlbReadInput,
  GlbReadPsum, GlbWritePsum, GlbWriteOutput, GlbReadOutput,
  SpadWriteWeight, SpadReadWeight, SpadWriteInput, SpadReadInput, SpadReadPsum, SpadWritePsum,
  NocHopInput, NocHopWeight, NocHopPsum,
  PeOp,
  Count_
};
constexpr std::size_t kActions = std::size_t(Action::Count_);

// Plain counters of the actions of one layer: cheap to add and scale while walking tiles,
// turned into named spec::ActionCounts once at the end. `touched` mirrors an add() of zero in
// the SystemC model, which still creates the entry.
struct Tally {
  std::array<int64_t, kActions> count{};
  std::array<bool, kActions> touched{};

  void add(Action a, int64_t n) {
    count[std::size_t(a)] += n;
    touched[std::size_t(a)] = true;
  }
  void add(const Tally& o, int64_t times = 1);
  spec::ActionCounts to_actions(const pe::Candidate& c) const;
};

// Streamer, array and collector actions of one pass (its dataflow's pass_model counts them);
// `input_reads` is the pass's valid input reads.
void count_pass(const LayerPlan& plan, const ArrayTile& pass, int64_t input_reads, Tally& out);
// DMA actions of one global-buffer tile: its fetches (per the fetch flags) and its store;
// a resident tensor (plan.residency) crosses no DRAM interface: resident inputs and weights
// are not fetched, resident outputs are written into the global buffer as their consumers'
// input (glb.write.input) instead of to DRAM.
void count_transfers(const LayerPlan& plan, const GlbTile& tile, Tally& out);

}  // namespace enos::dataflow
