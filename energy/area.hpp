#pragma once
// Silicon area of an architecture (docs/area.md), Accelergy's rule applied to area: the
// architecture's components are counted (count_area) and priced with an area table (data in
// configs/area/), so counting and pricing stay apart as they do for energy.
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "pe/candidate.hpp"
#include "spec/arch.hpp"

namespace enos::energy {

struct AreaEntry {
  double value_um2 = 0;  // µm² per the entry's denominator (PE, lane, byte, bit)
  std::string unit;      // canonical: "um2/PE", "um2/lane", "um2/byte", "um2/bit"
  std::string source;    // the entry's source and/or derivation
  std::string path;      // e.g. "area.pe.lanes.int:w8a8"
};

struct AreaTable {
  std::string name, description, file, hash;
  int technology_nm = 45;
  std::map<std::string, std::string> references, excluded;  // what the table leaves out, and why
  AreaEntry pe_fixed, scratchpad_byte, glb_byte, noc_register_bit;
  std::map<pe::Candidate, AreaEntry> lanes;
};

AreaTable parse_area_table(const nlohmann::json& doc, const std::string& file);
AreaTable load_area_table(const std::string& file);

// What an architecture is made of, counted without prices.
struct AreaCounts {
  int64_t pes = 0;
  std::map<pe::Candidate, int64_t> lanes;  // PEs × lanes, per supported mode
  int64_t scratchpad_bytes = 0;            // all PEs
  int64_t glb_bytes = 0;
  int64_t noc_register_bits = 0;  // per-PE link registers and edge FIFOs
};

AreaCounts count_area(const spec::ArchSpec& arch);

struct AreaBreakdown {
  double total_mm2 = 0;
  std::map<std::string, double> by_component_mm2;  // pe_datapath, pe_fixed, scratchpad, glb, noc
};

// A mode the table lacks is a SpecError naming the table file and "area.pe.lanes.<mode>".
AreaBreakdown price_area(const AreaCounts& counts, const AreaTable& table);

}  // namespace enos::energy
