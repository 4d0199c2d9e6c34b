#pragma once
// SqueezeNet 1.1 (Iandola et al. 2016; torchvision's squeezenet1_1) adapted to small images:
// the first convolution is 3×3 with stride 1 and padding 1 (torchvision: stride 2, no padding)
// and the max-pools pad by 1 instead of rounding up (the workload format has no ceil mode;
// both give 16/8/4 on 32×32 inputs). Every convolution but the classifier's is followed by
// batch norm so the network trains from scratch at SGD rates (docs/models.md). Module paths
// follow torchvision's (features.0, features.3.squeeze, classifier.1).
#include <torch/nn/modules/container/sequential.h>

#include "models/layers.hpp"

namespace enos::models {

// squeeze 1×1 → (expand 1×1 ‖ expand 3×3) → concat.
class FireImpl : public torch::nn::Module, public Traced {
 public:
  FireImpl(const std::string& name, int in, int squeeze, int expand1x1, int expand3x3, const MacLayerFactory& factory);
  torch::Tensor forward(const torch::Tensor& x);

 private:
  ConvBnAct squeeze_{nullptr}, expand1x1_{nullptr}, expand3x3_{nullptr};
};
TORCH_MODULE(Fire);

class SqueezeNet : public Network {
 public:
  SqueezeNet(int in_channels, int classes, const MacLayerFactory& factory);
  torch::Tensor forward(torch::Tensor x) override;

 private:
  torch::nn::Sequential features_{nullptr}, classifier_{nullptr};
};

}  // namespace enos::models
