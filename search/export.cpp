#include "search/export.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <optional>
#include <stdexcept>

#include <torch/nn/modules/batchnorm.h>
#include <torch/types.h>

#include "models/layers.hpp"
#include "models/registry.hpp"
#include "pe/requant.hpp"
#include "search/quant_layer.hpp"
#include "spec/export_format.hpp"
#include "spec/json_reader.hpp"

namespace enos::search {
namespace {

using spec::LayerType;

struct Format {
  double scale = 1.0 / 255;
  int bits = 8;
  bool is_signed = false;
};

bool same_format(const Format& a, const Format& b) {
  return a.bits == b.bits && a.is_signed == b.is_signed && std::fabs(a.scale - b.scale) <= 1e-6 * std::max(a.scale, b.scale);
}

// A MAC layer of the network: its fake-quantized operator, the batch norm after it (if any),
// whether its float output is ReLU'd (a classifier's is not).
struct MacParts {
  std::shared_ptr<QuantMacImpl> op;
  std::shared_ptr<torch::nn::BatchNorm2dImpl> bn;
  bool relu = false;
  LayerExport ex;
};

std::map<std::string, MacParts> mac_parts(models::Network& net, const spec::Workload& w) {
  const auto modules = net.named_modules();
  std::map<std::string, MacParts> parts;
  for (const spec::Layer& l : w.layers) {
    if (!l.is_mac()) continue;
    MacParts p;
    for (const char* suffix : {".conv", ".fc"})
      if (const auto* m = modules.find(l.name + suffix)) p.op = std::dynamic_pointer_cast<QuantMacImpl>(*m);
    if (!p.op)
      throw std::invalid_argument("layer '" + l.name + "' is not a fake-quantized layer: only a network of "
                                  "QuantMac layers can be exported");
    if (const auto* m = modules.find(l.name + ".bn")) p.bn = std::dynamic_pointer_cast<torch::nn::BatchNorm2dImpl>(*m);
    if (const auto* m = modules.find(l.name))
      if (const auto conv = std::dynamic_pointer_cast<models::ConvBnActImpl>(*m)) p.relu = conv->applies_relu();
    p.ex = export_layer(*p.op);
    parts.emplace(l.name, std::move(p));
  }
  return parts;
}

// The largest float magnitude each layer outputs over a few training images (eval mode): the
// calibrated scale of tensors that no single MAC layer's quantizer owns.
std::map<std::string, double> calibrate(models::Network& net, const models::Dataset& data, int images) {
  torch::NoGradGuard no_grad;
  std::map<std::string, double> max_value;
  models::BatchStream batches(models::take_first(data.train, images), 1,
                              models::preprocess_for(data.info, models::Augment::None, true), std::nullopt);
  at::Tensor x, y;
  while (batches.next(x, y)) {
    models::Trace trace(x);  // batch 1: the trace records every layer's output tensor
    {
      models::TraceScope scope(net, trace);
      net.forward(x);
    }
    for (const auto& [t, name] : trace.outputs()) {
      const double m = t.abs().max().item<double>();
      auto it = max_value.emplace(name, m).first;
      it->second = std::max(it->second, m);
    }
  }
  return max_value;
}

bool transparent(LayerType t) {
  return t == LayerType::MaxPool || t == LayerType::ChannelShuffle || t == LayerType::Split || t == LayerType::ReLU;
}

// The network's tensors, and the formats the exporter gives them (docs/export-format.md).
class FormatPlan {
 public:
  FormatPlan(const spec::Workload& w, const std::map<std::string, MacParts>& macs,
             const std::map<std::string, double>& calibration, int calibrated_bits)
      : w_(w), macs_(macs), calibration_(calibration), calibrated_bits_(calibrated_bits) {
    for (std::size_t i = 0; i < w.layers.size(); ++i) {
      index_[w.layers[i].name] = i;
      for (const std::string& in : w.layers[i].inputs) consumers_[in].push_back(i);
    }
    // Signedness first: the clip caps of decide() look ahead at adds whose inputs come later.
    for (std::size_t i = 0; i < w.layers.size(); ++i) signed_.push_back(decide_signed(i));
    for (std::size_t i = 0; i < w.layers.size(); ++i) formats_.push_back(decide(i));
  }
  Format of(const std::string& name) const {
    return name == "input" ? Format{} : formats_.at(index_.at(name));
  }
  Format input_of(std::size_t i) const { return of(w_.layers[i].inputs.at(0)); }
  int calibrated = 0;

