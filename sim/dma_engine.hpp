#pragma once
// Moves tiles between DRAM and the global buffer in issue order over one pipelined channel:
// a transfer of b bits occupies the channel ceil(b / (8·bytes_per_cycle)) cycles from
// start = max(issue, channel free) and completes latency cycles after it leaves the channel,
// so the latencies of back-to-back transfers overlap.
#include <cstdint>
#include <deque>
#include <vector>

#include <systemc>

#include "dataflow/schedule.hpp"
#include "pe/reference.hpp"
#include "sim/global_buffer.hpp"
#include "sim/layer_job.hpp"  // TraceEvent
#include "spec/actions.hpp"

namespace enos::sim {

enum class DmaKind { LoadWeights, LoadInputs, StoreOutputs };

struct DmaCommand {
  DmaKind kind = DmaKind::LoadWeights;
  dataflow::GlbTile tile;
  int slot = 0;
  int64_t sequence = 0;  // issue order; completion is published as the last finished sequence
  sc_core::sc_time issued_at;
};

// The layer's tensors in DRAM: inputs and weights from the job, outputs as the PPU receives them.
struct DramImage {
  const dataflow::LayerPlan* plan = nullptr;
  const pe::LayerData* data = nullptr;
  std::vector<pe::Psum>* outputs = nullptr;
};

class DmaEngine : public sc_core::sc_module {
 public:
  DmaEngine(sc_core::sc_module_name name, const spec::DramSpec& dram, GlobalBuffer& glb,
            sc_core::sc_time cycle);

  void bind_layer(const DramImage& image) { image_ = image; }
  // Returns its sequence. A tensor the buffer plan keeps in the global buffer
  // (LayerPlan::residency) is not a transfer: it is placed at once and the last sequence
  // returned (see place_resident).
  int64_t issue(DmaKind kind, const dataflow::GlbTile& tile, int slot);
  void wait_for(int64_t sequence);  // SC_THREAD context
  bool done(int64_t sequence) const { return completed_ >= sequence; }
  int64_t last_issued() const { return issued_; }
  // Where to log each transfer's start and end (null: no logging), for the current layer.
  void set_trace(std::vector<TraceEvent>* trace) { trace_ = trace; }
  spec::ActionCounts& actions() { return actions_; }

 private:
  void run();
  sc_core::sc_time transfer_time(int64_t bits) const;
  // Waits until a transfer of `bits` issued at `issued_at` has completed.
  void move(int64_t bits, const sc_core::sc_time& issued_at);
  bool resident(DmaKind kind) const;
  // No DRAM transfer and no time. Loads make the resident tile visible in the slot the
  // streamer reads (in hardware the array reads the resident region in place; nothing is
  // counted); a store hands the outputs on and counts the post-processing unit's write of them
  // into the global buffer as the consumers' input (glb.write.input).
  void place_resident(DmaKind kind, const dataflow::GlbTile& tile, int slot);
  void load_weights(const DmaCommand& cmd);
  void load_inputs(const DmaCommand& cmd);
  void store_outputs(const DmaCommand& cmd);
  // The data each kind moves between the layer's tensors and a global-buffer slot.
  void copy_weights(const dataflow::GlbTile& t, int slot);
  void copy_inputs(const dataflow::GlbTile& t, int slot);
  void copy_outputs(const dataflow::GlbTile& t, int slot);

  spec::DramSpec dram_;
  GlobalBuffer& glb_;
  sc_core::sc_time cycle_;
  DramImage image_;
  std::deque<DmaCommand> queue_;
  sc_core::sc_event issued_event_;
  std::vector<TraceEvent>* trace_ = nullptr;
  sc_core::sc_event completed_event_;
  int64_t issued_ = 0, completed_ = 0;
  sc_core::sc_time channel_free_;
  spec::ActionCounts actions_;
};

}  // namespace enos::sim
