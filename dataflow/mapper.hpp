#pragma once
// The mapper (docs/dataflow.md, "What the mapper searches"): checks a mapping against the
// architecture and turns it into a LayerPlan, and picks the mapping of minimum energy × delay
// from the analytical model when the user has not pinned it all.
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "dataflow/analytical.hpp"
#include "dataflow/schedule.hpp"
#include "pe/candidate.hpp"
#include "pe/conv_shape.hpp"
#include "spec/actions.hpp"
#include "spec/arch.hpp"
#include "spec/mapping.hpp"

namespace enos::dataflow {

// A layer the architecture cannot run as asked: an operator it lacks, a dataflow it cannot be
// configured for, or a mapping whose tiles do not fit the global buffer. The message is the
// whole reason (the caller adds the layer name).
class MappingError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Energy in pJ of a layer's action counts and cycles: what the mapper minimizes (× cycles).
using CostModel = std::function<double(const spec::ActionCounts&, const CycleBreakdown&)>;

// A first, documented weighting of the actions (mapper.cpp cites its sources) until energy/
// prices them with a real table.
CostModel rough_cost_model();

// Throws MappingError when the candidate is not a mode of `arch`, the dataflow is not one
// `arch` supports, a tile size is out of range, or the mapping needs more global buffer
// than `arch` has ("mapping k_tile=64 p_tile=32 needs 180224 B of global buffer, capacity
// 131072 B").
// `residency`: where the layer's tensors live in the network's buffer plan (default: nothing
// resident, the layer on its own); the resident ones' bytes count against the buffer.
LayerPlan make_plan(const pe::ConvShape& shape, const pe::Candidate& candidate,
                    const spec::ArchSpec& arch, const spec::Mapping& mapping, const Residency& residency = {});

// The same value as glb_footprint_bytes(plan), from the output-row tiles alone (the largest
// tile is always one of the first output-channel tile's), so the mapper can reject a mapping
// without building its schedule.
int64_t footprint_bytes(const LayerPlan& plan);

// SCALE-Sim v2's mapping of a layer under `dataflow` (spec::MappingPreset::ScaleSim): the
// whole layer (of each group) in one global-buffer tile, single-buffered; inside it the
// array's column folds outermost and row folds inside (SCALE-Sim's `for fc: for fr`), every
// fold filling and draining the whole array. The dataflow decides what the rows and columns
// hold, as in SCALE-Sim: weight-stationary reduction × output channels, output-stationary
// output pixels × output channels, input-stationary reduction × output pixels.
spec::Mapping scalesim_mapping(const pe::ConvShape& shape, spec::Dataflow dataflow);

// Every mapping the search considers for this layer (pinned fields fixed; a preset's one
// mapping per dataflow), in the fixed order choose_mapping breaks ties with; fitting the buffer
// is not checked here.
std::vector<spec::Mapping> mapping_candidates(const pe::ConvShape& shape,
                                              const pe::Candidate& candidate,
                                              const spec::ArchSpec& arch,
                                              const spec::PinnedMapping& pinned);

// The global buffer the smallest of those mappings needs with `residency` (its reserved bytes
// included): what the buffer plan must leave the layer. Throws MappingError as choose_mapping
// does for an operator or a pinned dataflow the architecture lacks.
int64_t smallest_footprint_bytes(const pe::ConvShape& shape, const pe::Candidate& candidate,
                                 const spec::ArchSpec& arch, const spec::PinnedMapping& pinned,
                                 const Residency& residency);

// The fitting mapping of minimum cost × total cycles (first in mapping_candidates order on a
// tie). Throws MappingError naming the reason when nothing fits or a pin is impossible.
spec::Mapping choose_mapping(const pe::ConvShape& shape, const pe::Candidate& candidate,
                             const spec::ArchSpec& arch, const spec::PinnedMapping& pinned,
                             const CostModel& cost, const Residency& residency = {});

}  // namespace enos::dataflow
