#include "dataflow/limits.hpp"

#include <algorithm>
#include <cmath>

#include "spec/json_reader.hpp"
#include "spec/limits.hpp"

namespace enos::dataflow {
namespace {

std::string figure(double cycles) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", cycles);
  return buf;
}

const std::string kCycleLimit = "2^40 cycles, the limit of one layer (docs/cli.md, \"Limits\")";
const std::string kByteLimit = "the limit of one layer (docs/cli.md, \"Limits\")";

}  // namespace

int64_t layer_data_bytes(const pe::ConvShape& s) {
  // Counts are below 2^48 (pe::ConvShape::check), so these products cannot overflow.
  return 4 * (s.input_count() + s.weight_count()) + 24 * s.output_count();
}

int64_t plan_bytes(const LayerPlan& plan) {
  // The largest tile of each tensor, as footprint_bytes finds it (the mapper calls this for
  // every candidate on a huge global buffer, so no walk over glb_tiles): weights and partial
  // sums of the first output-channel tile, the most input rows any output-row tile stores.
  const pe::ConvShape& s = plan.shape;
  const int64_t k = std::min(plan.mapping.k_tile, s.outputs_per_group());
  const int P = s.P();
  int64_t in_rows = 0;
  for (int p0 = 0; p0 < P; p0 += plan.mapping.p_tile) {
    const int p_count = std::min(plan.mapping.p_tile, P - p0);
    const int first = std::max(0, p0 * s.stride - s.pad);
    const int last = std::min(s.H - 1, (p0 + p_count - 1) * s.stride - s.pad + s.R - 1);
    in_rows = std::max<int64_t>(in_rows, last - first + 1);
  }
  const int64_t weights = k * s.reduction();
  const int64_t inputs = int64_t(s.channels_per_group()) * in_rows * s.W;
  const int64_t psums = k * std::min(plan.mapping.p_tile, P) * s.Q();
  return layer_data_bytes(s) + 2 * (4 * weights + 4 * inputs + 8 * psums);
}

void check_layer_limits(const pe::ConvShape& shape, const pe::Candidate& candidate, const spec::ArchSpec& arch,
                        const LayerSource& where) {
  const std::string layer = pe::to_string(shape);
  const int64_t bytes = layer_data_bytes(shape);
  if (bytes > spec::kMaxLayerBytes)
    throw spec::SpecError(where.file, where.path,
                          "layer " + layer + " needs about " + spec::format_bytes(double(bytes)) +
                              " of memory in the simulator, more than " + spec::format_bytes(double(spec::kMaxLayerBytes)) +
                              ", " + kByteLimit);
  const WordBits bits = word_bits(candidate);
  const double dram_bytes = (double(shape.input_count()) * bits.input + double(shape.weight_count()) * bits.weight +
                             double(shape.output_count()) * bits.output) / 8;
  const double dram_cycles = dram_bytes / arch.dram.bytes_per_cycle;
  if (!spec::cycles_within(dram_cycles))
    throw spec::SpecError(arch.file, "arch.dram.bytes_per_cycle",
                          "at " + figure(arch.dram.bytes_per_cycle) + " bytes per cycle, layer " + layer + " (" +
                              where.path + " of " + where.file + ") needs at least " + figure(dram_cycles) +
                              " cycles to move its " + spec::format_bytes(dram_bytes) + " through DRAM once, more than " +
                              kCycleLimit);
  const spec::ModeSpec* mode = arch.find_mode(candidate);
  const double per_cycle = double(arch.rows) * arch.cols * (mode ? mode->lanes : 1);
  const double compute_cycles = double(shape.macs()) / per_cycle;
  if (!spec::cycles_within(compute_cycles))
    throw spec::SpecError(where.file, where.path,
                          "layer " + layer + " needs at least " + figure(compute_cycles) + " cycles for its " +
                              figure(double(shape.macs())) + " MACs on the " + std::to_string(arch.rows) + "×" +
                              std::to_string(arch.cols) + " array of " + arch.file + ", more than " + kCycleLimit);
}

void check_plan_limits(const LayerPlan& plan, const spec::ArchSpec& arch, const std::string& layer) {
  const int64_t bytes = plan_bytes(plan);
  if (bytes <= spec::kMaxLayerBytes) return;
  throw spec::SpecError(arch.file, "arch.global_buffer.size_kib",
                        "layer '" + layer + "' (" + pe::to_string(plan.shape) + ") with mapping k_tile=" +
                            std::to_string(plan.mapping.k_tile) + " p_tile=" + std::to_string(plan.mapping.p_tile) +
                            " needs about " + spec::format_bytes(double(bytes)) +
                            " of memory in the simulator (its data and the global-buffer tiles), more than " +
                            spec::format_bytes(double(spec::kMaxLayerBytes)) + ", " + kByteLimit +
                            "; pin smaller tiles in the workload's mapping, or use a smaller global buffer");
}

}  // namespace enos::dataflow
