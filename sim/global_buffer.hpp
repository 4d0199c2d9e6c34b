#pragma once
// The global buffer: two slots for each tensor tile (double buffering) and the banked port
// every access books. It stores real data: the DMA engine copies tiles in and out, the
// streamer reads operands from it, the collector accumulates partial sums into it.
#include <array>
#include <cstdint>
#include <vector>

#include "pe/semantics.hpp"
#include "sim/bandwidth.hpp"
#include "spec/arch.hpp"

namespace enos::sim {

struct GlbSlot {
  std::vector<int32_t> weights;   // [k_count][reduction]
  std::vector<int32_t> inputs;    // [C/g][in_rows][W]
  std::vector<pe::Psum> psums;    // [k_count][p_count·Q]
};

class GlobalBuffer {
 public:
  GlobalBuffer(const spec::GlobalBufferSpec& spec, sc_core::sc_time cycle)
      : ports_(spec.bits_per_cycle(), cycle) {}

  GlbSlot& slot(int i) { return slots_[i]; }
  BandwidthResource& ports() { return ports_; }

 private:
  std::array<GlbSlot, 2> slots_;
  BandwidthResource ports_;
};

}  // namespace enos::sim
