#include "energy/table.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "spec/json_reader.hpp"

namespace enos::energy {

using spec::JsonNode;

namespace {

constexpr double kMaxEnergy = 1e12;  // pJ per unit: far above anything physical, catches typos

// What an entry is priced per; its unit must be "<prefix>J/<denominator>" or "ratio".
enum class Denominator { Bit, Op, Cycle, CycleKiB, Ratio };

const char* denominator_text(Denominator d) {
  switch (d) {
    case Denominator::Bit: return "bit";
    case Denominator::Op: return "op";
    case Denominator::Cycle: return "cycle";
    case Denominator::CycleKiB: return "cycle/KiB";
    case Denominator::Ratio: return "";
  }
  return "";
}

// Accepting fJ and nJ as well as pJ lets a table keep a source's own magnitude (leakage is
// naturally fJ, DRAM nJ) without hand conversion, which is where unit mistakes creep in.
// Returns the factor to pJ and sets `canonical`.
double parse_unit(const JsonNode& n, Denominator d, std::string& canonical) {
  const std::string unit = n.as_string();
  if (d == Denominator::Ratio) {
    if (unit != "ratio") n.fail("must be \"ratio\" (a dimensionless factor), got \"" + unit + "\"");
    canonical = "ratio";
    return 1.0;
  }
  const std::string den = denominator_text(d);
  const std::pair<const char*, double> prefixes[] = {{"fJ/", 1e-3}, {"pJ/", 1.0}, {"nJ/", 1e3}};
  std::string allowed;
  for (const auto& [prefix, factor] : prefixes) {
    if (unit == prefix + den) {
      canonical = "pJ/" + den;
      return factor;
    }
    allowed += (allowed.empty() ? "" : ", ") + std::string(prefix) + den;
  }
  n.fail("unit must be one of " + allowed + ", got \"" + unit + "\"");
}

// An entry must say where its number comes from: a citation ("source") or how it follows
// from cited numbers and stated assumptions ("derivation"); both are allowed.
std::string parse_provenance(const JsonNode& n) {
  std::string text;
  for (const char* key : {"source", "derivation"}) {
    if (!n.has(key)) continue;
    std::string s = n.at(key).as_string();
    if (s.empty()) n.at(key).fail("must not be empty");
    text += (text.empty() ? "" : "; ") + s;
  }
  if (text.empty()) n.fail("needs a \"source\" or a \"derivation\" saying where the value comes from");
  return text;
}

Entry parse_entry(const JsonNode& n, Denominator d) {
  n.reject_unknown_keys({"value", "unit", "source", "derivation"});
  Entry e;
  e.path = n.path();
  const double factor = parse_unit(n.at("unit"), d, e.unit);
  const JsonNode value = n.at("value");
  e.value = value.as_number(0, kMaxEnergy) * factor;
  if (d == Denominator::Ratio && e.value <= 0) value.fail("must be > 0, got " + value.value().dump());
  e.source = parse_provenance(n);
  return e;
}

SramCurve parse_sram_curve(const JsonNode& n) {
  n.reject_unknown_keys({"unit", "points", "floor", "derivation"});
  SramCurve c;
  c.path = n.path();
  std::string unit;
  const double factor = parse_unit(n.at("unit"), Denominator::Bit, unit);
  c.derivation = n.at("derivation").as_string();
  const JsonNode points = n.at("points");
  if (points.size() < 2) points.fail("needs at least 2 points to interpolate, got " + std::to_string(points.size()));
  for (std::size_t i = 0; i < points.size(); ++i) {
    const JsonNode p = points.at(i);
    p.reject_unknown_keys({"capacity_bytes", "value", "source", "derivation"});
    SramPoint sp;
    sp.capacity_bytes = p.at("capacity_bytes").as_int(1, int64_t(1) << 50);
    if (!c.points.empty() && sp.capacity_bytes <= c.points.back().capacity_bytes)
      p.at("capacity_bytes").fail("capacities must increase from point to point");
    const JsonNode v = p.at("value");
    sp.pj_per_bit = v.as_number(0, kMaxEnergy) * factor;
    // The interpolation is in log energy, so a zero point has no logarithm.
    if (sp.pj_per_bit <= 0) v.fail("must be > 0, got " + v.value().dump());
    sp.source = parse_provenance(p);
    c.points.push_back(sp);
  }
  c.floor = parse_entry(n.at("floor"), Denominator::Bit);
  return c;
}

void parse_operators(const JsonNode& n, EnergyTable& t) {
  n.expect_object();
  for (const std::string& key : n.keys()) {
    const JsonNode op = n.at(key);
    pe::Candidate c;
    try {
      c = pe::parse_candidate(key);
    } catch (const std::invalid_argument& e) {
      op.fail(std::string("not an operator candidate: ") + e.what());
    }
    t.operators[c] = parse_entry(op, Denominator::Op);
  }
}

void parse_sections(const JsonNode& root, EnergyTable& t) {
  const JsonNode dram = root.at("dram");
  dram.reject_unknown_keys({"read", "write"});
  t.dram_read = parse_entry(dram.at("read"), Denominator::Bit);
  t.dram_write = parse_entry(dram.at("write"), Denominator::Bit);

  const JsonNode sram = root.at("sram");
  sram.reject_unknown_keys({"read", "write_to_read"});
  t.sram_read = parse_sram_curve(sram.at("read"));
  t.sram_write_to_read = parse_entry(sram.at("write_to_read"), Denominator::Ratio);

  const JsonNode noc = root.at("noc");
  noc.reject_unknown_keys({"hop"});
  t.noc_hop = parse_entry(noc.at("hop"), Denominator::Bit);

  parse_operators(root.at("operators"), t);

  const JsonNode leak = root.at("leakage");
  leak.reject_unknown_keys({"pe", "sram"});
  t.leakage_pe = parse_entry(leak.at("pe"), Denominator::Cycle);
  t.leakage_sram = parse_entry(leak.at("sram"), Denominator::CycleKiB);

  if (root.has("postproc")) {
    const JsonNode pp = root.at("postproc");
    pp.reject_unknown_keys({"multiply", "add"});
    t.has_postproc = true;
    t.postproc_multiply = parse_entry(pp.at("multiply"), Denominator::Op);
    t.postproc_add = parse_entry(pp.at("add"), Denominator::Op);
  }
}

void parse_header(const JsonNode& root, EnergyTable& t) {
  t.name = root.at("name").as_string();
  if (t.name.empty()) root.at("name").fail("must not be empty");
  t.description = root.get_string("description", std::string());
  t.technology_nm = int(root.at("technology_nm").as_int(1, 1000));
  t.supply_voltage_v = root.at("supply_voltage_v").as_number(0.1, 5.0);
  t.reference_clock_mhz = root.at("reference_clock_mhz").as_number(1e-3, 1e6);
  t.accumulator_bits = int(root.get_int("accumulator_bits", 1, 128, 32));
  if (root.has("references")) {
    const JsonNode refs = root.at("references");
    for (const std::string& key : refs.keys()) t.references[key] = refs.at(key).as_string();
  }
}

}  // namespace

double SramCurve::pj_per_bit(int64_t capacity_bytes) const {
  // Pick the segment that holds the capacity, or the nearest one outside the anchors.
  std::size_t i = 0;
  while (i + 2 < points.size() && capacity_bytes > points[i + 1].capacity_bytes) ++i;
  const SramPoint& a = points[i];
  const SramPoint& b = points[i + 1];
  if (capacity_bytes <= 0) return floor.value;
  const double exponent = std::log(b.pj_per_bit / a.pj_per_bit) /
                          std::log(double(b.capacity_bytes) / double(a.capacity_bytes));
  const double e = a.pj_per_bit * std::pow(double(capacity_bytes) / double(a.capacity_bytes), exponent);
  return std::max(e, floor.value);
}

const Entry* EnergyTable::find_operator(const pe::Candidate& c) const {
  auto it = operators.find(c);
  return it == operators.end() ? nullptr : &it->second;
}

EnergyTable parse_energy_table(const nlohmann::json& doc, const std::string& file) {
  const JsonNode root(doc, file, "energy");
  root.reject_unknown_keys({"name", "description", "technology_nm", "supply_voltage_v", "reference_clock_mhz",
                            "accumulator_bits", "references", "dram", "sram", "noc", "operators", "leakage",
                            "postproc"});
  EnergyTable t;
  t.file = file;
  t.hash = spec::json_hash(doc);
  parse_header(root, t);
  parse_sections(root, t);
  return t;
}

EnergyTable load_energy_table(const std::string& file) {
  return parse_energy_table(spec::load_json_file(file, "energy"), file);
}

}  // namespace enos::energy
