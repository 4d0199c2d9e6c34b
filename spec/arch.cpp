// Parsing and validation of the architecture description (docs/arch-format.md). Field reads
// check types and ranges; the check_* functions below check contradictions between fields,
// each reported at the path of the field a user would most likely change.
#include "spec/arch.hpp"

#include <algorithm>
#include <filesystem>

#include "spec/json_reader.hpp"

namespace enos::spec {

std::string to_string(Dataflow d) {
  switch (d) {
    case Dataflow::WeightStationary: return "weight_stationary";
    case Dataflow::OutputStationary: return "output_stationary";
    case Dataflow::InputStationary: return "input_stationary";
  }
  return "?";
}

std::string to_string(NocTopology t) {
  return t == NocTopology::Systolic ? "systolic" : "multicast_bus";
}

std::optional<Dataflow> parse_dataflow(std::string_view text) {
  if (text == "weight_stationary") return Dataflow::WeightStationary;
  if (text == "output_stationary") return Dataflow::OutputStationary;
  if (text == "input_stationary") return Dataflow::InputStationary;
  return std::nullopt;
}

const ModeSpec* ArchSpec::find_mode(const pe::Candidate& c) const {
  for (const ModeSpec& m : modes)
    if (m.candidate == c) return &m;
  return nullptr;
}

bool ArchSpec::supports(Dataflow d) const {
  return std::find(dataflows.begin(), dataflows.end(), d) != dataflows.end();
}

int ArchSpec::accumulator_bytes(const pe::Candidate& c) const {
  return accumulator_bits / 8 * (c.kind == pe::OpKind::Mf ? 2 : 1);
}

namespace {

constexpr int64_t kMaxScratchpadBytes = int64_t(1) << 24;  // 16 MiB per PE: far beyond real PEs

void read_pe_array(const JsonNode& node, ArchSpec& a) {
  node.reject_unknown_keys({"rows", "cols"});
  a.rows = int(node.get_int("rows", 1, 256));
  a.cols = int(node.get_int("cols", 1, 256));
}

void read_scratchpad(const JsonNode& node, ScratchpadSpec& s) {
  node.reject_unknown_keys({"weight_bytes", "input_bytes", "psum_bytes"});
  s.weight_bytes = node.get_int("weight_bytes", 1, kMaxScratchpadBytes);
  s.input_bytes = node.get_int("input_bytes", 1, kMaxScratchpadBytes);
  s.psum_bytes = node.get_int("psum_bytes", 1, kMaxScratchpadBytes);
}

ModeSpec read_mode(const JsonNode& node, const std::string& key) {
  ModeSpec m;
  try {
    m.candidate = pe::parse_candidate(key);
  } catch (const std::invalid_argument& e) {
    node.fail(std::string("bad operator candidate: ") + e.what());
  }
  // One spelling per operator keeps stats keys and LUT rows joinable by string.
  if (pe::to_string(m.candidate) != key)
    node.fail("write the operator as '" + pe::to_string(m.candidate) + "'");
  node.reject_unknown_keys({"lanes"});
  m.lanes = int(node.get_int("lanes", 1, 64));
  return m;
}

void read_modes(const JsonNode& node, ArchSpec& a) {
  node.expect_object();
  if (node.keys().empty()) node.fail("must list at least one operator mode");
  for (const std::string& key : node.keys()) {
    JsonNode mode = node.at(key);
    ModeSpec m = read_mode(mode, key);
    if (const ModeSpec* same = a.find_mode(m.candidate))
      mode.fail("duplicate mode: same operator as '" + pe::to_string(same->candidate) + "'");
    a.modes.push_back(m);
  }
  std::sort(a.modes.begin(), a.modes.end(),
            [](const ModeSpec& x, const ModeSpec& y) { return x.candidate < y.candidate; });
}

void read_pe(const JsonNode& node, ArchSpec& a) {
  node.reject_unknown_keys({"accumulator_bits", "zero_gating", "scratchpad", "modes"});
  if (node.has("zero_gating")) a.zero_gating = node.at("zero_gating").as_bool();
  if (node.has("accumulator_bits")) {
    JsonNode acc = node.at("accumulator_bits");
    a.accumulator_bits = int(acc.as_int(1, 128));
    // The integer semantics (pe/semantics.hpp) define wrap-around on 32 bits only.
    if (a.accumulator_bits != 32)
      acc.fail("only 32-bit accumulators are supported, got " + std::to_string(a.accumulator_bits));
  }
  read_scratchpad(node.at("scratchpad"), a.scratchpad);
  read_modes(node.at("modes"), a);
}

void read_dataflows(const JsonNode& node, ArchSpec& a) {
  if (node.size() == 0) node.fail("must list at least one dataflow");
  for (std::size_t i = 0; i < node.size(); ++i) {
    JsonNode item = node.at(i);
    Dataflow d = *parse_dataflow(item.as_enum({"weight_stationary", "output_stationary", "input_stationary"}));
    if (a.supports(d)) item.fail("duplicate dataflow '" + to_string(d) + "'");
    a.dataflows.push_back(d);
  }
}

void read_glb(const JsonNode& node, GlobalBufferSpec& g) {
  node.reject_unknown_keys({"size_kib", "banks", "bank_width_bits", "residency"});
  g.size_bytes = node.get_int("size_kib", 1, int64_t(1) << 22) * 1024;
  if (node.has("residency")) g.network_residency = node.at("residency").as_enum({"network", "none"}) == "network";
  g.banks = int(node.get_int("banks", 1, 1024));
  JsonNode width = node.at("bank_width_bits");
  g.bank_width_bits = int(width.as_int(8, 4096));
  if (g.bank_width_bits % 8 != 0)
    width.fail("must be a multiple of 8 (whole bytes), got " + std::to_string(g.bank_width_bits));
}

void read_dram(const JsonNode& node, DramSpec& d) {
  node.reject_unknown_keys({"bytes_per_cycle", "latency_cycles"});
  JsonNode bw = node.at("bytes_per_cycle");
  d.bytes_per_cycle = bw.as_number(0, 4096);
  if (d.bytes_per_cycle <= 0) bw.fail("must be > 0, got 0");
  d.latency_cycles = int(node.get_int("latency_cycles", 0, 1000000));
}

void read_noc(const JsonNode& node, NocSpec& n) {
  node.reject_unknown_keys({"topology", "link_width_bits", "fifo_depth"});
  n.topology = node.at("topology").as_enum({"systolic", "multicast_bus"}) == "systolic"
                   ? NocTopology::Systolic
                   : NocTopology::MulticastBus;
  n.link_width_bits = int(node.get_int("link_width_bits", 1, 4096));
  n.fifo_depth = int(node.get_int("fifo_depth", 1, 1024, 4));
}

// Relative paths in an arch file are relative to that file, so presets work from any cwd.
std::string resolve_beside(const std::string& file, const std::string& target) {
  std::filesystem::path p(target);
  if (p.is_absolute() || file.empty()) return p.lexically_normal().string();
  return (std::filesystem::path(file).parent_path() / p).lexically_normal().string();
}

int64_t bytes_for(int64_t count, int bits) { return (count * bits + 7) / 8; }

// Every supported mode must fit one operand of each tensor in the PE's scratchpads.
void check_operands_fit(const JsonNode& root, const ArchSpec& a) {
  JsonNode pad = root.at("pe").at("scratchpad");
  for (const ModeSpec& m : a.modes) {
    const std::string op = pe::to_string(m.candidate);
    const std::string lanes = std::to_string(m.lanes) + " lane" + (m.lanes == 1 ? "" : "s");
    int64_t w = bytes_for(m.lanes, m.candidate.weight_bits);
    if (a.scratchpad.weight_bytes < w)
      pad.at("weight_bytes").fail("too small for one weight operand of mode " + op + ": " + lanes + " × " +
                                  std::to_string(m.candidate.weight_bits) + "-bit weights need " +
                                  std::to_string(w) + " bytes, got " + std::to_string(a.scratchpad.weight_bytes));
    int64_t x = bytes_for(m.lanes, m.candidate.act_bits);
    if (a.scratchpad.input_bytes < x)
      pad.at("input_bytes").fail("too small for one input operand of mode " + op + ": " + lanes + " × " +
                                 std::to_string(m.candidate.act_bits) + "-bit activations need " +
                                 std::to_string(x) + " bytes, got " + std::to_string(a.scratchpad.input_bytes));
    int acc = a.accumulator_bytes(m.candidate);
    if (a.scratchpad.psum_bytes < acc)
      pad.at("psum_bytes").fail("too small for the accumulator of mode " + op + ": needs " + std::to_string(acc) +
                                " bytes" + (m.candidate.kind == pe::OpKind::Mf ? " (two 32-bit sums)" : "") +
                                ", got " + std::to_string(a.scratchpad.psum_bytes));
  }
}

// Weight- and input-stationary reduce across the array by passing partial sums PE to PE; a
// multicast bus only delivers operands from the global buffer and has no such links.
void check_dataflows_fit_noc(const JsonNode& root, const ArchSpec& a) {
  if (a.noc.topology != NocTopology::MulticastBus) return;
  for (std::size_t i = 0; i < a.dataflows.size(); ++i)
    if (a.dataflows[i] != Dataflow::OutputStationary)
      root.at("dataflows").at(i).fail(to_string(a.dataflows[i]) + " needs neighbour psum links; multicast_bus has none");
}

void check_noc(const JsonNode& root, const ArchSpec& a) {
  // A flit carries at least one whole partial-sum word; narrower links would split words.
  if (a.noc.link_width_bits < a.accumulator_bits)
    root.at("noc").at("link_width_bits")
        .fail("narrower than one flit element (a " + std::to_string(a.accumulator_bits) +
              "-bit partial sum): must be ≥ " + std::to_string(a.accumulator_bits) + ", got " +
              std::to_string(a.noc.link_width_bits));
}

void check_glb(const JsonNode& root, const ArchSpec& a) {
  JsonNode glb = root.at("global_buffer");
  int64_t word_bytes = a.glb.bank_width_bits / 8;
  int64_t row_bytes = word_bytes * a.glb.banks;  // one word in every bank
  if (a.glb.size_bytes < row_bytes)
    glb.at("size_kib").fail("holds fewer bits (" + std::to_string(a.glb.size_bytes * 8) +
                            ") than one word per bank (banks × bank_width_bits = " +
                            std::to_string(row_bytes * 8) + ")");
  if (a.glb.size_bytes % row_bytes != 0)
    glb.at("banks").fail("the " + std::to_string(a.glb.size_bytes) + " bytes do not split into " +
                         std::to_string(a.glb.banks) + " banks of whole " +
                         std::to_string(a.glb.bank_width_bits) + "-bit words");
}

}  // namespace

ArchSpec parse_arch(const nlohmann::json& doc, const std::string& file) {
  JsonNode root(doc, file, "arch");
  root.reject_unknown_keys({"name", "description", "clock_mhz", "technology_nm", "pe_array", "pe", "dataflows",
                            "global_buffer", "dram", "noc", "energy_table"});
  ArchSpec a;
  a.file = file;
  a.name = root.get_string("name");
  if (a.name.empty()) root.at("name").fail("must not be empty");
  a.description = root.get_string("description", "");
  a.clock_mhz = root.get_number("clock_mhz", 1, 100000);
  a.technology_nm = int(root.get_int("technology_nm", 1, 1000));
  read_pe_array(root.at("pe_array"), a);
  read_pe(root.at("pe"), a);
  read_dataflows(root.at("dataflows"), a);
  read_glb(root.at("global_buffer"), a.glb);
  read_dram(root.at("dram"), a.dram);
  read_noc(root.at("noc"), a.noc);
  if (root.has("energy_table")) {
    std::string table = root.at("energy_table").as_string();
    if (table.empty()) root.at("energy_table").fail("must not be empty (omit the key instead)");
    // A missing table file is not checked here: the energy model reports it when it loads it.
    a.energy_table = resolve_beside(file, table);
  }
  check_operands_fit(root, a);
  check_dataflows_fit_noc(root, a);
  check_noc(root, a);
  check_glb(root, a);
  a.hash = json_hash(doc);
  return a;
}

const ModeSpec& require_mode(const ArchSpec& a, const pe::Candidate& c) {
  if (const ModeSpec* m = a.find_mode(c)) return *m;
  std::string list;
  for (const ModeSpec& m : a.modes) list += (list.empty() ? "" : ", ") + pe::to_string(m.candidate);
  throw SpecError(a.file.empty() ? a.name : a.file, "arch.pe.modes",
                  "does not support " + pe::to_string(c) + " (supported: " + list + ")");
}

ArchSpec load_arch(const std::string& file) { return parse_arch(load_json_file(file, "arch"), file); }

nlohmann::json to_json(const ArchSpec& a) {
  nlohmann::json modes = nlohmann::json::object();
  for (const ModeSpec& m : a.modes) modes[pe::to_string(m.candidate)] = {{"lanes", m.lanes}};
  nlohmann::json dataflows = nlohmann::json::array();
  for (Dataflow d : a.dataflows) dataflows.push_back(to_string(d));
  nlohmann::json j = {
      {"name", a.name},
      {"clock_mhz", a.clock_mhz},
      {"technology_nm", a.technology_nm},
      {"pe_array", {{"rows", a.rows}, {"cols", a.cols}}},
      {"pe",
       {{"accumulator_bits", a.accumulator_bits},
        {"scratchpad",
         {{"weight_bytes", a.scratchpad.weight_bytes},
          {"input_bytes", a.scratchpad.input_bytes},
          {"psum_bytes", a.scratchpad.psum_bytes}}},
        {"modes", modes}}},
      {"dataflows", dataflows},
      {"global_buffer",
       {{"size_kib", a.glb.size_bytes / 1024}, {"banks", a.glb.banks}, {"bank_width_bits", a.glb.bank_width_bits}}},
      {"dram", {{"bytes_per_cycle", a.dram.bytes_per_cycle}, {"latency_cycles", a.dram.latency_cycles}}},
      {"noc",
       {{"topology", to_string(a.noc.topology)},
        {"link_width_bits", a.noc.link_width_bits},
        {"fifo_depth", a.noc.fifo_depth}}},
  };
  // Written only when off: the architecture's hash keys characterized LUTs, whose per-layer
  // counts do not depend on it (each layer is characterized on its own).
  if (!a.glb.network_residency) j["global_buffer"]["residency"] = "none";
  if (a.zero_gating) j["pe"]["zero_gating"] = true;  // only when on: the other presets' hashes stay
  if (!a.energy_table.empty()) j["energy_table"] = a.energy_table;
  if (!a.description.empty()) j["description"] = a.description;
  return j;
}

}  // namespace enos::spec
