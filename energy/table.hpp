#pragma once
// An energy reference table (docs/energy.md): what one counted action costs, as data. The
// model only counts actions; pricing multiplies them by these entries, so a new technology is
// a new table, not new code. Every entry carries a unit and a source or derivation.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pe/candidate.hpp"

namespace enos::energy {

// One priced quantity. Values are stored in pJ per the entry's denominator whatever prefix
// the file used (fJ, pJ, nJ), so pricing never converts; `unit` is that canonical unit.
struct Entry {
  double value = 0;    // pJ per bit / op / cycle / (cycle·KiB), or a dimensionless ratio
  std::string unit;    // canonical: "pJ/bit", "pJ/op", "pJ/cycle", "pJ/cycle/KiB" or "ratio"
  std::string source;  // the entry's "source" and/or "derivation" text
  std::string path;    // where it sits in the table, e.g. "energy.dram.read"
};

struct SramPoint {
  int64_t capacity_bytes = 0;
  double pj_per_bit = 0;  // > 0
  std::string source;
};

// SRAM access energy per bit as a function of capacity. Between adjacent anchors it follows
// a power law (straight in log energy vs log capacity): bit and word lines grow as
// √capacity, and the published anchors fit that. Outside the anchors the nearest segment is
// extended; the result never drops below `floor`, the fixed cost of a tiny register file.
struct SramCurve {
  std::vector<SramPoint> points;  // ≥ 2, capacity strictly increasing
  Entry floor;                    // pJ/bit
  std::string derivation;
  std::string path;  // "energy.sram.read"

  double pj_per_bit(int64_t capacity_bytes) const;
};

struct EnergyTable {
  std::string name, description;
  std::string file;  // where it was loaded from (labels pricing errors)
  std::string hash;  // spec::json_hash of the document as loaded
  int technology_nm = 45;
  double supply_voltage_v = 0.9;
  double reference_clock_mhz = 500;  // leakage entries are per cycle at this clock
  int accumulator_bits = 32;         // the operator entries assume accumulators this wide
  std::map<std::string, std::string> references;  // citation key → full citation

  Entry dram_read, dram_write;             // pJ/bit
  SramCurve sram_read;                     // pJ/bit by capacity (global buffer, scratchpads)
  Entry sram_write_to_read;                // ratio: write energy / read energy
  Entry noc_hop;                           // pJ/bit per word-hop (link or bus delivery)
  std::map<pe::Candidate, Entry> operators;  // pJ/op, one lane operation (= one MAC)
  Entry leakage_pe;    // pJ/cycle per PE at the reference clock
  Entry leakage_sram;  // pJ/cycle/KiB of SRAM at the reference clock
  // The post-processing unit (requantization, pooling, add; docs/validate.md), pJ/op.
  // Optional: a table without them prices everything but `ppu.op.*` (enos validate needs them).
  bool has_postproc = false;
  Entry postproc_multiply, postproc_add;

  double sram_read_pj_per_bit(int64_t capacity_bytes) const { return sram_read.pj_per_bit(capacity_bytes); }
  double sram_write_pj_per_bit(int64_t capacity_bytes) const {
    return sram_read.pj_per_bit(capacity_bytes) * sram_write_to_read.value;
  }
  const Entry* find_operator(const pe::Candidate& c) const;  // null when the table lacks it
};

// Parse and validate (docs/energy.md); `file` labels errors. Errors are spec::SpecError
// "<file>: energy.<path>: <reason>".
EnergyTable parse_energy_table(const nlohmann::json& doc, const std::string& file);
EnergyTable load_energy_table(const std::string& file);

}  // namespace enos::energy
