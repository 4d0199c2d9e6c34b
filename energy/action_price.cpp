#include "energy/action_price.hpp"

#include <stdexcept>
#include <vector>

#include "spec/actions.hpp"
#include "spec/json_reader.hpp"

namespace enos::energy {

namespace {

std::vector<std::string> split_dots(const std::string& s) {
  std::vector<std::string> parts(1);
  for (char ch : s) {
    if (ch == '.')
      parts.emplace_back();
    else
      parts.back() += ch;
  }
  return parts;
}

[[noreturn]] void cannot_price(const EnergyTable& t, const std::string& path, const std::string& action,
                               const std::string& why) {
  throw spec::SpecError(t.file, path, "cannot price counted action '" + action + "': " + why);
}

bool is_tensor(const std::string& s) {
  for (const char* t : kAllTensors)
    if (s == t) return true;
  return false;
}

// The per-PE scratchpad that holds a tensor; only weights, inputs and partial sums have one.
int64_t scratchpad_bytes(const spec::ArchSpec& arch, const std::string& tensor) {
  if (tensor == "weight") return arch.scratchpad.weight_bytes;
  if (tensor == "input") return arch.scratchpad.input_bytes;
  if (tensor == "psum") return arch.scratchpad.psum_bytes;
  return -1;
}

ActionPrice bit_price(Level level, const std::string& tensor, double pj, std::string entry) {
  return {level, tensor, Per::Bit, pj, "pJ/bit", std::move(entry)};
}

ActionPrice price_sram(Level level, const std::string& verb, const std::string& tensor, int64_t bytes,
                       const EnergyTable& t) {
  const bool read = verb == "read";
  const double pj = read ? t.sram_read_pj_per_bit(bytes) : t.sram_write_pj_per_bit(bytes);
  std::string entry = t.sram_read.path + " at " + std::to_string(bytes) + " B";
  if (!read) entry += " × " + t.sram_write_to_read.path;
  return bit_price(level, tensor, pj, entry);
}

ActionPrice price_operator(const std::string& action, const std::string& text, const EnergyTable& t) {
  pe::Candidate c;
  try {
    c = pe::parse_candidate(text);
  } catch (const std::invalid_argument& e) {
    cannot_price(t, "energy.operators", action, std::string("not an operator candidate: ") + e.what());
  }
  const Entry* e = t.find_operator(c);
  if (!e) cannot_price(t, "energy.operators." + pe::to_string(c), action, "the table has no entry for this operator");
  return {Level::Datapath, "", Per::Op, e->value, "pJ/op", e->path};
}

// The post-processing unit's arithmetic sits with the datapath level (no tensor).
ActionPrice price_postproc(const std::string& action, const std::string& op, const EnergyTable& t) {
  if (!t.has_postproc) cannot_price(t, "energy.postproc", action, "the table has no postproc section");
  if (op != "multiply" && op != "add") cannot_price(t, "energy.postproc", action, "unknown op (multiply, add)");
  const Entry& e = op == "multiply" ? t.postproc_multiply : t.postproc_add;
  return {Level::Datapath, "", Per::Op, e.value, "pJ/op", e.path};
}

}  // namespace

std::string to_string(Level level) {
  switch (level) {
    case Level::Dram: return "dram";
    case Level::Glb: return "glb";
    case Level::Noc: return "noc";
    case Level::Spad: return "spad";
    case Level::Datapath: return "datapath";
    case Level::Leakage: return "leakage";
  }
  return "?";
}

ActionPrice price_action(const std::string& action, const spec::ArchSpec& arch, const EnergyTable& t) {
  const std::vector<std::string> p = split_dots(action);
  const std::string known = "the table prices dram|glb|spad.read|write.<tensor>, noc.hop.<tensor>, pe.op.<candidate>, pe.gated.<candidate> and ppu.op.multiply|add";
  if (p.size() != 3) cannot_price(t, "energy", action, known);
  const std::string &unit = p[0], &verb = p[1], &last = p[2];
  if (unit == spec::action::kPe && verb == "op") return price_operator(action, last, t);
  // A gated operation (pe.zero_gating) is clock-gated: no datapath energy. The zero detect is
  // below the table's resolution; the skipped scratchpad reads are simply not counted.
  if (unit == spec::action::kPe && verb == "gated") return {Level::Datapath, "", Per::Op, 0.0, "pJ/op", "gated: clock-gated, 0 pJ"};
  if (unit == spec::action::kPpu && verb == "op") return price_postproc(action, last, t);
  if (!is_tensor(last)) cannot_price(t, "energy", action, "unknown tensor '" + last + "' (weight, input, psum, output)");
  const bool access = verb == "read" || verb == "write";
  if (unit == spec::action::kDram && access)
    return bit_price(Level::Dram, last, verb == "read" ? t.dram_read.value : t.dram_write.value,
                     verb == "read" ? t.dram_read.path : t.dram_write.path);
  if (unit == spec::action::kGlb && access) return price_sram(Level::Glb, verb, last, arch.glb.size_bytes, t);
  if (unit == spec::action::kSpad && access) {
    const int64_t bytes = scratchpad_bytes(arch, last);
    if (bytes < 0) cannot_price(t, "energy", action, "PEs have no scratchpad for " + last);
    return price_sram(Level::Spad, verb, last, bytes, t);
  }
  if (unit == spec::action::kNoc && verb == "hop") return bit_price(Level::Noc, last, t.noc_hop.value, t.noc_hop.path);
  cannot_price(t, "energy", action, known);
}

double energy_per_action_pj(const std::string& action, const spec::ArchSpec& arch, const EnergyTable& table) {
  return price_action(action, arch, table).pj_per_unit;
}

LeakageRates leakage_rates(const spec::ArchSpec& arch, const EnergyTable& t) {
  // Entries are pJ per cycle at the reference clock; a slower clock means longer cycles and
  // proportionally more leakage energy in each.
  const double clock_scale = t.reference_clock_mhz / arch.clock_mhz;
  const double pes = double(arch.rows) * double(arch.cols);
  const double spad_kib =
      double(arch.scratchpad.weight_bytes + arch.scratchpad.input_bytes + arch.scratchpad.psum_bytes) / 1024.0;
  LeakageRates r;
  r.pe_pj_per_cycle = pes * t.leakage_pe.value * clock_scale;
  r.glb_pj_per_cycle = double(arch.glb.size_bytes) / 1024.0 * t.leakage_sram.value * clock_scale;
  r.spad_pj_per_cycle = pes * spad_kib * t.leakage_sram.value * clock_scale;
  return r;
}

}  // namespace enos::energy
