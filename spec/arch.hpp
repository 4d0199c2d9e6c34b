#pragma once
// The architecture description (docs/arch-format.md): typed, validated at load.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "pe/candidate.hpp"

namespace enos::spec {

// Which operand stays in the PEs while the others stream past (docs/dataflow.md): weights,
// outputs (the accumulators) or inputs.
enum class Dataflow { WeightStationary, OutputStationary, InputStationary };
enum class NocTopology { Systolic, MulticastBus };

std::string to_string(Dataflow d);
std::string to_string(NocTopology t);
// Inverse of to_string ("weight_stationary", "output_stationary", "input_stationary"); empty
// when unknown.
std::optional<Dataflow> parse_dataflow(std::string_view text);

struct ModeSpec {
  pe::Candidate candidate;
  int lanes = 1;  // reduction elements one PE processes per cycle in this mode
};

struct ScratchpadSpec {
  int64_t weight_bytes = 0, input_bytes = 0, psum_bytes = 0;  // per PE
};

struct GlobalBufferSpec {
  int64_t size_bytes = 0;
  int banks = 1;
  int bank_width_bits = 64;  // each bank moves one word of this width per cycle
  // "residency": "network" (default) plans the buffer over the whole network: tensors between
  // layers and weights stay in it when they fit (dataflow/buffer_plan.hpp); "none" sends every
  // layer's inputs, weights and outputs through DRAM, each layer on its own.
  bool network_residency = true;
  int64_t bits_per_cycle() const { return int64_t(banks) * bank_width_bits; }
};

struct DramSpec {
  double bytes_per_cycle = 16;  // sustained bandwidth
  int latency_cycles = 100;     // per transfer
};

struct NocSpec {
  NocTopology topology = NocTopology::Systolic;
  int link_width_bits = 64;  // bits one edge link or bus moves per cycle
  int fifo_depth = 4;        // flits each bounded link buffers
};

struct ArchSpec {
  std::string name;
  std::string description;  // free text, optional
  std::string file;  // where it was loaded from (empty for in-memory)
  double clock_mhz = 500;
  int technology_nm = 45;
  int rows = 16, cols = 16;
  int accumulator_bits = 32;
  // Eyeriss-style zero gating (pe.zero_gating): a zero activation skips its multiply and
  // accumulate and the weight-scratchpad read it would need; counted as pe.gated.<candidate>.
  bool zero_gating = false;
  ScratchpadSpec scratchpad;
  std::vector<ModeSpec> modes;  // sorted by Candidate::operator<, no duplicates
  std::vector<Dataflow> dataflows;  // the array can be configured for these
  GlobalBufferSpec glb;
  DramSpec dram;
  NocSpec noc;
  std::string energy_table;  // path, resolved relative to the arch file
  std::string hash;          // json_hash of the document as loaded

  const ModeSpec* find_mode(const pe::Candidate& c) const;  // null when unsupported
  // Bytes of one output's accumulator(s): accumulator_bits/8, twice that for mf (two sums).
  int accumulator_bytes(const pe::Candidate& c) const;
  bool supports(Dataflow d) const;
  double cycle_ns() const { return 1000.0 / clock_mhz; }
};

// Parse and validate; `file` labels errors and anchors relative paths.
ArchSpec parse_arch(const nlohmann::json& doc, const std::string& file);
ArchSpec load_arch(const std::string& file);
// The mode of `c`, or a SpecError "<arch file>: arch.pe.modes: does not support ... (supported:
// ...)" for the `--op` a user asked for (exit code 2 like every input mistake).
const ModeSpec& require_mode(const ArchSpec& a, const pe::Candidate& c);
// The same format back (energy_table as resolved); parse_arch of it gives an equal spec.
nlohmann::json to_json(const ArchSpec& a);

}  // namespace enos::spec
