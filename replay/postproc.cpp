#include "replay/postproc.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

#include "spec/json_reader.hpp"
#include "spec/limits.hpp"

namespace enos::replay {
namespace {

using spec::LayerType;
namespace action = spec::action;

int64_t elements(const spec::FeatureShape& s) { return int64_t(s.C) * s.H * s.W; }

// A concat input at the output's scale has M_i = 2^shift: it is copied, not rescaled.
bool rescaled(const NetLayer& net, std::size_t input) {
  const int64_t m = net.combine.multipliers[input];
  return net.combine.shift > 30 || m != (int64_t(1) << net.combine.shift);
}

int64_t total_bits(const std::vector<PpuInput>& ins) {
  int64_t bits = 0;
  for (const PpuInput& i : ins) bits += i.elements * i.bits;
  return bits;
}

// Cycles to move `bits` at `per_cycle` bits per cycle, checked like every cycle count
// (spec/limits.hpp): a tiny bandwidth would wrap the cast.
int64_t transfer_cycles(double bits, double per_cycle, const spec::ArchSpec& arch, const char* path) {
  const std::optional<int64_t> cycles = spec::cycles_within(bits / per_cycle);
  if (!cycles)
    throw spec::SpecError(arch.file, path,
                          "the post-processing unit needs more than 2^40 cycles, the limit of one layer, to move " +
                              spec::format_bytes(bits / 8) + " at this bandwidth");
  return *cycles;
}

// A PPU pass: inputs read and the output written where the buffer plan keeps them, at
// kPpuLanes elements per cycle or the DRAM or buffer-port bandwidth, whichever is slowest.
void add_pass(PpuWork& w, int64_t in_elems, int64_t in_bits_total, int64_t out_elems, int out_bits,
              const spec::ArchSpec& arch, const dataflow::Residency& where) {
  w.actions.add_bits(where.inputs ? action::kGlbReadInput : action::kDramReadInput, in_elems, in_bits_total);
  w.actions.add(where.outputs ? action::kGlbWriteInput : action::kDramWriteOutput, out_elems, out_bits);
  const double out_bits_total = double(out_elems) * out_bits;
  const double dram_bits = (where.inputs ? 0 : double(in_bits_total)) + (where.outputs ? 0 : out_bits_total);
  const double glb_bits = double(in_bits_total) + out_bits_total - dram_bits;
  const int64_t lane_cycles = (std::max(in_elems, out_elems) + kPpuLanes - 1) / kPpuLanes;
  const int64_t dram_cycles = transfer_cycles(dram_bits, 8.0 * arch.dram.bytes_per_cycle, arch, "arch.dram.bytes_per_cycle");
  const int64_t glb_cycles =
      transfer_cycles(glb_bits, double(arch.glb.bits_per_cycle()), arch, "arch.global_buffer.banks");
  w.cycles = std::max({lane_cycles, dram_cycles, glb_cycles});
}

}  // namespace

PpuWork mac_postproc(const spec::Layer& layer, const NetLayer& net) {
  PpuWork w;
  const int64_t outs = layer.conv.output_count();
  const int per = net.candidate.kind == pe::OpKind::Mf ? 2 : 1;  // mf: two accumulators, two multipliers
  // The classifier's logits are scaled the same way (s_x·s_w[k]·main + bias). One add per
  // product: the offset, and for mf the sum of the two (`bias` preloads the accumulator).
  w.actions.add(action::kPpuMultiply, outs * per);
  w.actions.add(action::kPpuAdd, outs * per);
  if (net.input_rescale) w.actions.add(action::kPpuMultiply, layer.conv.input_count());
  return w;
}

PpuWork layer_postproc(const spec::Layer& l, const NetLayer& net, const std::vector<PpuInput>& ins, int out_bits,
                       const spec::ArchSpec& arch, const dataflow::Residency& where) {
  PpuWork w;
  const int64_t in = elements(l.in), out = elements(l.out);
  const int64_t k2 = int64_t(l.kernel) * l.kernel;
  switch (l.type) {
    case LayerType::MaxPool:
      w.actions.add(action::kPpuAdd, out * (k2 - 1));  // compares
      add_pass(w, in, total_bits(ins), out, out_bits, arch, where);
      break;
    case LayerType::AvgPool:
      w.actions.add(action::kPpuAdd, out * k2);
      w.actions.add(action::kPpuMultiply, out);  // ÷ n as a multiply by a constant
      add_pass(w, in, total_bits(ins), out, out_bits, arch, where);
      break;
    case LayerType::GlobalAvgPool:
      w.actions.add(action::kPpuAdd, in);
      w.actions.add(action::kPpuMultiply, out);
      add_pass(w, in, total_bits(ins), out, out_bits, arch, where);
      break;
    case LayerType::Add: {
      const int64_t n = int64_t(l.inputs.size());
      w.actions.add(action::kPpuMultiply, out * n);
      w.actions.add(action::kPpuAdd, out * (n - 1));
      add_pass(w, out * n, total_bits(ins), out, out_bits, arch, where);
      break;
    }
    case LayerType::Concat: {
      int64_t multiplies = 0;
      for (std::size_t i = 0; i < ins.size(); ++i)
        if (rescaled(net, i)) multiplies += ins[i].elements;
      w.actions.add(action::kPpuMultiply, multiplies);  // on the consumer's DMA stream
      w.on_host_path = multiplies == 0;
      break;
    }
    case LayerType::ReLU:  // the identity on unsigned codes; a clamp on the stream of signed ones
      w.actions.add(action::kPpuAdd, ins[0].is_signed ? ins[0].elements : 0);
      w.on_host_path = !ins[0].is_signed;
      break;
    default:  // channel_shuffle, split: the consumer's addresses
      w.on_host_path = true;
      break;
  }
  return w;
}

}  // namespace enos::replay
