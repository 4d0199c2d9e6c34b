#include "replay/export.hpp"

#include <cmath>
#include <fstream>
#include <limits>
#include <map>

#include "pe/semantics.hpp"
#include "spec/json_reader.hpp"

namespace enos::replay {
namespace {

using spec::JsonNode;
using spec::LayerType;
constexpr int64_t kI32Min = std::numeric_limits<int32_t>::min();
constexpr int64_t kI32Max = std::numeric_limits<int32_t>::max();

bool is_null(const JsonNode& n, const std::string& key) { return !n.has(key) || n.at(key).value().is_null(); }

// A file named inside the export (relative to its folder); an empty name would name none.
std::string file_name(const JsonNode& n, const std::string& key, const std::string& dflt) {
  const std::string name = n.get_string(key, dflt);
  if (name.empty()) n.at(key).fail("must name a file, got \"\"");
  return name;
}

pe::Candidate read_candidate(const JsonNode& n) {
  try {
    return pe::parse_candidate(n.as_string());
  } catch (const std::invalid_argument& e) {
    n.fail(e.what());
  }
}

std::string read_hash_pair(const JsonNode& n, const char* first, std::string& first_out) {
  n.reject_unknown_keys({first, "hash"});
  first_out = n.get_string(first);
  return n.get_string("hash");
}

void read_mapped_layers(const JsonNode& layers, Export& e) {
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const JsonNode l = layers.at(i);
    l.reject_unknown_keys({"name", "candidate", "energy_pj", "latency_cycles", "pinned"});
    MappedLayer m;
    m.name = l.get_string("name");
    m.candidate = read_candidate(l.at("candidate"));
    m.energy_pj = l.get_number("energy_pj", 0, 1e300);
    m.latency_cycles = l.get_int("latency_cycles", 0, std::numeric_limits<int64_t>::max());
    m.pinned = l.has("pinned") && l.at("pinned").as_bool();
    e.mapped.push_back(m);
  }
}

// The MAC layers of the workload and mapping.json's layers[] must be the same list.
void check_mapped_against_workload(const JsonNode& layers, const Export& e) {
  std::size_t m = 0;
  for (const spec::Layer& l : e.workload.layers) {
    if (!l.is_mac()) continue;
    if (m >= e.mapped.size()) layers.fail("lists " + std::to_string(e.mapped.size()) + " MAC layers; the workload has more (next: '" + l.name + "')");
    if (e.mapped[m].name != l.name)
      layers.at(m).at("name").fail("expected '" + l.name + "' (the workload's MAC layers in order), got '" + e.mapped[m].name + "'");
    ++m;
  }
  if (m != e.mapped.size()) layers.fail("lists " + std::to_string(e.mapped.size()) + " MAC layers; the workload has " + std::to_string(m));
}

void read_mapping(const std::string& file, Export& e) {
  const nlohmann::json doc = spec::load_json_file(file, "mapping");
  const JsonNode root(doc, file, "mapping");
  root.reject_unknown_keys({"format", "tool_version", "model", "dataset", "input", "seed", "mode", "pin_first_last",
                            "architecture", "lut", "energy_table", "budget_uj", "workload", "layers", "totals", "network"});
  if (root.at("format").as_string() != "enos-mapping/1") root.at("format").fail("expected \"enos-mapping/1\"");
  e.tool_version = root.get_string("tool_version", "");
  e.model = root.get_string("model", "");
  e.dataset = root.get_string("dataset", "");
  // The modes of enos search, and "uniform" for enos train and the test exports.
  if (root.has("mode")) e.mode = root.at("mode").as_enum({"single", "bilevel", "sequential", "stochastic", "uniform"});
  e.seed = uint64_t(root.get_int("seed", 0, std::numeric_limits<int64_t>::max(), 0));
  e.arch_hash = read_hash_pair(root.at("architecture"), "name", e.arch_name);
  const JsonNode lut = root.at("lut");
  e.lut_hash = read_hash_pair(lut, "file", e.lut_file);
  e.table_hash = read_hash_pair(root.at("energy_table"), "name", e.table_name);
  if (!is_null(root, "budget_uj")) e.budget_uj = root.get_number("budget_uj", 0, 1e300);
  e.workload = spec::parse_workload(root.at("workload").value(), file);
  const JsonNode input = root.at("input");
  if (input.size() != 3 || input.at(0).as_int(1, 65536) != e.workload.input.C ||
      input.at(1).as_int(1, 65536) != e.workload.input.H || input.at(2).as_int(1, 65536) != e.workload.input.W)
    input.fail("must equal the workload's input " + spec::to_string(e.workload.input));
  const JsonNode layers = root.at("layers");
  read_mapped_layers(layers, e);
  check_mapped_against_workload(layers, e);
  const JsonNode totals = root.at("totals");
  totals.reject_unknown_keys({"energy_pj", "latency_cycles", "accuracy", "test_images"});
  e.total_energy_pj = totals.get_number("energy_pj", 0, 1e300);
  e.total_latency_cycles = totals.get_int("latency_cycles", 0, std::numeric_limits<int64_t>::max());
  if (!is_null(totals, "accuracy")) e.export_accuracy = totals.get_number("accuracy", 0, 1);
  e.export_test_images = totals.get_int("test_images", 0, std::numeric_limits<int64_t>::max(), 0);
  e.network_file = resolve(e.dir, file_name(root, "network", "network.json"));
}

TensorFormat read_format(const JsonNode& n, int max_bits = 16) {
  TensorFormat f;
  f.scale = n.get_number("scale", 1e-30, 1e30);
  f.bits = int(n.get_int("bits", 1, max_bits));
  return f;
}

pe::RequantChannel read_requant(const JsonNode& n) {
  n.reject_unknown_keys({"multiplier", "aux_multiplier", "shift", "bias", "offset"});
  pe::RequantChannel ch;
  ch.multiplier = int32_t(n.get_int("multiplier", kI32Min + 1, kI32Max));
  ch.aux_multiplier = int32_t(n.get_int("aux_multiplier", kI32Min + 1, kI32Max, 0));
  ch.shift = int(n.get_int("shift", 0, 63));
  ch.bias = int32_t(n.get_int("bias", kI32Min, kI32Max, 0));
  const int64_t offset_limit = (int64_t(1) << 62) - 1;  // pe::RequantChannel::check()
  ch.offset = n.get_int("offset", -offset_limit, offset_limit, 0);
  return ch;
}

std::vector<double> read_numbers(const JsonNode& n, std::size_t count, double lo, double hi) {
  if (n.size() != count) n.fail("must have " + std::to_string(count) + " entries, got " + std::to_string(n.size()));
  std::vector<double> v;
  for (std::size_t i = 0; i < count; ++i) v.push_back(n.at(i).as_number(lo, hi));
  return v;
}

void read_mac_output(const JsonNode& out, const spec::Layer& wl, NetLayer& l) {
  const std::size_t K = std::size_t(wl.conv.K);
  if (out.has("logits")) {
    out.reject_unknown_keys({"logits", "bias"});
    if (!out.at("logits").as_bool()) out.at("logits").fail("must be true when present");
    l.logits = true;
    l.logit_bias = read_numbers(out.at("bias"), K, -1e30, 1e30);
    return;
  }
  out.reject_unknown_keys({"scale", "bits", "requant"});
  l.output = read_format(out);
  const JsonNode rq = out.at("requant");
  if (rq.size() != K) rq.fail("must have one channel per output channel (" + std::to_string(K) + "), got " + std::to_string(rq.size()));
  for (std::size_t k = 0; k < K; ++k) l.requant.push_back(read_requant(rq.at(k)));
}

struct WeightSlice {
  int64_t offset = 0, count = 0;
};

WeightSlice read_mac(const JsonNode& n, const spec::Layer& wl, NetLayer& l) {
  n.reject_unknown_keys({"name", "type", "candidate", "act_scale", "act_bits", "input_rescale", "weights",
                         "weight_scale", "output"});
  l.candidate = read_candidate(n.at("candidate"));
  l.act_scale = n.get_number("act_scale", 1e-30, 1e30);
  l.act_bits = int(n.get_int("act_bits", 1, 16));
  if (l.act_bits != l.candidate.act_bits)
    n.at("act_bits").fail("must equal the candidate's activation bits (" + std::to_string(l.candidate.act_bits) + ")");
  if (!is_null(n, "input_rescale")) {
    const JsonNode r = n.at("input_rescale");
    r.reject_unknown_keys({"multiplier", "shift"});
    pe::RequantChannel ch;
    ch.multiplier = int32_t(r.get_int("multiplier", kI32Min + 1, kI32Max));
    ch.shift = int(r.get_int("shift", 0, 63));
    l.input_rescale = ch;
  }
  const JsonNode w = n.at("weights");
  w.reject_unknown_keys({"offset", "count"});
  WeightSlice s{w.get_int("offset", 0, std::numeric_limits<int64_t>::max()), w.get_int("count", 0, std::numeric_limits<int64_t>::max())};
  if (s.count != wl.conv.weight_count())
    w.at("count").fail("must be the layer's weight count K·(C/groups)·R·S = " + std::to_string(wl.conv.weight_count()));
  l.weight_scale = read_numbers(n.at("weight_scale"), std::size_t(wl.conv.K), 1e-30, 1e30);
  read_mac_output(n.at("output"), wl, l);
  return s;
}

void read_combine(const JsonNode& n, const spec::Layer& wl, NetLayer& l) {
  n.reject_unknown_keys({"name", "type", "output", "input_multipliers", "shift"});
  const JsonNode out = n.at("output");
  out.reject_unknown_keys({"scale", "bits"});
  l.output = read_format(out);
  const JsonNode m = n.at("input_multipliers");
  if (m.size() != wl.inputs.size())
    m.fail("must have one multiplier per input (" + std::to_string(wl.inputs.size()) + "), got " + std::to_string(m.size()));
  for (std::size_t i = 0; i < m.size(); ++i) l.combine.multipliers.push_back(int32_t(m.at(i).as_int(kI32Min + 1, kI32Max)));
  l.combine.shift = int(n.get_int("shift", 0, 62));
}

// Pools, shuffles, splits, ReLU: nothing to read, except that a network may end in a global
// average pool that gives the logits (SqueezeNet: conv → ReLU → global average → classes).
void read_other(const JsonNode& n, const spec::Layer& wl, NetLayer& l, bool last) {
  n.reject_unknown_keys({"name", "type", "output"});
  if (!n.has("output")) return;
  if (!last || wl.type != LayerType::GlobalAvgPool)
    n.at("output").fail("only the network's last layer, a global_avgpool, may have an output (its logits)");
  const JsonNode out = n.at("output");
  out.reject_unknown_keys({"logits"});
  if (!out.at("logits").as_bool()) out.at("logits").fail("must be true when present");
  l.logits = true;
}

void read_weights(const std::string& file, const std::vector<WeightSlice>& slices, Export& e,
                  const JsonNode& layers) {
  std::ifstream f(file, std::ios::binary | std::ios::ate);
  if (!f) throw spec::SpecError(file, "(file)", "cannot open the weights (network.json names it)");
  const int64_t bytes = int64_t(f.tellg());
  if (bytes % 4) throw spec::SpecError(file, "(file)", "size " + std::to_string(bytes) + " bytes is not a whole number of int32 codes");
  for (std::size_t i = 0; i < e.layers.size(); ++i) {
    NetLayer& l = e.layers[i];
    const WeightSlice s = slices[i];
    if (!e.workload.layers[i].is_mac()) continue;
    // Compared as counts, never as offset + count: an offset near 2^62 would wrap the sum.
    const int64_t codes = bytes / 4;
    if (s.offset > codes || s.count > codes - s.offset)
      layers.at(i).at("weights").fail("slice [" + std::to_string(s.offset) + ", +" + std::to_string(s.count) +
                                      ") runs past the end of " + file + " (" + std::to_string(codes) + " codes)");
    std::vector<unsigned char> raw(std::size_t(s.count) * 4);
    f.seekg(std::streamoff(s.offset) * 4);
    f.read(reinterpret_cast<char*>(raw.data()), std::streamsize(raw.size()));
    if (!f) throw spec::SpecError(file, "(file)", "read failed");
    l.weight_codes.resize(std::size_t(s.count));
    const pe::CodeRange range = pe::weight_code_range(l.candidate);
    for (std::size_t j = 0; j < l.weight_codes.size(); ++j) {
      const uint32_t u = uint32_t(raw[4 * j]) | uint32_t(raw[4 * j + 1]) << 8 | uint32_t(raw[4 * j + 2]) << 16 |
                         uint32_t(raw[4 * j + 3]) << 24;
      const int32_t code = int32_t(u);
      if (code < range.lo || code > range.hi)
        layers.at(i).at("weights").fail("code " + std::to_string(j) + " is " + std::to_string(code) + ", outside " +
                                        pe::to_string(l.candidate) + "'s range [" + std::to_string(range.lo) + ", " +
                                        std::to_string(range.hi) + "]");
      l.weight_codes[j] = code;
    }
  }
}

// mapping.json's choice and network.json's layer must be the same operator.
void check_candidates(const Export& e, const JsonNode& layers) {
  std::size_t m = 0;
  for (std::size_t i = 0; i < e.layers.size(); ++i) {
    if (!e.workload.layers[i].is_mac()) continue;
    const MappedLayer& mapped = e.mapped[m++];
    if (mapped.candidate != e.layers[i].candidate)
      layers.at(i).at("candidate").fail(pe::to_string(e.layers[i].candidate) + " differs from mapping.json's " +
                                        pe::to_string(mapped.candidate) + " for '" + mapped.name + "'");
  }
  if (e.input.bits != 8)
    throw spec::SpecError(e.network_file, "network.input.bits", "must be 8: the images are bytes");
}

void read_network(Export& e) {
  const std::string& file = e.network_file;
  const nlohmann::json doc = spec::load_json_file(file, "network");
  const JsonNode root(doc, file, "network");
  root.reject_unknown_keys({"format", "input", "weights", "layers"});
  if (root.at("format").as_string() != "enos-qnet/1") root.at("format").fail("expected \"enos-qnet/1\"");
  const JsonNode in = root.at("input");
  in.reject_unknown_keys({"scale", "bits"});
  e.input = read_format(in);
  e.weights_file = resolve(e.dir, file_name(root, "weights", "weights.bin"));
  const JsonNode layers = root.at("layers");
  if (layers.size() != e.workload.layers.size())
    layers.fail("must have one entry per workload layer (" + std::to_string(e.workload.layers.size()) + "), got " +
                std::to_string(layers.size()));
  std::vector<WeightSlice> slices(layers.size());
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const JsonNode n = layers.at(i);
    const spec::Layer& wl = e.workload.layers[i];
    NetLayer l;
    l.name = n.get_string("name");
    l.type = wl.type;
    if (l.name != wl.name) n.at("name").fail("expected '" + wl.name + "' (the workload's layer " + std::to_string(i) + ")");
    if (n.get_string("type") != spec::to_string(wl.type))
      n.at("type").fail("expected '" + spec::to_string(wl.type) + "' (the workload's type of '" + wl.name + "')");
    if (wl.is_mac())
      slices[i] = read_mac(n, wl, l);
    else if (wl.type == LayerType::Add || wl.type == LayerType::Concat)
      read_combine(n, wl, l);
    else
      read_other(n, wl, l, i + 1 == layers.size());
    e.layers.push_back(std::move(l));
  }
  read_weights(e.weights_file, slices, e, layers);
  check_candidates(e, layers);
}

