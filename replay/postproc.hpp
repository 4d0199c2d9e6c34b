#pragma once
// The post-processing unit (PPU): what the replay runs besides the PE array, counted as
// named actions (priced by energy/ like every other count; docs/validate.md).
//
// Model (assumptions, stated in docs/validate.md):
// - Requantization (and a MAC layer's input rescale) sits on the array's output/input stream:
//   one fixed-point multiply and one add per output (two of each for mf), no extra cycles.
// - Pooling and add are PPU passes: the inputs are read and the output written at the
//   tensors' bits, from and to DRAM (dram.read.input, dram.write.output) or, when the buffer
//   plan keeps them on chip, the global buffer (glb.read.input, glb.write.input), with
//   kPpuLanes elements per cycle or the DRAM or buffer-port bandwidth, whichever is slowest.
// - concat, channel_shuffle, split and relu are address remappings that the consumer's DMA
//   absorbs: no data moves twice, no cycles. A concat input at another scale is rescaled on
//   that DMA stream: one multiply per element, and a relu of a signed tensor (ShuffleNet v1's
//   residual sums) clamps on it: one compare per element; still no extra traffic or cycles.
#include <cstdint>

#include "dataflow/schedule.hpp"
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

struct PpuInput {
  int64_t elements = 0;
  int bits = 8;
  bool is_signed = false;
};

// A non-MAC layer with its inputs (in the layer's order), its output tensor's bits and where
// its inputs and output live (dataflow::Residency: inputs, outputs).
PpuWork layer_postproc(const spec::Layer& layer, const NetLayer& net, const std::vector<PpuInput>& ins, int out_bits,
                       const spec::ArchSpec& arch, const dataflow::Residency& where);

}  // namespace enos::replay
