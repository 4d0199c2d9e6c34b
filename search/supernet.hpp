#pragma once
// The ENOS supernet (docs/search.md "Supernet"): every searchable MAC layer keeps ONE latent
// float weight and ONE activation clip shared by its candidates, and architecture logits α
// over the candidates the LUT lists for the layer. The expected energy
// E(α) = Σ_layers Σ_c softmax(α)_c · LUT[layer][c] is differentiable in α.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include "energy/lut.hpp"
#include "models/layers.hpp"
#include "search/quant_layer.hpp"

namespace enos::search {

// How a layer's forward combines its candidates in the current step.
enum class PathMode {
  Float,    // the latent float weight on the unquantized input: the trained float network
            // (calibration of the quantizers reads the inputs it sees)
  Mixed,    // Σ_c softmax(α)_c · y_c, with the candidates that share an arithmetic form in one conv
  Hard,     // only candidate `index` (no gradient to α)
  Sampled   // candidate `index` in value; it and a runner-up in the gradient (binary gates, below)
};

struct LayerChoice {
  std::string candidate;
  double energy_pj = 0;
  int64_t latency_cycles = 0;
};

struct SuperMacOptions {
  std::string name;                 // the workload's layer name
  QuantMacOptions base;             // geometry, role, bias, input normalization (candidate unused)
  std::vector<LayerChoice> choices; // the LUT's candidates for this layer (one when pinned)
  bool pinned = false;
};

class SuperMacImpl : public torch::nn::Module {
 public:
  explicit SuperMacImpl(SuperMacOptions options);

  torch::Tensor forward(const torch::Tensor& x);

  // The path of the next forward passes (set by the searcher before each step).
  void set_mixed() { mode_ = PathMode::Mixed; }
  void set_float() { mode_ = PathMode::Float; }
  // While set, Float forwards append a strided sample of their (non-negative) inputs here,
  // at most `limit` values per call, for calibrate_clips. Null stops recording.
  void record_inputs(std::vector<float>* sink, int64_t limit = 4096) { record_ = sink, record_limit_ = limit; }
  void set_hard(int index) { mode_ = PathMode::Hard, index_ = index; }
  // Draws two distinct candidates, the top two of α / τ + Gumbel noise (LibTorch's seeded
  // generator): the first is the path the forward computes, the second competes with it
  // only in the gradient. Their gates g = softmax(α_first, α_second) enter the forward as
  // (1 + g₁ − sg(g₁)) and (g₂ − sg(g₂)): the value is the first candidate's output alone, and
  // ∂L/∂g₂ = ⟨∂L/∂y, y₂⟩ says whether moving toward the runner-up lowers the loss
  // (ProxylessNAS's binary gates). A single path's gate gets no such signal when a batch norm
  // follows: it only scales y, to which the normalized output is blind.
  void sample(double temperature);

  torch::Tensor probabilities() const;     // softmax(α), [n]
  torch::Tensor expected_energy_pj() const;  // Σ_c p_c · E_c (0-dim, differentiable in α)
  int argmax() const;
  bool searchable() const { return choices_.size() > 1; }
  const std::vector<LayerChoice>& choices() const { return choices_; }
  const std::vector<pe::Candidate>& candidates() const { return candidates_; }
  const SuperMacOptions& options() const { return options_; }

  // The PACT clip of the candidates that read `bits`-bit activations ("clip_a<bits>"; one per
  // activation width, so a2 need not live with a8's range); the input layer's is the fixed 1
  // of pixels ("clip", a buffer).
  torch::Tensor clip(int bits) const;
  std::vector<int> activation_widths() const;  // of the candidates, ascending
  bool reads_pixels() const { return options_.base.role == models::MacRole::Input; }

  torch::Tensor weight;  // latent float weight [K][C/g][R][S], shared by every candidate
  torch::Tensor bias;    // undefined without bias
  torch::Tensor alpha;   // architecture logits [n] (a parameter only when searchable)

 private:
  // One candidate's weight in the mix: coefficient × its real weight.
  struct Term {
    int index;
    torch::Tensor coefficient;
  };
  torch::Tensor combine(const torch::Tensor& x, const std::vector<Term>& terms) const;
  torch::Tensor float_forward(const torch::Tensor& x);
  torch::Tensor to_nchw(const torch::Tensor& x) const;

  SuperMacOptions options_;
  std::vector<LayerChoice> choices_;
  std::vector<pe::Candidate> candidates_;
  torch::Tensor energies_;  // [n] pJ, double
  torch::Tensor input_mean_, input_stddev_;
  std::map<int, torch::Tensor> clips_;  // by activation width
  PathMode mode_ = PathMode::Mixed;
  std::vector<float>* record_ = nullptr;
  int64_t record_limit_ = 0;
  int index_ = 0;
  int runner_up_ = -1;           // Sampled: the second candidate, -1 when the layer has one
  torch::Tensor gates_;          // Sampled: softmax(α_index, α_runner_up), differentiable in α
};
TORCH_MODULE(SuperMac);

struct SupernetConfig {
  const energy::Lut* lut = nullptr;                // must outlive the factory
  std::string lut_file;                            // for errors
  std::optional<pe::Candidate> pin_first_last = pe::reference_candidate();
  std::optional<InputNormalization> input;
  bool int_only = false;  // the mixed-precision baseline: only int:* candidates (EdMIPS-like)
  std::optional<std::string> only;  // a uni-operator network: hidden layers get this candidate alone
};

// The per-output-channel factor [K] by which the supernet scales an mf candidate's output
// (mean|w[k]| of the latent weight, detached): it puts mf's Σ sign(w)·x in the units of the
// other candidates' Σ w·x. A QuantMac of mf differs from its supernet path by this factor only.
torch::Tensor mf_unit(const torch::Tensor& weight);

// Builds a SuperMac for every MAC layer of a model from the LUT entry of the same name.
// std::invalid_argument (file, JSON path, reason) for a layer the LUT lacks, a shape that
// differs, or a pinned candidate the LUT does not price.
class SupernetFactory final : public models::MacLayerFactory {
 public:
  explicit SupernetFactory(SupernetConfig config) : config_(std::move(config)) {}
  torch::nn::AnyModule conv(const models::ConvSpec& spec) const override;
  torch::nn::AnyModule fc(const models::FcSpec& spec) const override;

 private:
  SuperMacOptions options_for_layer(const std::string& name, models::MacRole role, const pe::ConvShape& shape,
                                    QuantMacOptions base) const;
  SupernetConfig config_;
};

// The SuperMac layers of a network in the LUT's (workload) order; std::invalid_argument when
// the LUT names layers the network does not have.
std::vector<SuperMac> supernet_layers(torch::nn::Module& net, const energy::Lut& lut, const std::string& lut_file);

// Σ over layers of their expected energy, pJ (differentiable in every α).
torch::Tensor expected_energy_pj(const std::vector<SuperMac>& layers);
// The energy of one candidate index per layer, pJ.
double assignment_energy_pj(const std::vector<SuperMac>& layers, const std::vector<int>& assignment);
std::vector<int> argmax_assignment(const std::vector<SuperMac>& layers);
// The cheapest assignment's energy: the least any network of this supernet can cost.
double minimum_energy_pj(const std::vector<SuperMac>& layers);

}  // namespace enos::search