void read_reference(Export& e) {
  e.reference_file = resolve(e.dir, "reference.json");
  if (!std::ifstream(e.reference_file)) return;  // optional: predictions are then compared with labels only
  const nlohmann::json doc = spec::load_json_file(e.reference_file, "reference");
  const JsonNode root(doc, e.reference_file, "reference");
  root.reject_unknown_keys({"dataset", "split", "images"});
  const JsonNode images = root.at("images");
  // Labels and predictions are classes of the network's output; an image listed twice would
  // silently leave another one uncompared.
  const int classes = e.workload.layers.back().out.C;
  std::map<int64_t, std::size_t> first_at;
  for (std::size_t i = 0; i < images.size(); ++i) {
    const JsonNode n = images.at(i);
    n.reject_unknown_keys({"index", "label", "fake_quant_prediction"});
    ReferenceImage r;
    r.index = n.get_int("index", 0, std::numeric_limits<int64_t>::max());
    r.label = int(n.get_int("label", 0, classes - 1));
    r.fake_quant_prediction = int(n.get_int("fake_quant_prediction", 0, classes - 1));
    const auto [it, fresh] = first_at.emplace(r.index, i);
    if (!fresh)
      n.at("index").fail("image " + std::to_string(r.index) + " is listed twice (first at reference.images[" +
                         std::to_string(it->second) + "])");
    e.reference.push_back(r);
  }
}

}  // namespace

