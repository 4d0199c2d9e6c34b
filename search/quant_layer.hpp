#pragma once
// The fake-quantized MAC layer of one candidate, and the factory that puts one in every MAC
// layer of a model (models::MacLayerFactory), with the first and last layers pinned.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include "models/layers.hpp"
#include "pe/candidate.hpp"
#include "pe/conv_shape.hpp"
#include "search/quantize.hpp"

namespace enos::search {

// The dataset's per-channel normalization (pixels scaled to [0, 1]); the input layer undoes
// it so that it sees the image as unsigned pixels, which the integer semantics can represent.
struct InputNormalization {
  std::vector<float> mean, stddev;
};

struct QuantMacOptions {
  pe::Candidate candidate;
  models::MacRole role = models::MacRole::Hidden;
  bool fully_connected = false;  // forward takes N×in and returns N×out
  int in_channels = 1, out_channels = 1, kernel = 1, stride = 1, pad = 0, groups = 1;
  bool bias = false;
  std::optional<InputNormalization> input;  // only for MacRole::Input
  double initial_clip = 4.0;                // PACT clip of hidden layers (inputs are post-BN ReLU outputs)
};
QuantMacOptions options_for(const models::ConvSpec& spec, const pe::Candidate& c);
QuantMacOptions options_for(const models::FcSpec& spec, const pe::Candidate& c);

class QuantMacImpl : public torch::nn::Module {
 public:
  explicit QuantMacImpl(const QuantMacOptions& options);

  // Real output (+ float bias), dtype of x. In eval mode from the exact integer accumulators
  // (what the replay computes); in train mode from one float32 convolution (training_forward).
  torch::Tensor forward(const torch::Tensor& x);
  // The pieces of forward, for the export, the tests and the supernet.
  QuantActivations quantize_input(const torch::Tensor& x) const;  // x as forward takes it
  QuantWeights quantize_weight() const { return quantize_weights(weight, options_.candidate); }
  Accumulators accumulate(const torch::Tensor& x) const;  // N×K×P×Q (fc: N×K×1×1), bias excluded

  const QuantMacOptions& options() const { return options_; }
  ConvGeometry geometry() const { return {options_.stride, options_.pad, options_.groups}; }
  // The layer as pe::reference_conv sees it, for an H×W input (fully connected: 1×1).
  pe::ConvShape shape(int height = 1, int width = 1) const;

  torch::Tensor weight;  // latent float weight [K][C/g][R][S]
  torch::Tensor bias;    // undefined when options().bias is false
  torch::Tensor clip;    // PACT clip: a parameter, except the input layer's fixed 1 (pixels)

 private:
  torch::Tensor to_nchw(const torch::Tensor& x) const;
  torch::Tensor training_forward(const torch::Tensor& x);
  QuantMacOptions options_;
  torch::Tensor input_mean_, input_stddev_;  // [1][C][1][1]; undefined without normalization
};
TORCH_MODULE(QuantMac);

// What the replay needs of one layer (bias stays float here; the requantization folds it).
struct LayerExport {
  pe::Candidate candidate;
  std::vector<int32_t> weight_codes;  // [K][C/g][R][S], as pe::LayerData stores them
  std::vector<double> weight_scale;   // s_w[k] (bin: α[k], shift: 2^o[k])
  double act_scale = 0;               // s_x
  std::vector<double> bias;           // empty without bias
};
LayerExport export_layer(const QuantMacImpl& layer);

// The integer activations [C][H][W] of batch item `item` as the layer quantizes `x`, in
// pe::LayerData order (fully connected: [in]).
std::vector<int32_t> integer_activations(const QuantMacImpl& layer, const torch::Tensor& x, int64_t item = 0);

struct QuantFactoryConfig {
  pe::Candidate candidate;  // every MAC layer not pinned or listed in per_layer
  // The first (MacRole::Input) and last (MacRole::Output) layers' candidate; nullopt: no pinning.
  std::optional<pe::Candidate> pin_first_last = pe::reference_candidate();
  std::map<std::string, pe::Candidate> per_layer;  // by layer name; pinning wins over it
  std::optional<InputNormalization> input;          // the dataset's, for the input layer
};

class QuantLayerFactory final : public models::MacLayerFactory {
 public:
  explicit QuantLayerFactory(QuantFactoryConfig config) : config_(std::move(config)) {}
  torch::nn::AnyModule conv(const models::ConvSpec& spec) const override;
  torch::nn::AnyModule fc(const models::FcSpec& spec) const override;
  pe::Candidate candidate_for(const std::string& name, models::MacRole role) const;

 private:
  QuantFactoryConfig config_;
};

}  // namespace enos::search
