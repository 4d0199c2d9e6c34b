#pragma once
// ShuffleNet v1 (Zhang et al., CVPR 2018) with 3 groups, width 1×: stages of 4/8/4 units with
// 240/480/960 output channels, adapted to small images as ShuffleNetV2 is (3×3 stride-1 first
// convolution with 24 channels, no max-pool). A unit is grouped 1×1 conv → channel shuffle →
// depthwise 3×3 → grouped 1×1 conv; stride 1 adds the input (`add`), stride 2 concatenates a
// 3×3 average pool of it; a ReLU follows either (a standalone `relu` layer in the workload).
// No torchvision definition exists, so names follow the paper: stageN.U.conv1/conv2/conv3.
#include <torch/nn/modules/container/sequential.h>

#include "models/layers.hpp"

namespace enos::models {

class ShuffleUnitImpl : public torch::nn::Module, public Traced {
 public:
  // groups_first: groups of the first 1×1 conv (1 for the very first unit: its 24 input
  // channels are too few to split).
  ShuffleUnitImpl(const std::string& name, int in, int out, int stride, int groups, int groups_first,
                  const MacLayerFactory& factory);
  torch::Tensor forward(const torch::Tensor& x);

 private:
  int stride_, groups_first_;
  ConvBnAct conv1_{nullptr}, conv2_{nullptr}, conv3_{nullptr};
};
TORCH_MODULE(ShuffleUnit);

class ShuffleNetV1 : public Network {
 public:
  ShuffleNetV1(int in_channels, int classes, const MacLayerFactory& factory);
  torch::Tensor forward(torch::Tensor x) override;

 private:
  torch::nn::Sequential conv1_{nullptr}, stage2_{nullptr}, stage3_{nullptr}, stage4_{nullptr};
  FcLayer fc_{nullptr};
};

}  // namespace enos::models
