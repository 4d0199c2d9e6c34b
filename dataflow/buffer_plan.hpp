#pragma once
// The network's buffer plan (docs/dataflow.md, "The buffer plan"): which tensors stay in the
// global buffer between layers instead of crossing the DRAM interface, and which layers' weights
// stay in it across inferences. Each layer then gets a dataflow::Residency: its flags and the
// bytes the resident tensors hold while it runs, which its mapping's tiles must leave room for.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "dataflow/schedule.hpp"
#include "spec/arch.hpp"
#include "spec/workload.hpp"

namespace enos::dataflow {

// One tensor between layers, as it is stored: channel shuffles, splits, concatenations and
// ReLUs are address remaps of the global buffer, so a tensor is what a MAC layer or a post-
// processing layer (pool, add) produced. Tensors read together (concatenated) share a home:
// all on chip or all in DRAM. A tensor lives until the last layer that reads any remap of it.
struct TensorHome {
  std::string producer;                 // layer name ("input": the network input)
  std::vector<std::string> stored_with; // the other tensors of its home
  int64_t bytes = 0;                    // at the producer's output width
  std::size_t first = 0, last = 0;      // workload layer indices it lives over (write .. last read)
  bool resident = false;
  std::string why_dram;                 // when not resident: the network's input or output, or no room
};

struct WeightHome {
  std::string layer;
  int64_t bytes = 0;
  bool resident = false;
};

struct BufferPlan {
  std::vector<TensorHome> tensors;  // in producer order
  std::vector<WeightHome> weights;  // MAC layers in workload order
  std::vector<Residency> layers;    // one per workload layer (non-MAC layers: flags and bytes only)
  int64_t capacity_bytes = 0;

  int64_t peak_reserved_bytes() const;    // the most any layer's resident tensors held
  int64_t resident_weight_bytes() const;  // weights kept across inferences
};

// The candidate each layer runs (its operator's word widths size the tensors and tiles).
using CandidateOf = std::function<pe::Candidate(std::size_t layer_index)>;
// The mapping pins each MAC layer keeps (its own or the run's): its tiles must still fit.
using PinsOf = std::function<spec::PinnedMapping(std::size_t layer_index)>;

// Greedy, in producer order: a tensor stays in the global buffer when, over its whole life,
// every layer still finds a mapping whose tiles fit beside all resident tensors; then each
// layer's weights the same way (they are resident over the whole network). Activations go
// first: a resident activation saves a DRAM write and a read per inference, a weight one read.
// With arch.glb.network_residency off, or for a workload of independent --layer options,
// nothing is resident.
BufferPlan plan_buffers(const spec::Workload& w, const spec::ArchSpec& arch, const CandidateOf& candidate_of,
                        const PinsOf& pins_of);

// The buffer plan of the whole network run at one candidate, each layer with its own pins from
// the workload (what `enos simulate --workload --op` runs, and explore's uniform rows).
BufferPlan plan_at_candidate(const spec::Workload& w, const spec::ArchSpec& arch, const pe::Candidate& c);

// The architecture's widest mode (most weight + activation bits; int:w8a8 on every preset).
pe::Candidate widest_candidate(const spec::ArchSpec& arch);

// Where a LUT entry assumes its layer's data lives (docs/lut-format.md). The search mixes
// operators, so no entry can know its neighbours' widths:
//   Widest (default): the plan of the network at the widest mode, for every entry: wider
//     tensors leave the least room, so a mixed network keeps at least about as much on chip
//     and the LUT errs on the expensive side for where data lives (the greedy plan is not
//     strictly monotone, and the mapper, minimizing energy × delay, may spend energy for speed
//     when it has more room: the replay checks);
//   Candidate: the plan of the network at the entry's own candidate: exact for a network in
//     one operator, optimistic for a narrow layer among wide ones (kept for comparison, and
//     for the test that shows validate failing an optimistic LUT).
enum class LutContext { Widest, Candidate };
std::string to_string(LutContext c);
BufferPlan lut_context_plan(const spec::Workload& w, const spec::ArchSpec& arch, const pe::Candidate& c,
                            LutContext context);

}  // namespace enos::dataflow
