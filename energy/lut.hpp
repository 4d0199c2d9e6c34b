#pragma once
// The per-layer energy/latency lookup table (docs/lut-format.md): for each MAC layer × operator
// candidate, energy in pJ with its breakdown, latency in cycles and µs, utilization and stall
// cycles by cause, measured on the SystemC model; plus the hashes of what produced it.
#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pe/conv_shape.hpp"

namespace enos::energy {

// Where the entry's layer found its tensors when it was characterized (the network's buffer
// plan run at the entry's candidate; all false: the layer on its own, everything from DRAM).
struct LutResidency {
  bool inputs = false, outputs = false, weights = false;
  int64_t reserved_bytes = 0;
  bool operator==(const LutResidency& o) const {
    return inputs == o.inputs && outputs == o.outputs && weights == o.weights && reserved_bytes == o.reserved_bytes;
  }
};

struct LutEntry {
  std::string candidate;
  double energy_pj = 0;
  std::map<std::string, double> energy_by_level_pj;  // dram, glb, noc, spad, datapath, leakage
  int64_t cycles = 0;
  int64_t busy_cycles = 0;
  std::map<std::string, int64_t> stall_cycles;  // dram_bandwidth, glb_ports, noc, fill_drain
  double latency_us = 0;
  double utilization = 0;
  int64_t macs = 0;
  nlohmann::json mapping;  // the mapping the layer ran with
  LutResidency residency;  // optional in the file (LUTs before the buffer plan: none resident)
  double input_zero_frac = 0;  // share of zero activations it was measured with (optional: 0)

  nlohmann::json to_json() const;
  static LutEntry from_json(const nlohmann::json& j, const std::string& file, const std::string& path);
};

struct LutLayer {
  std::string name;
  pe::ConvShape shape;
  std::vector<LutEntry> entries;  // one per candidate, in the LUT's candidate order
};

struct LutSource {
  std::string name, file, hash;
};

struct Lut {
  std::string tool_version;
  LutSource architecture, energy_table, workload;
  double clock_mhz = 0;
  int technology_nm = 0;
  std::vector<std::string> candidates;
  std::vector<LutLayer> layers;

  const LutEntry* find(const std::string& layer, const std::string& candidate) const;
  double total_energy_pj(const std::string& candidate) const;  // every layer with one candidate
};

nlohmann::json to_json(const Lut& lut);
// Throws spec::SpecError naming the file and JSON path.
Lut parse_lut(const nlohmann::json& doc, const std::string& file);
Lut load_lut(const std::string& file);
// One row per layer × candidate, with a header; units in the column names.
void write_lut_csv(const Lut& lut, std::ostream& out);

}  // namespace enos::energy
