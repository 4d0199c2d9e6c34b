#pragma once
// The per-layer limits of spec/limits.hpp applied to a layer (docs/cli.md, "Limits"): checked
// before any data is allocated or any cycle simulated, so a layer too large for the machine
// or a DRAM too slow for the simulator's clock is refused with exit 2 and the figure, not
// found out by bad_alloc or a wrapped cycle count.
#include <cstdint>
#include <string>

#include "dataflow/mapper.hpp"
#include "dataflow/schedule.hpp"
#include "pe/candidate.hpp"
#include "pe/conv_shape.hpp"
#include "spec/arch.hpp"

namespace enos::dataflow {

// A cycle count beyond spec::kMaxLayerCycles (a MappingError, so exit 2 like a mapping that
// does not fit). The mapper skips mappings that raise it while others remain.
class CycleLimitError : public MappingError {
 public:
  using MappingError::MappingError;
};

// Where a layer was written, for messages: the file and the JSON path a user would edit
// ("w.json", "workload.layers[3]"; "--layer", "layer0 = conv:…").
struct LayerSource {
  std::string file, path;
};

// Memory the simulator takes for a layer's data, whatever the mapping: 4 B per input and
// weight (pe::LayerData), 24 B per output (the model's and the reference's accumulators, the
// requantized values).
int64_t layer_data_bytes(const pe::ConvShape& shape);
// The same plus the global-buffer tiles of a mapping in the simulator's words (int32
// operands, 8-byte partial sums), two slots.
int64_t plan_bytes(const LayerPlan& plan);

// Refuses (spec::SpecError) a layer whose data exceeds spec::kMaxLayerBytes (naming `where`)
// or that needs more than spec::kMaxLayerCycles even at best: to move its tensors through
// DRAM once (naming the architecture's arch.dram.bytes_per_cycle) or to do its MACs on every
// PE of the array (naming `where`).
void check_layer_limits(const pe::ConvShape& shape, const pe::Candidate& candidate, const spec::ArchSpec& arch,
                        const LayerSource& where);
// Refuses a plan whose memory (plan_bytes) exceeds spec::kMaxLayerBytes: the mapping chose
// global-buffer tiles larger than the simulator may allocate.
void check_plan_limits(const LayerPlan& plan, const spec::ArchSpec& arch, const std::string& layer);

}  // namespace enos::dataflow
