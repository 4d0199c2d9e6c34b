#include "energy/lut.hpp"

#include "spec/json_reader.hpp"

namespace enos::energy {
namespace {

constexpr const char* kFormat = "enos-lut/1";
const char* const kLevels[] = {"dram", "glb", "noc", "spad", "datapath", "leakage"};
const char* const kStalls[] = {"dram_bandwidth", "glb_ports", "noc", "fill_drain"};

nlohmann::json shape_json(const pe::ConvShape& s) {
  return {{"C", s.C}, {"K", s.K}, {"H", s.H}, {"W", s.W}, {"R", s.R}, {"S", s.S},
          {"stride", s.stride}, {"pad", s.pad}, {"groups", s.groups}};
}

pe::ConvShape parse_shape(const spec::JsonNode& n) {
  n.reject_unknown_keys({"C", "K", "H", "W", "R", "S", "stride", "pad", "groups"});
  pe::ConvShape s;
  s.C = int(n.get_int("C", 1, 1 << 20));
  s.K = int(n.get_int("K", 1, 1 << 20));
  s.H = int(n.get_int("H", 1, 1 << 20));
  s.W = int(n.get_int("W", 1, 1 << 20));
  s.R = int(n.get_int("R", 1, 1 << 10));
  s.S = int(n.get_int("S", 1, 1 << 10));
  s.stride = int(n.get_int("stride", 1, 1 << 10));
  s.pad = int(n.get_int("pad", 0, 1 << 10));
  s.groups = int(n.get_int("groups", 1, 1 << 20));
  const std::string why = s.check();
  if (!why.empty()) n.fail(why);
  return s;
}

LutSource parse_source(const spec::JsonNode& n) {
  n.reject_unknown_keys({"name", "file", "hash"});
  return {n.get_string("name"), n.get_string("file", std::string()), n.get_string("hash")};
}

nlohmann::json source_json(const LutSource& s) {
  return {{"name", s.name}, {"file", s.file}, {"hash", s.hash}};
}

nlohmann::json residency_json(const LutResidency& r) {
  return {{"inputs", r.inputs}, {"outputs", r.outputs}, {"weights", r.weights}, {"reserved_bytes", r.reserved_bytes}};
}

}  // namespace

nlohmann::json LutEntry::to_json() const {
  return {{"candidate", candidate},
          {"energy_pj", energy_pj},
          {"energy_by_level_pj", energy_by_level_pj},
          {"cycles", cycles},
          {"busy_cycles", busy_cycles},
          {"stall_cycles", stall_cycles},
          {"latency_us", latency_us},
          {"utilization", utilization},
          {"macs", macs},
          {"mapping", mapping},
          {"residency", residency_json(residency)},
          {"input_zero_frac", input_zero_frac}};
}

LutEntry LutEntry::from_json(const nlohmann::json& j, const std::string& file, const std::string& path) {
  const spec::JsonNode n(j, file, path);
  n.reject_unknown_keys({"candidate", "energy_pj", "energy_by_level_pj", "cycles", "busy_cycles",
                         "stall_cycles", "latency_us", "utilization", "macs", "mapping", "residency",
                         "input_zero_frac"});
  LutEntry e;
  e.candidate = n.get_string("candidate");
  e.energy_pj = n.get_number("energy_pj", 0, 1e30);
  for (const char* level : kLevels)
    e.energy_by_level_pj[level] = n.at("energy_by_level_pj").get_number(level, 0, 1e30);
  e.cycles = n.get_int("cycles", 0, INT64_MAX);
  e.busy_cycles = n.get_int("busy_cycles", 0, INT64_MAX);
  for (const char* stall : kStalls) e.stall_cycles[stall] = n.at("stall_cycles").get_int(stall, 0, INT64_MAX);
  e.latency_us = n.get_number("latency_us", 0, 1e30);
  e.utilization = n.get_number("utilization", 0, 1);
  e.macs = n.get_int("macs", 0, INT64_MAX);
  e.mapping = n.at("mapping").value();
  if (n.has("residency")) {
    const spec::JsonNode r = n.at("residency");
    r.reject_unknown_keys({"inputs", "outputs", "weights", "reserved_bytes"});
    e.residency.inputs = r.at("inputs").as_bool();
    e.residency.outputs = r.at("outputs").as_bool();
    e.residency.weights = r.at("weights").as_bool();
    e.residency.reserved_bytes = r.get_int("reserved_bytes", 0, INT64_MAX);
  }
  if (n.has("input_zero_frac")) e.input_zero_frac = n.get_number("input_zero_frac", 0, 1);
  return e;
}

const LutEntry* Lut::find(const std::string& layer, const std::string& candidate) const {
  for (const LutLayer& l : layers) {
    if (l.name != layer) continue;
    for (const LutEntry& e : l.entries)
      if (e.candidate == candidate) return &e;
  }
  return nullptr;
}

double Lut::total_energy_pj(const std::string& candidate) const {
  double total = 0;
  for (const LutLayer& l : layers)
    for (const LutEntry& e : l.entries)
      if (e.candidate == candidate) total += e.energy_pj;
  return total;
}

nlohmann::json to_json(const Lut& lut) {
  nlohmann::json layers = nlohmann::json::array();
  for (const LutLayer& l : lut.layers) {
    nlohmann::json entries = nlohmann::json::array();
    for (const LutEntry& e : l.entries) entries.push_back(e.to_json());
    layers.push_back({{"name", l.name}, {"shape", shape_json(l.shape)}, {"entries", entries}});
  }
  return {{"format", kFormat},
          {"tool_version", lut.tool_version},
          {"architecture", source_json(lut.architecture)},
          {"energy_table", source_json(lut.energy_table)},
          {"workload", source_json(lut.workload)},
          {"clock_mhz", lut.clock_mhz},
          {"technology_nm", lut.technology_nm},
          {"candidates", lut.candidates},
          {"layers", layers}};
}

Lut parse_lut(const nlohmann::json& doc, const std::string& file) {
  const spec::JsonNode root(doc, file, "lut");
  root.reject_unknown_keys({"format", "tool_version", "architecture", "energy_table", "workload",
                            "clock_mhz", "technology_nm", "candidates", "layers"});
  if (root.get_string("format") != kFormat)
    root.at("format").fail(std::string("expected \"") + kFormat + "\"");
  Lut lut;
  lut.tool_version = root.get_string("tool_version");
  lut.architecture = parse_source(root.at("architecture"));
  lut.energy_table = parse_source(root.at("energy_table"));
  lut.workload = parse_source(root.at("workload"));
  lut.clock_mhz = root.get_number("clock_mhz", 1e-3, 1e6);
  lut.technology_nm = int(root.get_int("technology_nm", 1, 1000));
  const spec::JsonNode cands = root.at("candidates");
  for (std::size_t i = 0; i < cands.size(); ++i) lut.candidates.push_back(cands.at(i).as_string());
  const spec::JsonNode layers = root.at("layers");
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const spec::JsonNode l = layers.at(i);
    l.reject_unknown_keys({"name", "shape", "entries"});
    LutLayer layer{l.get_string("name"), parse_shape(l.at("shape")), {}};
    const spec::JsonNode entries = l.at("entries");
    for (std::size_t k = 0; k < entries.size(); ++k)
      layer.entries.push_back(LutEntry::from_json(entries.at(k).value(), file, entries.at(k).path()));
    lut.layers.push_back(std::move(layer));
  }
  return lut;
}

Lut load_lut(const std::string& file) { return parse_lut(spec::load_json_file(file), file); }

void write_lut_csv(const Lut& lut, std::ostream& out) {
  out << "layer,candidate,C,K,H,W,R,S,stride,pad,groups,macs,energy_pj";
  for (const char* level : kLevels) out << "," << level << "_pj";
  out << ",cycles,latency_us,utilization,busy_cycles";
  for (const char* stall : kStalls) out << ",stall_" << stall << "_cycles";
  out << "\n";
  for (const LutLayer& l : lut.layers)
    for (const LutEntry& e : l.entries) {
      const pe::ConvShape& s = l.shape;
      out << l.name << "," << e.candidate << "," << s.C << "," << s.K << "," << s.H << "," << s.W
          << "," << s.R << "," << s.S << "," << s.stride << "," << s.pad << "," << s.groups << ","
          << e.macs << "," << e.energy_pj;
      for (const char* level : kLevels) out << "," << e.energy_by_level_pj.at(level);
      out << "," << e.cycles << "," << e.latency_us << "," << e.utilization << "," << e.busy_cycles;
      for (const char* stall : kStalls) out << "," << e.stall_cycles.at(stall);
      out << "\n";
    }
}

}  // namespace enos::energy
