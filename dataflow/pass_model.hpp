#pragma once
// What a dataflow contributes to the schedule, the action counts and the timing, behind one
// interface (docs/dataflow.md, "Code layout"): the rest of dataflow/ (tiles, DRAM, the
// analytical walk, the mapper) is the same for every dataflow.
//
// Two files implement it, one per way the array reduces:
//   preloaded_operand.cpp  weight- and input-stationary: the reduction runs down the columns
//                          (partial sums flow PE to PE), one operand is preloaded, the other
//                          streams; the two differ only in which operand is which;
//   output_stationary.cpp  each PE keeps its own accumulator; both operands stream.
#include <cstdint>
#include <vector>

#include "dataflow/counts.hpp"
#include "dataflow/schedule.hpp"
#include "dataflow/timing.hpp"

namespace enos::dataflow {

struct PassModel {
  // The array passes of one global-buffer tile, in the mapping's pass order.
  std::vector<ArrayTile> (*passes)(const LayerPlan& plan, const GlbTile& tile);
  // Activation words the streamer reads from the global buffer for one pass (padding is
  // generated, never read).
  int64_t (*input_reads)(const LayerPlan& plan, const GlbTile& tile, const ArrayTile& pass);
  // The pass's actions as the streamer, the array and the collector count them.
  void (*count)(const LayerPlan& plan, const ArrayTile& pass, int64_t input_reads, Tally& out);
  // The pass's phases in every variant (docs/dataflow.md, "Timing").
  PassTiming (*timing)(const Machine& m, const ArrayTile& pass, int64_t input_reads);
};

PassModel pass_model(spec::Dataflow d);

// The two implementations (pass_model picks one).
PassModel preloaded_operand_model();
PassModel output_stationary_model();

}  // namespace enos::dataflow
