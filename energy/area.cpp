#include "energy/area.hpp"

#include "spec/json_reader.hpp"

namespace enos::energy {
namespace {

using spec::JsonNode;

constexpr double kMaxUm2 = 1e9;  // 1000 mm² per unit: beyond any chip, catches unit typos

// Units are "um2/<den>" or "mm2/<den>"; stored in µm² so pricing never converts.
AreaEntry read_entry(const JsonNode& n, const std::string& den) {
  n.reject_unknown_keys({"value", "unit", "source", "derivation"});
  AreaEntry e;
  e.path = n.path();
  const std::string unit = n.at("unit").as_string();
  double factor = 0;
  if (unit == "um2/" + den) factor = 1;
  if (unit == "mm2/" + den) factor = 1e6;
  if (factor == 0) n.at("unit").fail("unit must be um2/" + den + " or mm2/" + den + ", got \"" + unit + "\"");
  e.value_um2 = n.at("value").as_number(0, kMaxUm2) * factor;
  e.unit = "um2/" + den;
  for (const char* key : {"source", "derivation"})
    if (n.has(key)) e.source += (e.source.empty() ? "" : "; ") + n.at(key).as_string();
  if (e.source.empty()) n.fail("needs a non-empty \"source\" or \"derivation\"");
  return e;
}

std::map<std::string, std::string> read_strings(const JsonNode& n) {
  n.expect_object();
  std::map<std::string, std::string> out;
  for (const std::string& k : n.keys()) out[k] = n.at(k).as_string();
  return out;
}

void read_lanes(const JsonNode& n, AreaTable& t) {
  n.expect_object();
  for (const std::string& key : n.keys()) {
    pe::Candidate c;
    try {
      c = pe::parse_candidate(key);
    } catch (const std::invalid_argument& e) {
      n.at(key).fail(std::string("bad operator candidate: ") + e.what());
    }
    t.lanes[c] = read_entry(n.at(key), "lane");
  }
}

int64_t sum_of(const spec::ScratchpadSpec& s) { return s.weight_bytes + s.input_bytes + s.psum_bytes; }

// Systolic: each PE registers one horizontal and one vertical link; the edge links (west per
// row, north and south per column) each have a FIFO. Multicast bus: each PE registers what
// the ifmap and filter buses deliver; the two buses and the south psum links have FIFOs.
int64_t noc_register_bits(const spec::ArchSpec& a) {
  const int64_t pes = int64_t(a.rows) * a.cols, w = a.noc.link_width_bits;
  const int64_t edge_links = a.noc.topology == spec::NocTopology::Systolic ? a.rows + 2 * a.cols : 2 + a.cols;
  return 2 * pes * w + edge_links * a.noc.fifo_depth * w;
}

}  // namespace

AreaTable parse_area_table(const nlohmann::json& doc, const std::string& file) {
  const JsonNode root(doc, file, "area");
  root.reject_unknown_keys({"name", "description", "technology_nm", "references", "pe", "scratchpad",
                            "global_buffer", "noc", "excluded"});
  AreaTable t;
  t.file = file;
  t.hash = spec::json_hash(doc);
  t.name = root.get_string("name");
  if (t.name.empty()) root.at("name").fail("must not be empty");
  t.description = root.get_string("description", "");
  t.technology_nm = int(root.get_int("technology_nm", 1, 1000));
  if (root.has("references")) t.references = read_strings(root.at("references"));
  if (root.has("excluded")) t.excluded = read_strings(root.at("excluded"));
  const JsonNode pe = root.at("pe");
  pe.reject_unknown_keys({"fixed", "lanes"});
  t.pe_fixed = read_entry(pe.at("fixed"), "PE");
  read_lanes(pe.at("lanes"), t);
  t.scratchpad_byte = read_entry(root.at("scratchpad"), "byte");
  t.glb_byte = read_entry(root.at("global_buffer"), "byte");
  const JsonNode noc = root.at("noc");
  noc.reject_unknown_keys({"register_bit"});
  t.noc_register_bit = read_entry(noc.at("register_bit"), "bit");
  return t;
}

AreaTable load_area_table(const std::string& file) {
  return parse_area_table(spec::load_json_file(file, "area"), file);
}

AreaCounts count_area(const spec::ArchSpec& a) {
  AreaCounts c;
  c.pes = int64_t(a.rows) * a.cols;
  for (const spec::ModeSpec& m : a.modes) c.lanes[m.candidate] = c.pes * m.lanes;
  c.scratchpad_bytes = c.pes * sum_of(a.scratchpad);
  c.glb_bytes = a.glb.size_bytes;
  c.noc_register_bits = noc_register_bits(a);
  return c;
}

AreaBreakdown price_area(const AreaCounts& counts, const AreaTable& t) {
  constexpr double kMm2PerUm2 = 1e-6;
  AreaBreakdown b;
  double datapath = 0;
  for (const auto& [mode, lanes] : counts.lanes) {
    const auto it = t.lanes.find(mode);
    if (it == t.lanes.end())
      throw spec::SpecError(t.file, "area.pe.lanes." + pe::to_string(mode),
                            "the area table has no entry for this operator mode");
    datapath += double(lanes) * it->second.value_um2;
  }
  b.by_component_mm2 = {
      {"pe_datapath", datapath * kMm2PerUm2},
      {"pe_fixed", double(counts.pes) * t.pe_fixed.value_um2 * kMm2PerUm2},
      {"scratchpad", double(counts.scratchpad_bytes) * t.scratchpad_byte.value_um2 * kMm2PerUm2},
      {"glb", double(counts.glb_bytes) * t.glb_byte.value_um2 * kMm2PerUm2},
      {"noc", double(counts.noc_register_bits) * t.noc_register_bit.value_um2 * kMm2PerUm2}};
  for (const auto& [name, mm2] : b.by_component_mm2) b.total_mm2 += mm2;
  return b;
}

}  // namespace enos::energy
