#pragma once
// The post-processing unit (PPU): what the replay runs besides the PE array, counted as
// named actions (priced by energy/ like every other count; docs/validate.md).
//
// Model (assumptions, stated in docs/validate.md):
// - Requantization (and a MAC layer's input rescale) sits on the array's output/input stream:
//   one fixed-point multiply and one add per output (two of each for mf), no extra cycles.
// - Pooling, add and a concat that rescales are PPU passes over tensors in DRAM: the inputs
//   are read and the output written (dram.read.input, dram.write.output at the tensor's
//   bits), with kPpuLanes elements per cycle or the DRAM bandwidth, whichever is slower.
// - channel_shuffle, split, relu and a concat that only copies are address remappings that
//   the consumer's DMA absorbs: no actions, no cycles.
#include <cstdint>

#include "replay/export.hpp"
#include "spec/actions.hpp"
#include "spec/arch.hpp"

namespace enos::replay {

// Elements the PPU consumes per cycle (assumption: as wide as one 16-PE array row).
constexpr int kPpuLanes = 16;

struct PpuWork {
  spec::ActionCounts actions;  // ppu.op.multiply, ppu.op.add, dram.read.input, dram.write.output
  int64_t cycles = 0;
  bool on_host_path = false;   // address remapping only: nothing executed
};

// The requantization (and input rescale) of one MAC layer.
PpuWork mac_postproc(const spec::Layer& layer, const NetLayer& net);

// A non-MAC layer; `in_bits` are the bits of its (first) input tensor, `out_bits` its output's.
PpuWork layer_postproc(const spec::Layer& layer, const NetLayer& net, const std::vector<int>& in_bits, int out_bits,
                       const spec::ArchSpec& arch);

}  // namespace enos::replay