 private:
  Format act_format(const std::string& mac) const {
    const LayerExport& e = macs_.at(mac).ex;
    return {e.act_scale, e.candidate.act_bits};
  }
  // The layers that read `name`'s tensor, looking through the exact integer operations.
  void final_consumers(const std::string& name, std::vector<std::size_t>& out) const {
    const auto it = consumers_.find(name);
    if (it == consumers_.end()) return;
    for (std::size_t c : it->second) {
      if (transparent(w_.layers[c].type))
        final_consumers(w_.layers[c].name, out);
      else
        out.push_back(c);
    }
  }
  // The MAC layers that finally read layer i's tensor, when they all quantize it the same way
  // (the tensor can then be their input codes); empty otherwise.
  std::optional<std::size_t> agreeing_reader(std::size_t i) const {
    std::vector<std::size_t> readers;
    final_consumers(w_.layers[i].name, readers);
    bool agree = !readers.empty();
    for (std::size_t r : readers)
      agree = agree && w_.layers[r].is_mac() && same_format(act_format(w_.layers[r].name), act_format(w_.layers[readers[0]].name));
    if (!agree) return std::nullopt;
    return readers[0];
  }
  // Whether an input of `l` is signed (inputs come before their readers: already decided).
  bool has_signed_input(const spec::Layer& l) const {
    for (const std::string& in : l.inputs)
      if (in != "input" && signed_.at(index_.at(in))) return true;
    return false;
  }
  // A tensor is signed when it holds the negative values of a float output without ReLU and
  // no quantizer clips them first: a MAC layer without ReLU or a sum with such an input, on a
  // calibrated scale; pools, shuffles and splits pass signedness on, ReLU ends it.
  bool decide_signed(std::size_t i) const {
    const spec::Layer& l = w_.layers[i];
    if (l.type == LayerType::ReLU) return false;
    if (l.is_mac() || l.type == LayerType::Add || l.type == LayerType::Concat) {
      if (agreeing_reader(i)) return false;
      if (l.is_mac()) return !macs_.at(l.name).relu && !(i + 1 == w_.layers.size());
      return has_signed_input(l);
    }
    return l.inputs.at(0) != "input" && signed_.at(index_.at(l.inputs.at(0)));
  }
  // A producer's output goes straight to its MAC readers' quantization when they agree;
  // otherwise to a calibrated scale of ExportInfo::calibrated_bits bits, and the readers rescale.
  Format owned_or_calibrated(std::size_t i) {
    if (const std::optional<std::size_t> r = agreeing_reader(i)) return act_format(w_.layers[*r].name);
    ++calibrated;
    const auto c = calibration_.find(w_.layers[i].name);
    // Twice the calibration images' largest magnitude: other images exceed it (a test image
    // saturating a global average's input moved the fc input by 3 codes), and a 16-bit tensor
    // can spare the bit.
    double max_value = c == calibration_.end() ? 1.0 : 2 * c->second;
    // Values above every reader's clip are clipped by the readers anyway: spend no codes on
    // them. A signed tensor's negative side has no such clip.
    if (!signed_[i])
      if (const std::optional<double> clip = reader_clip(w_.layers[i].name)) max_value = std::min(max_value, *clip);
    const double top = std::ldexp(1.0, signed_[i] ? calibrated_bits_ - 1 : calibrated_bits_) - 1;
    return {std::max(max_value, 1e-6) / top, calibrated_bits_, signed_[i]};
  }
  // The largest clip (s_x·(2^A − 1)) of the MAC layers that read `name`'s values, looking
  // through the exact operations, concat and add (an add input above every reader's clip makes
  // a sum above it too, unless another input is signed and can pull the sum back: none then);
  // none when a value reaches a pool (which averages values above the clip) or nothing.
  std::optional<double> reader_clip(const std::string& name) const {
    const auto it = consumers_.find(name);
    if (it == consumers_.end()) return std::nullopt;
    double clip = 0;
    for (std::size_t c : it->second) {
      const spec::Layer& l = w_.layers[c];
      if (l.is_mac()) {
        const Format f = act_format(l.name);
        clip = std::max(clip, f.scale * (std::ldexp(1.0, f.bits) - 1));
      } else if (l.type == LayerType::Add && has_signed_input(l)) {
        return std::nullopt;
      } else if (transparent(l.type) || l.type == LayerType::Concat || l.type == LayerType::Add) {
        const std::optional<double> r = reader_clip(l.name);
        if (!r) return std::nullopt;
        clip = std::max(clip, *r);
      } else {
        return std::nullopt;
      }
    }
    return clip;
  }
  Format decide(std::size_t i) {
    const spec::Layer& l = w_.layers[i];
    if (l.is_mac() || l.type == LayerType::Add || l.type == LayerType::Concat) return owned_or_calibrated(i);
    Format f = of(l.inputs.at(0));  // pools, shuffle, split, relu keep their input's scale and bits
    f.is_signed = signed_[i];        // relu: the same codes without the negative ones
    return f;
  }

