#pragma once
// ShuffleNetV2 (Ma et al., ECCV 2018) as torchvision defines it, adapted to small images the
// usual CIFAR way: the first convolution is 3×3 with stride 1 and there is no max-pool, so a
// 32×32 input reaches the first stage at full size (docs/models.md). Module paths follow
// torchvision's (conv1.0, stage2.0.branch2.3, conv5.0, fc): they are the workload's layer names.
#include <vector>

#include <torch/nn/modules/container/sequential.h>

#include "models/layers.hpp"

namespace enos::models {

struct ShuffleNetV2Config {
  std::vector<int> repeats{4, 8, 4};    // units of stages 2, 3, 4
  std::vector<int> channels;            // conv1, stage2, stage3, stage4, conv5
  int in_channels = 3, classes = 10;
};
// width 0.5 → 24/48/96/192/1024, 1.0 → 24/116/232/464/1024, 1.5, 2.0 as torchvision.
ShuffleNetV2Config shufflenetv2_config(double width, int in_channels, int classes);

// One unit: stride 2 runs both branches on the whole input (downsampling); stride 1 splits
// the channels in half and runs branch 2 on the second half. Concat, then channel shuffle.
class InvertedResidualImpl : public torch::nn::Module, public Traced {
 public:
  InvertedResidualImpl(const std::string& name, int in, int out, int stride, const MacLayerFactory& factory);
  torch::Tensor forward(const torch::Tensor& x);

 private:
  int stride_;
  torch::nn::Sequential branch1_{nullptr}, branch2_{nullptr};
};
TORCH_MODULE(InvertedResidual);

class ShuffleNetV2 : public Network {
 public:
  ShuffleNetV2(const ShuffleNetV2Config& config, const MacLayerFactory& factory);
  torch::Tensor forward(torch::Tensor x) override;

 private:
  torch::nn::Sequential conv1_{nullptr}, stage2_{nullptr}, stage3_{nullptr}, stage4_{nullptr}, conv5_{nullptr};
  FcLayer fc_{nullptr};
};

}  // namespace enos::models
