#include "search/supernet.hpp"

#include <cmath>
#include <map>
#include <stdexcept>

#include <ATen/ATen.h>
#include <torch/nn/init.h>
#include <torch/nn/modules/container/any.h>

#include "spec/json_reader.hpp"

namespace enos::search {
namespace {

at::Tensor per_output_channel(const at::Tensor& s) { return s.view({-1, 1, 1, 1}); }

}  // namespace

at::Tensor mf_unit(const at::Tensor& weight) { return weight.detach().abs().mean({1, 2, 3}).clamp_min(1e-12); }

namespace {

// Two candidates can share one convolution when they read the same integer activations
// (same A) and have the form conv(x_q, w_q)·scale (int, bin, shift); mf adds a second term.
bool is_mf(const pe::Candidate& c) { return c.kind == pe::OpKind::Mf; }

std::string shape_text(const pe::ConvShape& s) {
  return "C=" + std::to_string(s.C) + " K=" + std::to_string(s.K) + " R=" + std::to_string(s.R) +
         " stride=" + std::to_string(s.stride) + " pad=" + std::to_string(s.pad) + " groups=" + std::to_string(s.groups);
}

bool same_geometry(const pe::ConvShape& a, const pe::ConvShape& b) {
  return a.C == b.C && a.K == b.K && a.R == b.R && a.S == b.S && a.stride == b.stride && a.pad == b.pad &&
         a.groups == b.groups;
}

}  // namespace

SuperMacImpl::SuperMacImpl(SuperMacOptions o) : options_(std::move(o)), choices_(options_.choices) {
  const QuantMacOptions& b = options_.base;
  if (choices_.empty()) throw std::invalid_argument(options_.name + ": no candidate to search over");
  std::vector<double> energies;
  for (const LayerChoice& c : choices_) {
    candidates_.push_back(pe::parse_candidate(c.candidate));
    energies.push_back(c.energy_pj);
  }
  energies_ = torch::tensor(energies, torch::kDouble);
  const int fan_in = b.in_channels / b.groups * b.kernel * b.kernel;
  weight = register_parameter("weight", torch::empty({b.out_channels, b.in_channels / b.groups, b.kernel, b.kernel}));
  torch::nn::init::kaiming_uniform_(weight, std::sqrt(5.0));  // as QuantMac and Conv2d
  if (b.bias) {
    const double bound = 1 / std::sqrt(double(fan_in));
    bias = register_parameter("bias", torch::empty({b.out_channels}).uniform_(-bound, bound));
  }
  if (b.role == models::MacRole::Input) {
    const torch::Tensor pixels = register_buffer("clip", torch::ones({}));  // pixels: see QuantMac
    for (const pe::Candidate& c : candidates_) clips_[c.act_bits] = pixels;
    if (b.input) {
      const auto c = int64_t(b.in_channels);
      input_mean_ = register_buffer("input_mean", torch::tensor(b.input->mean).view({1, c, 1, 1}));
      input_stddev_ = register_buffer("input_stddev", torch::tensor(b.input->stddev).view({1, c, 1, 1}));
    }
  } else {
    for (const pe::Candidate& c : candidates_)
      if (!clips_.count(c.act_bits))
        clips_[c.act_bits] = register_parameter("clip_a" + std::to_string(c.act_bits), torch::full({}, b.initial_clip));
  }
  // Uniform start: no candidate is favoured before the data and the budget speak.
  alpha = torch::zeros({int64_t(choices_.size())});
  if (searchable())
    alpha = register_parameter("alpha", alpha);
  else
    alpha = register_buffer("alpha", alpha);
}

torch::Tensor SuperMacImpl::to_nchw(const torch::Tensor& x) const {
  torch::Tensor t = options_.base.fully_connected ? x.reshape({x.size(0), -1, 1, 1}) : x;
  if (input_mean_.defined()) t = t * input_stddev_ + input_mean_;
  return t;
}

torch::Tensor SuperMacImpl::clip(int bits) const {
  const auto it = clips_.find(bits);
  if (it == clips_.end()) throw std::logic_error(options_.name + ": no candidate reads " + std::to_string(bits) + "-bit activations");
  return it->second;
}

std::vector<int> SuperMacImpl::activation_widths() const {
  std::vector<int> widths;
  for (const auto& entry : clips_) widths.push_back(entry.first);
  return widths;
}

torch::Tensor SuperMacImpl::float_forward(const torch::Tensor& x) {
  const QuantMacOptions& b = options_.base;
  const torch::Tensor in = to_nchw(x);
  if (record_ && !reads_pixels()) {
    const torch::Tensor flat = in.detach().relu().reshape({-1});
    const int64_t stride = std::max<int64_t>(1, flat.numel() / std::max<int64_t>(1, record_limit_));
    const torch::Tensor sample = flat.slice(0, 0, flat.numel(), stride).to(torch::kFloat).contiguous();
    record_->insert(record_->end(), sample.data_ptr<float>(), sample.data_ptr<float>() + sample.numel());
  }
  const torch::Tensor y = at::conv2d(in, weight, bias, b.stride, b.pad, 1, b.groups);
  return b.fully_connected ? y.flatten(1) : y;
}

torch::Tensor SuperMacImpl::probabilities() const { return at::softmax(alpha, 0); }

torch::Tensor SuperMacImpl::expected_energy_pj() const {
  return (probabilities().to(torch::kDouble) * energies_).sum();
}

int SuperMacImpl::argmax() const { return int(alpha.detach().argmax().item<int64_t>()); }

void SuperMacImpl::sample(double temperature) {
  mode_ = PathMode::Sampled;
  // Gumbel(0, 1) noise from LibTorch's generator, so a seed fixes every draw. The top two of
  // the perturbed logits are two draws without replacement from softmax(α / τ).
  const torch::Tensor u = torch::rand_like(alpha.detach()).clamp(1e-10, 1 - 1e-7);  // drawn for pinned layers too
  if (!searchable()) {
    index_ = 0, runner_up_ = -1;
    return;
  }
  const torch::Tensor perturbed = alpha.detach() / temperature - (-u.log()).log();
  const torch::Tensor top = std::get<1>(perturbed.topk(2));
  index_ = int(top[0].item<int64_t>()), runner_up_ = int(top[1].item<int64_t>());
  gates_ = at::softmax(torch::stack({alpha[index_], alpha[runner_up_]}), 0);
}

torch::Tensor SuperMacImpl::combine(const torch::Tensor& x, const std::vector<Term>& terms) const {
  const QuantMacOptions& b = options_.base;
  // Candidates grouped by activation bits: each group quantizes the input once and runs ONE
  // convolution with the mixed weight Σ_c coef_c·s_c·w_c (mf adds sign(w) to it, and its
  // second accumulator conv(sign(x), s_w·w) is the only extra convolution). Every scalar
  // factor (s_x, the coefficients) is folded into the weights, which are far smaller than
  // the activations, and the bias into the first convolution: on small images the
  // element-wise passes over activations cost as much as the convolutions.
  std::map<int, std::vector<const Term*>> groups;
  for (const Term& t : terms) groups[candidates_[std::size_t(t.index)].act_bits].push_back(&t);
  // PACT as quantize_activations, each width with its own clip: x_int = round(min(x, clip_A) / s_x),
  // s_x = clip_A / (2^A − 1).
  const torch::Tensor input = to_nchw(x);  // pact_codes clamps at 0 too
  torch::Tensor y, pending_bias = bias;
  auto conv = [&](const torch::Tensor& in, const torch::Tensor& w) {
    torch::Tensor out = at::conv2d(in, w, pending_bias, b.stride, b.pad, 1, b.groups);
    pending_bias = torch::Tensor();
    y = y.defined() ? y + out : out;
  };
  for (const auto& [bits, members] : groups) {
    const double levels = std::ldexp(1.0, bits) - 1;
    const torch::Tensor positive_clip = clip(bits).clamp_min(1e-4);  // as quantize_activations
    const torch::Tensor scale = positive_clip / levels;
    const torch::Tensor codes = pact_codes(input, positive_clip, levels);
    torch::Tensor mixed;
    for (const Term* t : members) {
      const pe::Candidate& c = candidates_[std::size_t(t->index)];
      const QuantWeights w = quantize_weights(weight, c);
      const torch::Tensor real = w.values * per_output_channel(w.scale);
      if (!is_mf(c)) {
        const torch::Tensor main_weight = t->coefficient * real;
        mixed = mixed.defined() ? mixed + main_weight : main_weight;
        continue;
      }
      // mf's main term Σ sign(w)·x has unit weights, ~1/|w| (10–50×) the others' Σ w·x: in
      // a mix it would drown every other candidate, and the batch norm after the layer would
      // learn statistics no other candidate produces (the argmax network then collapsed to
      // chance). Its output is scaled per output channel by g[k] = mean|w[k]| (detached, as
      // bin's α), which puts it in the units of the real weights; the QuantMac of the
      // discrete network differs by that positive per-channel factor only, which the batch
      // norm after it absorbs (its statistics are re-estimated, recalibrate_batch_norm).
      const torch::Tensor g = t->coefficient * per_output_channel(mf_unit(weight));
      mixed = mixed.defined() ? mixed + g * w.values.detach().sign() : g * w.values.detach().sign();
      conv(codes.detach().sign(), g * real);
    }
    conv(codes, scale * mixed);
  }
  return b.fully_connected ? y.flatten(1) : y;
}

torch::Tensor SuperMacImpl::forward(const torch::Tensor& x) {
  if (mode_ == PathMode::Float) return float_forward(x);
  std::vector<Term> terms;
  const torch::Tensor one = torch::ones({}, x.options());
  if (!searchable() || mode_ == PathMode::Hard) {
    terms.push_back({searchable() ? index_ : 0, one});
  } else if (mode_ == PathMode::Sampled) {
    // Binary gates (sample()): values 1 and 0, gradients of the two gates to α.
    const torch::Tensor g = gates_.to(x.scalar_type());
    terms.push_back({index_, one + g[0] - g[0].detach()});
    terms.push_back({runner_up_, g[1] - g[1].detach()});
  } else {
    const torch::Tensor p = probabilities();
    for (int i = 0; i < int(choices_.size()); ++i) terms.push_back({i, p[i]});
  }
  return combine(x, terms);
}

SuperMacOptions SupernetFactory::options_for_layer(const std::string& name, models::MacRole role,
                                                   const pe::ConvShape& shape, QuantMacOptions base) const {
  const energy::Lut& lut = *config_.lut;
  const energy::LutLayer* entry = nullptr;
  std::size_t index = 0;
  for (std::size_t i = 0; i < lut.layers.size(); ++i)
    if (lut.layers[i].name == name) entry = &lut.layers[i], index = i;
  if (!entry)
    throw spec::SpecError(config_.lut_file, "layers",
                          "no entry for layer '" + name + "' of the model (the LUT was made for workload '" +
                              lut.workload.name + "'; characterize this model's workload)");
  const std::string path = "layers[" + std::to_string(index) + "]";
  if (!same_geometry(entry->shape, shape))
    throw spec::SpecError(config_.lut_file, path + ".shape",
                          "layer '" + name + "' is " + shape_text(entry->shape) + " in the LUT but " +
                              shape_text(shape) + " in the model");
  SuperMacOptions o;
  o.name = name;
  o.base = std::move(base);
  if (role == models::MacRole::Input) o.base.input = config_.input;
  const int64_t fan_in = shape.reduction();
  const bool pin = config_.pin_first_last && role != models::MacRole::Hidden;
  for (const energy::LutEntry& e : entry->entries) {
    const pe::Candidate c = pe::parse_candidate(e.candidate);
    if (pin && c != *config_.pin_first_last) continue;
    if (!pin && config_.int_only && c.kind != pe::OpKind::Int) continue;
    if (!pin && config_.only && e.candidate != *config_.only) continue;
    if (max_partial_sum(c, fan_in) >= std::ldexp(1.0, 53)) continue;  // QuantMac could not sum it exactly
    o.choices.push_back({e.candidate, e.energy_pj, e.cycles});
  }
  o.pinned = pin;
  if (pin && o.choices.empty())
    throw spec::SpecError(config_.lut_file, path + ".entries",
                          "layer '" + name + "' is pinned to " + pe::to_string(*config_.pin_first_last) +
                              ", which the LUT does not price");
  if (o.choices.empty())
    throw spec::SpecError(config_.lut_file, path + ".entries", "layer '" + name + "' has no usable candidate");
  return o;
}

torch::nn::AnyModule SupernetFactory::conv(const models::ConvSpec& spec) const {
  pe::ConvShape shape;
  shape.C = spec.in_channels, shape.K = spec.out_channels, shape.R = shape.S = spec.kernel;
  shape.stride = spec.stride, shape.pad = spec.pad, shape.groups = spec.groups;
  const pe::Candidate unused;
  return torch::nn::AnyModule(SuperMac(options_for_layer(spec.name, spec.role, shape, options_for(spec, unused))));
}

torch::nn::AnyModule SupernetFactory::fc(const models::FcSpec& spec) const {
  const pe::ConvShape shape = pe::fully_connected(spec.in_features, spec.out_features);
  const pe::Candidate unused;
  return torch::nn::AnyModule(SuperMac(options_for_layer(spec.name, spec.role, shape, options_for(spec, unused))));
}

std::vector<SuperMac> supernet_layers(torch::nn::Module& net, const energy::Lut& lut, const std::string& lut_file) {
  std::map<std::string, SuperMac> by_name;
  for (const auto& m : net.modules()) {
    if (auto layer = std::dynamic_pointer_cast<SuperMacImpl>(m)) by_name.emplace(layer->options().name, SuperMac(layer));
  }
  std::vector<SuperMac> layers;
  for (std::size_t i = 0; i < lut.layers.size(); ++i) {
    const auto it = by_name.find(lut.layers[i].name);
    if (it == by_name.end())
      throw spec::SpecError(lut_file, "layers[" + std::to_string(i) + "].name",
                            "layer '" + lut.layers[i].name + "' is not a MAC layer of the model");
    layers.push_back(it->second);
  }
  return layers;
}

torch::Tensor expected_energy_pj(const std::vector<SuperMac>& layers) {
  torch::Tensor total = torch::zeros({}, torch::kDouble);
  for (const SuperMac& l : layers) total = total + l->expected_energy_pj();
  return total;
}

double assignment_energy_pj(const std::vector<SuperMac>& layers, const std::vector<int>& assignment) {
  double total = 0;
  for (std::size_t i = 0; i < layers.size(); ++i) total += layers[i]->choices()[std::size_t(assignment[i])].energy_pj;
  return total;
}

std::vector<int> argmax_assignment(const std::vector<SuperMac>& layers) {
  std::vector<int> a;
  for (const SuperMac& l : layers) a.push_back(l->argmax());
  return a;
}

double minimum_energy_pj(const std::vector<SuperMac>& layers) {
  double total = 0;
  for (const SuperMac& l : layers) {
    double best = l->choices().front().energy_pj;
    for (const LayerChoice& c : l->choices()) best = std::min(best, c.energy_pj);
    total += best;
  }
  return total;
}

}  // namespace enos::search