std::string check_lut(const Export& e, const std::string& arch_hash, const std::string& arch_file) {
  if (e.lut_file.empty()) return "";
  std::string file, mismatch;
  nlohmann::json doc;
  for (const std::string& candidate : {e.lut_file, resolve(e.dir, e.lut_file)}) {
    if (!std::ifstream(candidate)) continue;
    doc = spec::load_json_file(candidate, "lut");
    if (spec::json_hash(doc) == e.lut_hash) {
      file = candidate;
      break;
    }
    mismatch = candidate + " has hash " + spec::json_hash(doc);
  }
  if (file.empty() && mismatch.empty()) return "";
  if (file.empty())
    throw spec::SpecError(e.mapping_file, "mapping.lut.hash",
                          "is " + e.lut_hash + " but the LUT " + mismatch +
                              ": it changed since the search read it (characterize and search again)");
  const std::string lut_arch = doc.value("architecture", nlohmann::json::object()).value("hash", std::string());
  if (lut_arch != arch_hash)
    throw spec::SpecError(arch_file, "arch",
                          "the LUT " + file + " of this export was characterized on an architecture with hash " + lut_arch +
                              ", not this one (" + arch_hash + ")");
  return file;
}

std::string resolve(const std::string& dir, const std::string& name) {
  if (name.empty() || name[0] == '/' || dir.empty()) return name;
  return dir + "/" + name;
}

Export load_export(const std::string& mapping_file) {
  Export e;
  e.mapping_file = mapping_file;
  const auto slash = mapping_file.rfind('/');
  e.dir = slash == std::string::npos ? "." : mapping_file.substr(0, slash);
  read_mapping(mapping_file, e);
  read_network(e);
  read_reference(e);
  return e;
}

}  // namespace enos::replay