  const spec::Workload& w_;
  const std::map<std::string, MacParts>& macs_;
  const std::map<std::string, double>& calibration_;
  int calibrated_bits_;
  std::map<std::string, std::size_t> index_;
  std::map<std::string, std::vector<std::size_t>> consumers_;
  std::vector<bool> signed_;
  std::vector<Format> formats_;
};

std::vector<double> to_doubles(const torch::Tensor& t) {
  const torch::Tensor c = t.detach().to(torch::kDouble).contiguous();
  return {c.data_ptr<double>(), c.data_ptr<double>() + c.numel()};
}

// Batch norm and the convolution's bias as y = a[k]·conv + b[k] (a = 1, b = 0 without them).
void folded_affine(const MacParts& p, std::vector<double>& a, std::vector<double>& b) {
  const std::size_t K = p.ex.weight_scale.size();
  a.assign(K, 1.0), b.assign(K, 0.0);
  if (!p.ex.bias.empty()) b = p.ex.bias;
  if (!p.bn) return;
  const auto gamma = to_doubles(p.bn->weight), beta = to_doubles(p.bn->bias);
  const auto mean = to_doubles(p.bn->running_mean), var = to_doubles(p.bn->running_var);
  const double eps = p.bn->options.eps();
  for (std::size_t k = 0; k < K; ++k) {
    a[k] = gamma[k] / std::sqrt(var[k] + eps);
    b[k] = beta[k] + a[k] * (b[k] - mean[k]);
  }
}

// The real value of one unit of a MAC layer's `main` accumulator at the requantization's
// input, per output channel: a[k]·s_x·s_w[k] (mf: a[k]·s_x).
double main_unit(const MacParts& p, const std::vector<double>& a, std::size_t k) {
  const bool mf = p.ex.candidate.kind == pe::OpKind::Mf;
  return a[k] * p.ex.act_scale * (mf ? 1.0 : p.ex.weight_scale[k]);
}

std::vector<pe::RequantChannel> requant_channels(const MacParts& p, const Format& out) {
  std::vector<double> a, b;
  folded_affine(p, a, b);
  const bool mf = p.ex.candidate.kind == pe::OpKind::Mf;
  std::vector<pe::RequantChannel> channels;
  for (std::size_t k = 0; k < a.size(); ++k) {
    const double sw = p.ex.weight_scale[k];
    // The folded bias goes in the offset (fractions of an output step), not in `bias` (whole
    // units of `main`, which for 2- and 4-bit operands can exceed an output step).
    channels.push_back(pe::make_requant_channel(main_unit(p, a, k) / out.scale, mf ? a[k] * sw / out.scale : 0.0, 0,
                                                b[k] / out.scale));
  }
  return channels;
}

std::string shape_text(const spec::FeatureShape& s) {
  return std::to_string(s.H) + "x" + std::to_string(s.W) + "x" + std::to_string(s.C);
}

// Combine layers: input_multipliers M_i / 2^shift ≈ s_i / s_out with the largest shift that
// keeps every multiplier within int32.
spec::NetLayer combine_layer(const spec::Layer& l, const FormatPlan& plan, const Format& out) {
  std::vector<double> ratios;
  for (const std::string& in : l.inputs) ratios.push_back(plan.of(in).scale / out.scale);
  const double largest = *std::max_element(ratios.begin(), ratios.end());
  spec::NetLayer n = spec::net_layer_of(l);
  n.output = {out.scale, out.bits, out.is_signed};
  int shift = 62;
  while (shift > 0 && std::ldexp(largest, shift) >= std::ldexp(1.0, 31) - 1) --shift;
  // Within int32: the shift keeps the largest ratio below 2^31 − 1.
  for (double r : ratios) n.combine.multipliers.push_back(int32_t(std::llround(std::ldexp(r, shift))));
  n.combine.shift = shift;
  return n;
}

// A MAC layer of the integer network: its operator, codes and scales, and either the
// requantization to its output's format or, for the classifier, float logits.
spec::NetLayer mac_layer(const spec::Layer& l, const MacParts& p, const FormatPlan& plan, std::size_t i, bool classifier,
                         ExportSummary& summary) {
  spec::NetLayer n = spec::net_layer_of(l);
  n.candidate = p.ex.candidate, n.act_scale = p.ex.act_scale, n.act_bits = p.ex.candidate.act_bits;
  const Format in = plan.input_of(i), act{p.ex.act_scale, p.ex.candidate.act_bits};
  if (!same_format(in, act)) {
    n.input_rescale = pe::make_requant_channel(in.scale / act.scale);
    ++summary.rescaled_inputs;
  }
  n.weight_codes = p.ex.weight_codes;
  n.weight_scale = p.ex.weight_scale;
  if (classifier) {
    n.logits = true;
    n.logit_bias = p.ex.bias;
    n.logit_bias.resize(p.ex.weight_scale.size(), 0.0);
    return n;
  }
  const Format out = plan.of(l.name);
  n.output = {out.scale, out.bits, out.is_signed};
  n.requant = requant_channels(p, out);
  return n;
}

// mapping.json's entry of a MAC layer: the chosen candidate and the LUT's measurement of it.
spec::MappedLayer mapped_layer(const spec::Layer& l, const MacParts& p, const ExportInfo& info) {
  const std::string candidate = pe::to_string(p.ex.candidate);
  const energy::LutEntry* e = info.lut->find(l.name, candidate);
  if (!e) throw spec::SpecError(info.lut_file, "layers", "no entry for layer '" + l.name + "' with " + candidate);
  const bool pinned = info.pin_first_last && p.op->options().role != models::MacRole::Hidden;
  return {l.name, p.ex.candidate, e->energy_pj, e->cycles, pinned};
}

// mapping.json without its layers: what was searched, on which LUT, how well.
spec::ExportMapping mapping_header(const ExportInfo& info, const spec::Workload& workload) {
  const energy::Lut& lut = *info.lut;
  spec::ExportMapping m;
  m.tool_version = info.tool_version, m.model = info.model, m.dataset = info.dataset, m.mode = info.mode;
  m.seed = info.seed, m.pin_first_last = info.pin_first_last;
  m.arch_name = lut.architecture.name, m.arch_hash = lut.architecture.hash;
  m.lut_file = info.lut_file, m.lut_hash = spec::json_hash(energy::to_json(lut));
  if (!info.lut_file.empty() && std::ifstream(info.lut_file)) m.lut_hash = spec::json_hash(spec::load_json_file(info.lut_file));
  m.table_name = lut.energy_table.name, m.table_hash = lut.energy_table.hash;
  m.budget_uj = info.budget_uj;
  m.workload = workload;
  m.export_accuracy = info.accuracy, m.export_test_images = info.test_images;
  return m;
}

std::vector<int> reference_predictions(models::Network& net, const models::Dataset& data, int64_t n) {
  torch::NoGradGuard no_grad;
  models::BatchStream batches(models::take_first(data.test, n), 256,
                              models::preprocess_for(data.info, models::Augment::None, true), std::nullopt);
  std::vector<int> predictions;
  at::Tensor x, y;
  while (batches.next(x, y)) {
    const at::Tensor p = net.forward(x).argmax(1).to(torch::kInt).contiguous();
    predictions.insert(predictions.end(), p.data_ptr<int32_t>(), p.data_ptr<int32_t>() + p.numel());
  }
  return predictions;
}

void write_json(const std::string& file, const nlohmann::json& j) {
  std::ofstream out(file);
  out << spec::export_text(j);
  if (!out) throw std::invalid_argument(file + ": cannot write");
}

}  // namespace

ExportSummary export_network(models::Network& net, const models::Dataset& data, const ExportInfo& info,
                             const std::string& dir) {
  net.eval();
  const spec::FeatureShape input = data.info.input;
  const std::string shape = shape_text(input);
  const spec::Workload workload = models::export_workload(
      net, input, models::workload_name(info.model, {input, data.info.classes}),
      info.model + " for " + shape + " inputs and " + std::to_string(data.info.classes) +
          " classes, exported by `enos models --export` from models/ (batch norm and ReLU folded into each conv)");
  // The logits come from the classifier (a MAC layer without batch norm) or from a global
  // average pool after it (SqueezeNet).
  const bool pooled_logits = !workload.layers.empty() && workload.layers.back().type == LayerType::GlobalAvgPool;
  if (workload.layers.empty() || (!workload.layers.back().is_mac() && !pooled_logits))
    throw std::invalid_argument(info.model + ": the network's last layer is '" +
                                (workload.layers.empty() ? std::string("-") : workload.layers.back().name) +
                                "': the export format needs the classifier or a global average pool last");
  const std::map<std::string, MacParts> macs = mac_parts(net, workload);
  if (!pooled_logits && macs.at(workload.layers.back().name).bn)
    throw std::invalid_argument(info.model + ": the classifier '" + workload.layers.back().name +
                                "' has a batch norm, which the logits output cannot fold");
  if (info.calibrated_bits < 2 || info.calibrated_bits > 16)
    throw std::invalid_argument("calibrated tensors take 2..16 bits, got " + std::to_string(info.calibrated_bits));
  const FormatPlan plan(workload, macs, calibrate(net, data, info.calibration_images), info.calibrated_bits);

  ExportSummary summary;
  summary.calibrated_tensors = plan.calibrated;
  std::ofstream weights(dir + "/" + spec::kExportWeightsFile, std::ios::binary);
  if (!weights) throw std::invalid_argument(dir + "/" + spec::kExportWeightsFile + ": cannot write");
  spec::ExportNetwork network;
  spec::ExportMapping mapping = mapping_header(info, workload);
  for (std::size_t i = 0; i < workload.layers.size(); ++i) {
    const spec::Layer& l = workload.layers[i];
    const bool last = i + 1 == workload.layers.size();
    if (l.type == LayerType::Add || l.type == LayerType::Concat) {
      network.layers.push_back(combine_layer(l, plan, plan.of(l.name)));
    } else if (!l.is_mac()) {
      network.layers.push_back(spec::net_layer_of(l));
      network.layers.back().logits = pooled_logits && last;
    } else {
      const MacParts& p = macs.at(l.name);
      network.layers.push_back(mac_layer(l, p, plan, i, last, summary));
      mapping.mapped.push_back(mapped_layer(l, p, info));
      summary.energy_pj += mapping.mapped.back().energy_pj, summary.latency_cycles += mapping.mapped.back().latency_cycles;
    }
  }
  const std::string codes = spec::pack_weights(network);  // sets the slices network.json names
  weights.write(codes.data(), std::streamsize(codes.size()));
  weights.close();
  if (!weights) throw std::invalid_argument(dir + "/" + spec::kExportWeightsFile + ": write failed");
  write_json(dir + "/" + spec::kExportNetworkFile, spec::to_json(network));

  const std::vector<int> predictions = reference_predictions(net, data, info.reference_images);
  spec::ExportReference reference;
  reference.dataset = info.dataset;
  const at::Tensor labels = data.test.labels.to(torch::kLong).contiguous();
  for (std::size_t i = 0; i < predictions.size(); ++i)
    reference.images.push_back({int64_t(i), int(labels.data_ptr<int64_t>()[i]), predictions[i]});
  write_json(dir + "/" + spec::kExportReferenceFile, spec::to_json(reference));
  summary.reference_images = int64_t(predictions.size());

  mapping.total_energy_pj = summary.energy_pj, mapping.total_latency_cycles = summary.latency_cycles;
  write_json(dir + "/" + spec::kExportMappingFile, spec::to_json(mapping));
  return summary;
}

}  // namespace enos::search
