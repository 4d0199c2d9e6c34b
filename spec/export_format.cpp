#include "spec/export_format.hpp"

#include <fstream>
#include <limits>
#include <map>

#include "pe/semantics.hpp"
#include "spec/json_reader.hpp"

// Every key of the export's JSON files is written and read here, and nowhere else.
namespace enos::spec {
namespace {

using nlohmann::json;
constexpr const char* kMappingFormat = "enos-mapping/1";
constexpr const char* kNetworkFormat = "enos-qnet/1";
constexpr int64_t kI32Min = std::numeric_limits<int32_t>::min();
constexpr int64_t kI32Max = std::numeric_limits<int32_t>::max();
constexpr int64_t kI64Max = std::numeric_limits<int64_t>::max();

bool is_mac(LayerType t) { return t == LayerType::Conv || t == LayerType::FullyConnected; }
bool is_combine(LayerType t) { return t == LayerType::Add || t == LayerType::Concat; }

// ---- writing ----

json optional_json(const std::optional<std::string>& v) { return v ? json(*v) : json(nullptr); }
json optional_json(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

json format_json(const TensorFormat& f) {
  json j = {{"scale", f.scale}, {"bits", f.bits}};
  if (f.is_signed) j["signed"] = true;  // unsigned tensors keep the format's original bytes
  return j;
}

// `bias` only when set: the search folds its bias into `offset` and writes none (the reader's
// default is 0, docs/export-format.md).
json requant_json(const pe::RequantChannel& ch) {
  json j = {{"multiplier", ch.multiplier}, {"aux_multiplier", ch.aux_multiplier}, {"shift", ch.shift}, {"offset", ch.offset}};
  if (ch.bias != 0) j["bias"] = ch.bias;
  return j;
}

json mac_layer_json(const NetLayer& l) {
  json j = {{"name", l.name}, {"type", to_string(l.type)}, {"candidate", pe::to_string(l.candidate)},
            {"act_scale", l.act_scale}, {"act_bits", l.act_bits}, {"input_rescale", nullptr},
            {"weights", {{"offset", l.weights.offset}, {"count", l.weights.count}}}, {"weight_scale", l.weight_scale}};
  if (l.input_rescale) j["input_rescale"] = {{"multiplier", l.input_rescale->multiplier}, {"shift", l.input_rescale->shift}};
  if (l.logits) {
    j["output"] = {{"logits", true}, {"bias", l.logit_bias}};
    return j;
  }
  json channels = json::array();
  for (const pe::RequantChannel& ch : l.requant) channels.push_back(requant_json(ch));
  j["output"] = format_json(l.output);
  j["output"]["requant"] = channels;
  return j;
}

json layer_json(const NetLayer& l) {
  if (is_mac(l.type)) return mac_layer_json(l);
  json j = {{"name", l.name}, {"type", to_string(l.type)}};
  if (is_combine(l.type)) {
    j["output"] = format_json(l.output);
    j["input_multipliers"] = l.combine.multipliers;
    j["shift"] = l.combine.shift;
  } else if (l.logits) {
    j["output"] = {{"logits", true}};
  }
  return j;
}

// ---- reading ----

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

void read_mapped_layers(const JsonNode& layers, ExportMapping& m) {
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const JsonNode l = layers.at(i);
    l.reject_unknown_keys({"name", "candidate", "energy_pj", "latency_cycles", "pinned"});
    MappedLayer ml;
    ml.name = l.get_string("name");
    ml.candidate = read_candidate(l.at("candidate"));
    ml.energy_pj = l.get_number("energy_pj", 0, 1e300);
    ml.latency_cycles = l.get_int("latency_cycles", 0, kI64Max);
    ml.pinned = l.has("pinned") && l.at("pinned").as_bool();
    m.mapped.push_back(ml);
  }
}

// The MAC layers of the workload and mapping.json's layers[] must be the same list.
void check_mapped_against_workload(const JsonNode& layers, const ExportMapping& e) {
  std::size_t m = 0;
  for (const Layer& l : e.workload.layers) {
    if (!l.is_mac()) continue;
    if (m >= e.mapped.size()) layers.fail("lists " + std::to_string(e.mapped.size()) + " MAC layers; the workload has more (next: '" + l.name + "')");
    if (e.mapped[m].name != l.name)
      layers.at(m).at("name").fail("expected '" + l.name + "' (the workload's MAC layers in order), got '" + e.mapped[m].name + "'");
    ++m;
  }
  if (m != e.mapped.size()) layers.fail("lists " + std::to_string(e.mapped.size()) + " MAC layers; the workload has " + std::to_string(m));
}

void read_totals(const JsonNode& totals, ExportMapping& m) {
  totals.reject_unknown_keys({"energy_pj", "latency_cycles", "accuracy", "test_images"});
  m.total_energy_pj = totals.get_number("energy_pj", 0, 1e300);
  m.total_latency_cycles = totals.get_int("latency_cycles", 0, kI64Max);
  if (!is_null(totals, "accuracy")) m.export_accuracy = totals.get_number("accuracy", 0, 1);
  m.export_test_images = totals.get_int("test_images", 0, kI64Max, 0);
}

TensorFormat read_format(const JsonNode& n, int max_bits = 16) {
  TensorFormat f;
  f.scale = n.get_number("scale", 1e-30, 1e30);
  f.bits = int(n.get_int("bits", 1, max_bits));
  if (n.has("signed")) {
    f.is_signed = n.at("signed").as_bool();
    if (f.is_signed && f.bits < 2) n.at("bits").fail("must be at least 2 for a signed tensor");
  }
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

void read_mac_output(const JsonNode& out, const Layer& wl, NetLayer& l) {
  const std::size_t K = std::size_t(wl.conv.K);
  if (out.has("logits")) {
    out.reject_unknown_keys({"logits", "bias"});
    if (!out.at("logits").as_bool()) out.at("logits").fail("must be true when present");
    l.logits = true;
    l.logit_bias = read_numbers(out.at("bias"), K, -1e30, 1e30);
    return;
  }
  out.reject_unknown_keys({"scale", "bits", "signed", "requant"});
  l.output = read_format(out);
  const JsonNode rq = out.at("requant");
  if (rq.size() != K) rq.fail("must have one channel per output channel (" + std::to_string(K) + "), got " + std::to_string(rq.size()));
  for (std::size_t k = 0; k < K; ++k) l.requant.push_back(read_requant(rq.at(k)));
}

void read_mac(const JsonNode& n, const Layer& wl, NetLayer& l) {
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
  l.weights = {w.get_int("offset", 0, kI64Max), w.get_int("count", 0, kI64Max)};
  if (l.weights.count != wl.conv.weight_count())
    w.at("count").fail("must be the layer's weight count K·(C/groups)·R·S = " + std::to_string(wl.conv.weight_count()));
  l.weight_scale = read_numbers(n.at("weight_scale"), std::size_t(wl.conv.K), 1e-30, 1e30);
  read_mac_output(n.at("output"), wl, l);
}

void read_combine(const JsonNode& n, const Layer& wl, NetLayer& l) {
  n.reject_unknown_keys({"name", "type", "output", "input_multipliers", "shift"});
  const JsonNode out = n.at("output");
  out.reject_unknown_keys({"scale", "bits", "signed"});
  l.output = read_format(out);
  const JsonNode m = n.at("input_multipliers");
  if (m.size() != wl.inputs.size())
    m.fail("must have one multiplier per input (" + std::to_string(wl.inputs.size()) + "), got " + std::to_string(m.size()));
  for (std::size_t i = 0; i < m.size(); ++i) l.combine.multipliers.push_back(int32_t(m.at(i).as_int(kI32Min + 1, kI32Max)));
  l.combine.shift = int(n.get_int("shift", 0, 62));
}

// Pools, shuffles, splits, ReLU: nothing to read, except that a network may end in a global
// average pool that gives the logits (SqueezeNet: conv → ReLU → global average → classes).
void read_other(const JsonNode& n, const Layer& wl, NetLayer& l, bool last) {
  n.reject_unknown_keys({"name", "type", "output"});
  if (!n.has("output")) return;
  if (!last || wl.type != LayerType::GlobalAvgPool)
    n.at("output").fail("only the network's last layer, a global_avgpool, may have an output (its logits)");
  const JsonNode out = n.at("output");
  out.reject_unknown_keys({"logits"});
  if (!out.at("logits").as_bool()) out.at("logits").fail("must be true when present");
  l.logits = true;
}

NetLayer read_net_layer(const JsonNode& n, const Layer& wl, std::size_t i, bool last) {
  NetLayer l;
  l.name = n.get_string("name");
  l.type = wl.type;
  if (l.name != wl.name) n.at("name").fail("expected '" + wl.name + "' (the workload's layer " + std::to_string(i) + ")");
  if (n.get_string("type") != to_string(wl.type))
    n.at("type").fail("expected '" + to_string(wl.type) + "' (the workload's type of '" + wl.name + "')");
  if (wl.is_mac())
    read_mac(n, wl, l);
  else if (is_combine(wl.type))
    read_combine(n, wl, l);
  else
    read_other(n, wl, l, last);
  return l;
}

JsonNode network_layers(const json& network_doc, const std::string& file) {
  return JsonNode(network_doc, file, "network").at("layers");
}

// Codes are little-endian int32 in weights.bin.
int32_t code_at(const std::vector<unsigned char>& raw, std::size_t j) {
  return int32_t(uint32_t(raw[4 * j]) | uint32_t(raw[4 * j + 1]) << 8 | uint32_t(raw[4 * j + 2]) << 16 |
                 uint32_t(raw[4 * j + 3]) << 24);
}

}  // namespace

json to_json(const ExportMapping& m) {
  json layers = json::array();
  for (const MappedLayer& l : m.mapped)
    layers.push_back({{"name", l.name}, {"candidate", pe::to_string(l.candidate)}, {"energy_pj", l.energy_pj},
                      {"latency_cycles", l.latency_cycles}, {"pinned", l.pinned}});
  const FeatureShape& in = m.workload.input;
  return {{"format", kMappingFormat},
          {"tool_version", m.tool_version},
          {"model", m.model},
          {"dataset", m.dataset},
          {"input", {in.C, in.H, in.W}},
          {"seed", m.seed},
          {"mode", m.mode},
          {"pin_first_last", optional_json(m.pin_first_last)},
          {"architecture", {{"name", m.arch_name}, {"hash", m.arch_hash}}},
          {"lut", {{"file", m.lut_file}, {"hash", m.lut_hash}}},
          {"energy_table", {{"name", m.table_name}, {"hash", m.table_hash}}},
          {"budget_uj", optional_json(m.budget_uj)},
          {"workload", to_json(m.workload)},
          {"layers", layers},
          {"totals", {{"energy_pj", m.total_energy_pj}, {"latency_cycles", m.total_latency_cycles},
                      {"accuracy", m.export_accuracy}, {"test_images", m.export_test_images}}},
          {"network", m.network_name}};
}

json to_json(const ExportNetwork& n) {
  json layers = json::array();
  for (const NetLayer& l : n.layers) layers.push_back(layer_json(l));
  return {{"format", kNetworkFormat}, {"input", format_json(n.input)}, {"weights", n.weights_name}, {"layers", layers}};
}

json to_json(const ExportReference& r) {
  json images = json::array();
  for (const ReferenceImage& i : r.images)
    images.push_back({{"index", i.index}, {"label", i.label}, {"fake_quant_prediction", i.fake_quant_prediction}});
  return {{"dataset", r.dataset}, {"split", r.split}, {"images", images}};
}

std::string export_text(const json& doc) { return doc.dump(1) + "\n"; }

std::string pack_weights(ExportNetwork& n) {
  std::string bytes;
  for (NetLayer& l : n.layers) {
    if (!is_mac(l.type)) continue;
    l.weights = {int64_t(bytes.size() / 4), int64_t(l.weight_codes.size())};
    for (int32_t c : l.weight_codes)
      for (int shift : {0, 8, 16, 24}) bytes += char((uint32_t(c) >> shift) & 0xff);
  }
  return bytes;
}

ExportMapping parse_export_mapping(const json& doc, const std::string& file) {
  ExportMapping e;
  const JsonNode root(doc, file, "mapping");
  root.reject_unknown_keys({"format", "tool_version", "model", "dataset", "input", "seed", "mode", "pin_first_last",
                            "architecture", "lut", "energy_table", "budget_uj", "workload", "layers", "totals", "network"});
  if (root.at("format").as_string() != kMappingFormat) root.at("format").fail(std::string("expected \"") + kMappingFormat + "\"");
  e.tool_version = root.get_string("tool_version", "");
  e.model = root.get_string("model", "");
  e.dataset = root.get_string("dataset", "");
  // The modes of enos search, and "uniform" for enos train and the test exports.
  if (root.has("mode")) e.mode = root.at("mode").as_enum({"single", "bilevel", "sequential", "stochastic", "uniform"});
  e.seed = uint64_t(root.get_int("seed", 0, kI64Max, 0));
  if (!is_null(root, "pin_first_last")) e.pin_first_last = root.get_string("pin_first_last");
  e.arch_hash = read_hash_pair(root.at("architecture"), "name", e.arch_name);
  e.lut_hash = read_hash_pair(root.at("lut"), "file", e.lut_file);
  e.table_hash = read_hash_pair(root.at("energy_table"), "name", e.table_name);
  if (!is_null(root, "budget_uj")) e.budget_uj = root.get_number("budget_uj", 0, 1e300);
  e.workload = parse_workload(root.at("workload").value(), file);
  const JsonNode input = root.at("input");
  if (input.size() != 3 || input.at(0).as_int(1, 65536) != e.workload.input.C ||
      input.at(1).as_int(1, 65536) != e.workload.input.H || input.at(2).as_int(1, 65536) != e.workload.input.W)
    input.fail("must equal the workload's input " + to_string(e.workload.input));
  const JsonNode layers = root.at("layers");
  read_mapped_layers(layers, e);
  check_mapped_against_workload(layers, e);
  read_totals(root.at("totals"), e);
  e.network_name = file_name(root, "network", kExportNetworkFile);
  return e;
}

ExportNetwork parse_export_network(const json& doc, const std::string& file, const Workload& workload) {
  ExportNetwork e;
  const JsonNode root(doc, file, "network");
  root.reject_unknown_keys({"format", "input", "weights", "layers"});
  if (root.at("format").as_string() != kNetworkFormat) root.at("format").fail(std::string("expected \"") + kNetworkFormat + "\"");
  const JsonNode in = root.at("input");
  in.reject_unknown_keys({"scale", "bits"});
  e.input = read_format(in);
  e.weights_name = file_name(root, "weights", kExportWeightsFile);
  const JsonNode layers = root.at("layers");
  if (layers.size() != workload.layers.size())
    layers.fail("must have one entry per workload layer (" + std::to_string(workload.layers.size()) + "), got " +
                std::to_string(layers.size()));
  for (std::size_t i = 0; i < layers.size(); ++i)
    e.layers.push_back(read_net_layer(layers.at(i), workload.layers[i], i, i + 1 == layers.size()));
  return e;
}

void read_export_weights(const std::string& file, const json& network_doc, const std::string& network_file,
                         ExportNetwork& e) {
  const JsonNode layers = network_layers(network_doc, network_file);
  std::ifstream f(file, std::ios::binary | std::ios::ate);
  if (!f) throw SpecError(file, "(file)", "cannot open the weights (network.json names it)");
  const int64_t bytes = int64_t(f.tellg());
  if (bytes % 4) throw SpecError(file, "(file)", "size " + std::to_string(bytes) + " bytes is not a whole number of int32 codes");
  for (std::size_t i = 0; i < e.layers.size(); ++i) {
    NetLayer& l = e.layers[i];
    if (!is_mac(l.type)) continue;
    const WeightSlice s = l.weights;
    // Compared as counts, never as offset + count: an offset near 2^62 would wrap the sum.
    const int64_t codes = bytes / 4;
    if (s.offset > codes || s.count > codes - s.offset)
      layers.at(i).at("weights").fail("slice [" + std::to_string(s.offset) + ", +" + std::to_string(s.count) +
                                      ") runs past the end of " + file + " (" + std::to_string(codes) + " codes)");
    std::vector<unsigned char> raw(std::size_t(s.count) * 4);
    f.seekg(std::streamoff(s.offset) * 4);
    f.read(reinterpret_cast<char*>(raw.data()), std::streamsize(raw.size()));
    if (!f) throw SpecError(file, "(file)", "read failed");
    l.weight_codes.resize(std::size_t(s.count));
    const pe::CodeRange range = pe::weight_code_range(l.candidate);
    for (std::size_t j = 0; j < l.weight_codes.size(); ++j) {
      const int32_t code = code_at(raw, j);
      if (code < range.lo || code > range.hi)
        layers.at(i).at("weights").fail("code " + std::to_string(j) + " is " + std::to_string(code) + ", outside " +
                                        pe::to_string(l.candidate) + "'s range [" + std::to_string(range.lo) + ", " +
                                        std::to_string(range.hi) + "]");
      l.weight_codes[j] = code;
    }
  }
}

void check_export_network(const ExportMapping& m, const ExportNetwork& n, const json& network_doc,
                          const std::string& network_file) {
  const JsonNode layers = network_layers(network_doc, network_file);
  std::size_t mac = 0;
  for (std::size_t i = 0; i < n.layers.size(); ++i) {
    if (!is_mac(n.layers[i].type)) continue;
    const MappedLayer& mapped = m.mapped[mac++];
    if (mapped.candidate != n.layers[i].candidate)
      layers.at(i).at("candidate").fail(pe::to_string(n.layers[i].candidate) + " differs from mapping.json's " +
                                        pe::to_string(mapped.candidate) + " for '" + mapped.name + "'");
  }
  if (n.input.bits != 8) throw SpecError(network_file, "network.input.bits", "must be 8: the images are bytes");
}

ExportReference parse_export_reference(const json& doc, const std::string& file, int classes) {
  ExportReference r;
  const JsonNode root(doc, file, "reference");
  root.reject_unknown_keys({"dataset", "split", "images"});
  r.dataset = root.get_string("dataset", "");
  r.split = root.get_string("split", "");
  const JsonNode images = root.at("images");
  // An image listed twice would silently leave another one uncompared.
  std::map<int64_t, std::size_t> first_at;
  for (std::size_t i = 0; i < images.size(); ++i) {
    const JsonNode n = images.at(i);
    n.reject_unknown_keys({"index", "label", "fake_quant_prediction"});
    ReferenceImage image;
    image.index = n.get_int("index", 0, kI64Max);
    image.label = int(n.get_int("label", 0, classes - 1));
    image.fake_quant_prediction = int(n.get_int("fake_quant_prediction", 0, classes - 1));
    const auto [it, fresh] = first_at.emplace(image.index, i);
    if (!fresh)
      n.at("index").fail("image " + std::to_string(image.index) + " is listed twice (first at reference.images[" +
                         std::to_string(it->second) + "])");
    r.images.push_back(image);
  }
  return r;
}

MappedOperators read_mapped_operators(const json& doc, const std::string& file) {
  MappedOperators m;
  const JsonNode root(doc, file, "mapping");
  root.expect_object();
  if (root.get_string("format") != kMappingFormat) root.at("format").fail(std::string("expected \"") + kMappingFormat + "\"");
  m.workload = parse_workload(root.at("workload").value(), file);
  std::vector<const Layer*> macs;
  for (const Layer& l : m.workload.layers)
    if (l.is_mac()) macs.push_back(&l);
  if (macs.empty()) root.at("workload").fail("has no MAC layers");
  const JsonNode layers = root.at("layers");
  if (layers.size() != macs.size())
    layers.fail("lists " + std::to_string(layers.size()) + " layers; the workload has " +
                std::to_string(macs.size()) + " MAC layers");
  for (std::size_t i = 0; i < macs.size(); ++i) {
    const JsonNode l = layers.at(i);
    if (l.get_string("name") != macs[i]->name)
      l.at("name").fail("expected MAC layer '" + macs[i]->name + "' (workload order)");
    try {
      m.candidates.push_back(pe::parse_candidate(l.get_string("candidate")));
    } catch (const std::invalid_argument& e) {
      l.at("candidate").fail(std::string("bad operator candidate: ") + e.what());
    }
  }
  return m;
}

}  // namespace enos::spec
