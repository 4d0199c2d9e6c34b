#pragma once
// The one place MAC layers are made: every convolution and fully connected layer of every
// model is built by a MacLayerFactory, so the operator search can swap the operator of each
// layer (quantized, binary, multiplication-free, shift) without touching the model code.
// Batch norm, ReLU and the non-MAC operations stay in the models.
#include <memory>
#include <string>

#include <torch/nn/module.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/container/any.h>
#include <torch/nn/pimpl.h>

#include "models/trace.hpp"

namespace enos::models {

// Where a MAC layer sits: the search pins the first and last layers to a wide operator.
enum class MacRole {
  Input,   // reads the network input (the first layer)
  Hidden,
  Output   // produces the logits (the last MAC layer)
};

struct ConvSpec {
  std::string name;  // the layer's name in the exported workload, e.g. "stage2.0.branch2.3"
  int in_channels = 1, out_channels = 1;
  int kernel = 1, stride = 1, pad = 0, groups = 1;
  bool bias = false;  // false when a batch norm follows
  MacRole role = MacRole::Hidden;
};

struct FcSpec {
  std::string name;
  int in_features = 1, out_features = 1;
  bool bias = true;
  MacRole role = MacRole::Output;
};

class MacLayerFactory {
 public:
  virtual ~MacLayerFactory() = default;
  // A module with forward(Tensor N×C×H×W) → Tensor N×K×P×Q, the convolution of `spec`
  // (square kernel, zero padding). Its parameters are registered under the returned module.
  virtual torch::nn::AnyModule conv(const ConvSpec& spec) const = 0;
  // A module with forward(Tensor N×in) → Tensor N×out.
  virtual torch::nn::AnyModule fc(const FcSpec& spec) const = 0;
};

// The default: float torch::nn::Conv2d and torch::nn::Linear with PyTorch's initialization.
class FloatLayerFactory final : public MacLayerFactory {
 public:
  torch::nn::AnyModule conv(const ConvSpec& spec) const override;
  torch::nn::AnyModule fc(const FcSpec& spec) const override;
};

// Convolution → optional batch norm → optional ReLU: one `conv` layer of the workload (the
// requantization stage folds batch norm and applies ReLU, docs/operators.md).
class ConvBnActImpl : public torch::nn::Module, public Traced {
 public:
  ConvBnActImpl(const ConvSpec& spec, const MacLayerFactory& factory, bool batch_norm, bool relu);
  torch::Tensor forward(const torch::Tensor& x);
  const ConvSpec& spec() const { return spec_; }
  // Whether the float output is ReLU'd: without it the output has negative values, which the
  // export keeps (a signed tensor) unless a MAC layer's quantizer reads them directly.
  bool applies_relu() const { return relu_; }
  // Starts the batch norm's scale at 0, so that a residual branch ending here starts as the
  // identity (Goyal et al. 2017; torchvision's zero_init_residual).
  void zero_init_scale();

 private:
  ConvSpec spec_;
  torch::nn::AnyModule conv_;
  torch::nn::BatchNorm2d bn_{nullptr};
  bool relu_;
};
TORCH_MODULE(ConvBnAct);

// Flatten → fully connected: one `fc` layer of the workload.
class FcLayerImpl : public torch::nn::Module, public Traced {
 public:
  FcLayerImpl(const FcSpec& spec, const MacLayerFactory& factory);
  torch::Tensor forward(const torch::Tensor& x);
  const FcSpec& spec() const { return spec_; }

 private:
  FcSpec spec_;
  torch::nn::AnyModule fc_;
};
TORCH_MODULE(FcLayer);

// Max pooling or global average pooling as a module, for Sequential containers.
class PoolImpl : public torch::nn::Module, public Traced {
 public:
  // kernel 0: global average pooling; otherwise max pooling.
  PoolImpl(const std::string& name, int kernel, int stride, int pad);
  torch::Tensor forward(const torch::Tensor& x);

 private:
  int kernel_, stride_, pad_;
};
TORCH_MODULE(Pool);

// A whole network: the root of the module tree, named "" so its own layers get plain names.
class Network : public torch::nn::Module, public Traced {
 public:
  Network() : Traced("") {}
  virtual torch::Tensor forward(torch::Tensor x) = 0;  // N×C×H×W images → N×classes logits
};

}  // namespace enos::models
