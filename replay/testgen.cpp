#include "replay/testgen.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>

#include "energy/lut.hpp"
#include "datasets/image_set.hpp"
#include "pe/requant.hpp"
#include "replay/export.hpp"
#include "replay/network.hpp"
#include "dataflow/buffer_plan.hpp"
#include "characterize/characterize.hpp"
#include "spec/atomic_file.hpp"
#include "spec/json_reader.hpp"

namespace enos::replay {
namespace {

using nlohmann::json;
using spec::LayerType;

double uniform(std::mt19937_64& rng, double lo, double hi) {
  return lo + (hi - lo) * double(rng() >> 11) / double(uint64_t(1) << 53);
}

void write_file(const std::string& path, const std::string& text) { spec::write_file_atomically(path, text); }

struct Format {
  double scale = 1.0 / 255;
  int bits = 8;
};

struct Builder {
  const TestExportRequest& req;
  std::mt19937_64 rng;
  std::map<std::string, Format> fmt;           // output format by layer name
  std::map<std::string, Format> act;           // MAC layers' input format
  std::map<std::string, pe::Candidate> cand;
  spec::ExportNetwork network;
};

// A MAC layer's output goes straight to the first MAC layer that reads it, so most layers
// need no rescale (as the real exporter arranges); other outputs get a random 8-bit scale.
Format mac_output_format(Builder& b, const spec::Layer& l) {
  for (const spec::Layer& c : b.req.workload->layers)
    if (c.is_mac() && !c.inputs.empty() && c.inputs[0] == l.name) return b.act.at(c.name);
  return {uniform(b.rng, 0.02, 0.1), 8};
}

spec::NetLayer mac_layer(Builder& b, const spec::Layer& l, bool last) {
  const pe::Candidate c = b.cand.at(l.name);
  const Format in = b.fmt.at(l.inputs[0]);
  const Format a = b.act.at(l.name);
  spec::NetLayer j = spec::net_layer_of(l);
  j.candidate = c, j.act_scale = a.scale, j.act_bits = a.bits;
  const bool same = in.bits == a.bits && std::fabs(in.scale - a.scale) <= 1e-9 * a.scale;
  if (!same) j.input_rescale = pe::make_requant_channel(in.scale / a.scale);
  j.weight_codes = pe::random_layer_data(l.conv, c, b.rng).weight_codes;
  for (int k = 0; k < l.conv.K; ++k) j.weight_scale.push_back(uniform(b.rng, 0.005, 0.05));
  if (last) {
    j.logits = true;
    for (int k = 0; k < l.conv.K; ++k) j.logit_bias.push_back(uniform(b.rng, -0.1, 0.1));
    return j;
  }
  const Format out = mac_output_format(b, l);
  b.fmt[l.name] = out;
  j.output = {out.scale, out.bits};
  // Spread the outputs over the range: a typical |sum| is about √n · E|w| · E|x|.
  const double wmax = std::fabs(double(pe::decode_weight(c, pe::weight_code_range(c).hi)));
  const double typical = std::sqrt(double(l.conv.reduction())) * 0.5 * ((1 << a.bits) - 1) * std::max(1.0, wmax / 2);
  for (int k = 0; k < l.conv.K; ++k) {
    const bool mf = c.kind == pe::OpKind::Mf;
    const double gain = double((1 << out.bits) - 1) / typical;  // real per integer unit of main
    const double main_scale = gain * (0.5 + uniform(b.rng, 0, 1));
    const int32_t bias = int32_t(std::lround(uniform(b.rng, -0.3, 0.3) * typical));
    const double offset_steps = uniform(b.rng, -2, 2);  // as a folded batch norm's β would be
    j.requant.push_back(pe::make_requant_channel(main_scale, mf ? main_scale * 0.5 : 0.0, bias, offset_steps));
  }
  return j;
}

spec::NetLayer combine_layer(Builder& b, const spec::Layer& l) {
  Format out{0, 8};
  for (const std::string& in : l.inputs) out.scale = std::max(out.scale, b.fmt.at(in).scale);
  if (l.type == LayerType::Add) out.scale *= double(l.inputs.size());  // room for the sum
  b.fmt[l.name] = out;
  spec::NetLayer j = spec::net_layer_of(l);
  j.output = {out.scale, out.bits}, j.combine.shift = 16;
  for (const std::string& in : l.inputs)
    j.combine.multipliers.push_back(int32_t(std::lround(b.fmt.at(in).scale / out.scale * double(1 << j.combine.shift))));
  return j;
}

void choose_formats(Builder& b) {
  std::size_t m = 0;
  for (const spec::Layer& l : b.req.workload->layers) {
    if (!l.is_mac()) continue;
    const pe::Candidate c = b.req.candidates[m++ % b.req.candidates.size()];
    b.cand[l.name] = c;
    b.act[l.name] = {uniform(b.rng, 0.01, 0.05), c.act_bits};
  }
}

void build_network(Builder& b) {
  b.fmt["input"] = {1.0 / 255, 8};
  choose_formats(b);
  const auto& layers = b.req.workload->layers;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const spec::Layer& l = layers[i];
    if (l.is_mac()) {
      b.network.layers.push_back(mac_layer(b, l, i + 1 == layers.size()));
    } else if (l.type == LayerType::Add || l.type == LayerType::Concat) {
      b.network.layers.push_back(combine_layer(b, l));
    } else {
      b.fmt[l.name] = b.fmt.at(l.inputs[0]);
      b.network.layers.push_back(spec::net_layer_of(l));
    }
  }
}

energy::Lut characterize_all(sim::Runner& runner, const TestExportRequest& req) {
  energy::Lut lut;
  const spec::ArchSpec& arch = runner.arch();
  lut.tool_version = "test";
  lut.architecture = {arch.name, arch.file, arch.hash};
  lut.energy_table = {req.table->name, req.table->file, req.table->hash};
  lut.workload = {req.workload->name, req.workload->file, spec::json_hash(spec::to_json(*req.workload))};
  lut.clock_mhz = arch.clock_mhz;
  lut.technology_nm = arch.technology_nm;
  std::vector<dataflow::BufferPlan> plans;  // the LUT's assumption, as enos characterize makes it
  for (const pe::Candidate& c : req.candidates) {
    lut.candidates.push_back(pe::to_string(c));
    plans.push_back(dataflow::lut_context_plan(*req.workload, arch, c, req.lut_context));
  }
  for (std::size_t i = 0; i < req.workload->layers.size(); ++i) {
    const spec::Layer& l = req.workload->layers[i];
    if (!l.is_mac()) continue;
    energy::LutLayer ll{l.name, l.conv, {}};
    for (std::size_t k = 0; k < req.candidates.size(); ++k)
      ll.entries.push_back(
          characterize::characterize(runner,
                                     {l.conv, l.mapping, req.candidates[k], plans[k].layers[i],
                                      characterize::assumed_input_zero_frac(*req.workload, i, arch)},
                                     *req.table, req.seed)
              .entry);
    lut.layers.push_back(ll);
  }
  return lut;
}

spec::ExportMapping mapping_doc(const TestExportRequest& req, const spec::ArchSpec& arch, const energy::Lut& lut,
                                const json& lut_json) {
  spec::ExportMapping m;
  std::size_t i = 0;
  for (const energy::LutLayer& l : lut.layers) {
    const std::string c = lut.candidates[i++ % lut.candidates.size()];
    const energy::LutEntry* e = lut.find(l.name, c);
    m.mapped.push_back({l.name, pe::parse_candidate(c), e->energy_pj, e->cycles, false});
    m.total_energy_pj += e->energy_pj;
    m.total_latency_cycles += e->cycles;
  }
  m.tool_version = "test", m.model = req.workload->name, m.dataset = "fashion-mnist", m.mode = "uniform";
  m.seed = req.seed;
  m.arch_name = arch.name, m.arch_hash = arch.hash;
  m.lut_file = "lut.json", m.lut_hash = spec::json_hash(lut_json);
  m.table_name = req.table->name, m.table_hash = req.table->hash;
  m.budget_uj = req.budget_uj;
  m.workload = *req.workload;
  m.export_accuracy = 0.5, m.export_test_images = req.images;
  return m;
}

// Random images; the labels agree with the integer reference on every other image, and the
// "fake-quantized" predictions are the reference's (so agreement is 1 and accuracy ≈ 0.5+).
void write_data_and_reference(const TestExportRequest& req, std::mt19937_64& rng) {
  const Export e = load_export(req.out_dir + "/" + spec::kExportMappingFile);
  datasets::ImageSet set;
  set.channels = 1, set.height = req.workload->input.H, set.width = req.workload->input.W;
  spec::ExportReference reference;
  reference.dataset = "fashion-mnist";
  ReferenceBackend ref;
  for (int i = 0; i < req.images; ++i) {
    std::vector<uint8_t> px(std::size_t(set.image_bytes()));
    for (uint8_t& p : px) p = uint8_t(rng() & 0xff);
    const int pred = forward(e, px, ref).prediction;
    const int label = i % 2 == 0 ? pred : int(rng() % 10);
    set.pixels.insert(set.pixels.end(), px.begin(), px.end());
    set.labels.push_back(uint8_t(label));
    reference.images.push_back({i, label, pred});
  }
  std::filesystem::create_directories(req.out_dir + "/data");
  datasets::write_idx_pair(req.out_dir + "/data/t10k-images-idx3-ubyte.gz", req.out_dir + "/data/t10k-labels-idx1-ubyte.gz",
                         set, true);
  write_file(req.out_dir + "/" + spec::kExportReferenceFile, spec::export_text(spec::to_json(reference)));
}

}  // namespace

