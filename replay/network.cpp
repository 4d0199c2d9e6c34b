#include "replay/network.hpp"

#include <cmath>
#include <map>

#include "pe/requant.hpp"
#include "replay/layer_ops.hpp"
#include "spec/json_reader.hpp"

namespace enos::replay {
namespace {

using spec::LayerType;
constexpr const char* kInput = "input";

std::string layer_path(std::size_t i) { return "network.layers[" + std::to_string(i) + "]"; }

bool same_scale(double a, double b) { return std::fabs(a - b) <= 1e-6 * std::max(std::fabs(a), std::fabs(b)); }

// The index of each layer by name, so inputs resolve in O(log n).
std::map<std::string, std::size_t> index_by_name(const Export& e) {
  std::map<std::string, std::size_t> m;
  for (std::size_t i = 0; i < e.workload.layers.size(); ++i) m[e.workload.layers[i].name] = i;
  return m;
}

void check_mac_input(const Export& e, std::size_t i, const TensorFormat& in, const std::string& producer) {
  const NetLayer& l = e.layers[i];
  if (l.input_rescale) {
    const std::string why = l.input_rescale->check();
    if (!why.empty()) throw spec::SpecError(e.network_file, layer_path(i) + ".input_rescale", why);
    return;
  }
  if (in.is_signed)
    throw spec::SpecError(e.network_file, layer_path(i) + ".input_rescale",
                          "is null, but the producer '" + producer +
                              "' outputs a signed tensor and the layer reads unsigned codes (a rescale is needed)");
  if (in.bits != l.act_bits || !same_scale(in.scale, l.act_scale))
    throw spec::SpecError(e.network_file, layer_path(i) + ".input_rescale",
                          "is null, but the producer '" + producer + "' outputs scale " + std::to_string(in.scale) +
                              " with " + std::to_string(in.bits) + " bits and the layer reads scale " +
                              std::to_string(l.act_scale) + " with " + std::to_string(l.act_bits) +
                              " bits (a rescale is needed)");
}

void check_requant(const Export& e, std::size_t i) {
  const NetLayer& l = e.layers[i];
  for (std::size_t k = 0; k < l.requant.size(); ++k) {
    const std::string why = l.requant[k].check();
    if (!why.empty()) throw spec::SpecError(e.network_file, layer_path(i) + ".output.requant[" + std::to_string(k) + "]", why);
  }
}

pe::LayerData mac_input(const Export& e, std::size_t i, const Tensor& in) {
  const NetLayer& l = e.layers[i];
  pe::LayerData data;
  data.weight_codes = l.weight_codes;
  data.inputs = l.input_rescale ? rescale(in, *l.input_rescale, l.act_bits).values : in.values;
  return data;
}

void finish_logits(const NetLayer& l, const std::vector<pe::Psum>& acc, Forward& f) {
  const bool mf = l.candidate.kind == pe::OpKind::Mf;
  f.logits.clear();
  for (std::size_t k = 0; k < acc.size(); ++k) {
    // fc outputs are 1×1, so channel k is accumulator k (a conv classifier sums its map).
    const double main = acc[k].main, aux = acc[k].aux;
    const double v = mf ? l.act_scale * main + l.weight_scale[k] * aux : l.act_scale * l.weight_scale[k] * main;
    f.logits.push_back(v + l.logit_bias[k]);
  }
  f.prediction = 0;
  for (std::size_t k = 1; k < f.logits.size(); ++k)
    if (f.logits[k] > f.logits[std::size_t(f.prediction)]) f.prediction = int(k);
}

Tensor run_mac(const Export& e, std::size_t i, const Tensor& in, MacBackend& macs, Forward& f) {
  const spec::Layer& wl = e.workload.layers[i];
  const NetLayer& l = e.layers[i];
  const pe::LayerData data = mac_input(e, i, in);
  f.accs[i] = macs.run(i, wl, l, data);
  Tensor out;
  out.shape = wl.out;
  if (l.logits) {
    finish_logits(l, f.accs[i], f);
    return out;
  }
  out.values = pe::requantize_layer(f.accs[i], l.requant, l.output.bits, l.output.is_signed);
  return out;
}

// A global average pool that gives the logits: the mean of each channel of its input in real
// units, computed from the exact sum (the pooled integer would round it), and their argmax.
void finish_pooled_logits(const Tensor& in, const TensorFormat& format, Forward& f) {
  const int64_t n = int64_t(in.shape.H) * in.shape.W;
  f.logits.clear();
  for (int c = 0; c < in.shape.C; ++c) {
    int64_t sum = 0;
    for (int64_t i = 0; i < n; ++i) sum += in.values[std::size_t(c * n + i)];
    f.logits.push_back(format.scale * double(sum) / double(n));
  }
  f.prediction = 0;
  for (std::size_t k = 1; k < f.logits.size(); ++k)
    if (f.logits[k] > f.logits[std::size_t(f.prediction)]) f.prediction = int(k);
}

Tensor run_other(const Export& e, std::size_t i, const std::vector<const Tensor*>& ins, const std::vector<TensorFormat>& fmt) {
  const spec::Layer& wl = e.workload.layers[i];
  switch (wl.type) {
    case LayerType::MaxPool: return max_pool(*ins[0], wl);
    case LayerType::AvgPool: return avg_pool(*ins[0], wl);
    case LayerType::GlobalAvgPool: return global_avg_pool(*ins[0]);
    case LayerType::ChannelShuffle: return channel_shuffle(*ins[0], wl.groups);
    case LayerType::Split: return split(*ins[0], wl.groups, wl.part);
    case LayerType::ReLU: return relu(*ins[0]);
    case LayerType::Add: return combine(ins, e.layers[i].combine, fmt[i], true);
    case LayerType::Concat: return combine(ins, e.layers[i].combine, fmt[i], false);
    default: break;
  }
  throw std::logic_error("run_other: MAC layer " + wl.name);
}

}  // namespace

std::vector<pe::Psum> ReferenceBackend::run(std::size_t, const spec::Layer& layer, const NetLayer& net,
                                            const pe::LayerData& data) {
  return pe::reference_conv(layer.conv, net.candidate, data);
}

std::vector<TensorFormat> tensor_formats(const Export& e) {
  const auto index = index_by_name(e);
  std::vector<TensorFormat> fmt(e.layers.size());
  std::vector<bool> is_logits(e.layers.size(), false);
  for (std::size_t i = 0; i < e.layers.size(); ++i) {
    const spec::Layer& wl = e.workload.layers[i];
    const NetLayer& l = e.layers[i];
    std::vector<TensorFormat> ins;
    for (const std::string& name : wl.inputs) {
      if (name == kInput) {
        ins.push_back(e.input);
        continue;
      }
      const std::size_t p = index.at(name);
      if (is_logits[p])
        throw spec::SpecError(e.network_file, layer_path(i),
                              "reads '" + name + "', the classifier (logits) layer: logits must be the network's output");
      ins.push_back(fmt[p]);
    }
    if (wl.is_mac()) {
      check_mac_input(e, i, ins[0], wl.inputs[0]);
      check_requant(e, i);
      fmt[i] = l.output;
      is_logits[i] = l.logits;
    } else if (wl.type == LayerType::Add || wl.type == LayerType::Concat) {
      fmt[i] = l.output;
    } else {
      fmt[i] = ins[0];
      if (wl.type == LayerType::ReLU) fmt[i].is_signed = false;  // same codes, negatives gone
    }
  }
  if (e.layers.empty() || !e.layers.back().logits)
    throw spec::SpecError(e.network_file, "network.layers",
                          "the last layer must give the logits: a MAC layer with \"output\": {\"logits\": true, ...}, "
                          "or a global_avgpool with \"output\": {\"logits\": true}");
  return fmt;
}

Forward forward(const Export& e, const std::vector<uint8_t>& image, MacBackend& macs) {
  const auto index = index_by_name(e);
  const std::vector<TensorFormat> fmt = tensor_formats(e);
  Tensor input;
  input.shape = e.workload.input;
  input.values.assign(image.begin(), image.end());
  Forward f;
  f.outputs.resize(e.layers.size());
  f.accs.resize(e.layers.size());
  for (std::size_t i = 0; i < e.layers.size(); ++i) {
    std::vector<const Tensor*> ins;
    for (const std::string& name : e.workload.layers[i].inputs)
      ins.push_back(name == kInput ? &input : &f.outputs[index.at(name)]);
    f.outputs[i] = e.workload.layers[i].is_mac() ? run_mac(e, i, *ins[0], macs, f) : run_other(e, i, ins, fmt);
    if (!e.workload.layers[i].is_mac() && e.layers[i].logits) finish_pooled_logits(*ins[0], fmt[i], f);
  }
  return f;
}

Difference compare_layer(const Forward& a, const Forward& b, std::size_t index) {
  Difference d;
  const auto& va = a.outputs[index].values;
  const auto& vb = b.outputs[index].values;
  const auto& pa = a.accs[index];
  const auto& pb = b.accs[index];
  const std::size_t n = std::max(va.size(), vb.size()), m = std::max(pa.size(), pb.size());
  for (std::size_t i = 0; i < n; ++i)
    if (i >= va.size() || i >= vb.size() || va[i] != vb[i]) {
      if (d.first < 0) d.first = int64_t(i);
      ++d.count;
    }
  // Accumulators are compared too: the logits layer has no requantized output.
  for (std::size_t i = 0; i < m; ++i)
    if (i >= pa.size() || i >= pb.size() || pa[i] != pb[i]) {
      if (d.first < 0) d.first = int64_t(i);
      ++d.count;
    }
  return d;
}

}  // namespace enos::replay