void make_test_export(sim::Runner& runner, const TestExportRequest& req) {
  const spec::Workload& w = *req.workload;
  if (w.input.C != 1) throw std::invalid_argument("make_test_export: the workload input must have 1 channel (idx images)");
  if (w.layers.empty() || !w.layers.back().is_mac() || w.layers.back().conv.K != 10)
    throw std::invalid_argument("make_test_export: the last layer must be a MAC layer with 10 outputs");
  std::filesystem::create_directories(req.out_dir);
  Builder b{req, std::mt19937_64(req.seed), {}, {}, {}, {}};
  build_network(b);
  const energy::Lut lut = characterize_all(runner, req);
  const json lut_json = energy::to_json(lut);
  write_file(req.out_dir + "/lut.json", lut_json.dump(1) + "\n");
  const std::string weights = spec::pack_weights(b.network);  // sets the slices network.json names
  write_file(req.out_dir + "/" + spec::kExportNetworkFile, spec::export_text(spec::to_json(b.network)));
  write_file(req.out_dir + "/" + spec::kExportWeightsFile, weights);
  write_file(req.out_dir + "/" + spec::kExportMappingFile,
             spec::export_text(spec::to_json(mapping_doc(req, runner.arch(), lut, lut_json))));
  write_data_and_reference(req, b.rng);
}

}  // namespace enos::replay
