#pragma once
// The models by name, their counts, and their export to the workload description.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "models/layers.hpp"
#include "spec/workload.hpp"

namespace enos::models {

struct ModelInfo {
  std::string name;     // "shufflenetv2_x0.5", "shufflenetv2_x1.0", "squeezenet1_1", "shufflenetv1_g3"
  std::string summary;
};
std::vector<ModelInfo> model_catalog();

struct ModelConfig {
  spec::FeatureShape input{3, 32, 32};  // only C changes the network; H and W any size ≥ 8
  int classes = 10;
};

// Builds a model with every MAC layer made by `factory` (float by default). Initialization
// draws from LibTorch's generator: call torch::manual_seed first for a reproducible model.
// std::invalid_argument for an unknown name (listing the known ones).
std::shared_ptr<Network> make_model(const std::string& name, const ModelConfig& config,
                                    const MacLayerFactory& factory = FloatLayerFactory());

// Traces one forward pass of a batch-1 zero input through `net` (in eval mode, restored
// afterwards) and returns its layers as a workload; the result is checked by spec's parser.
spec::Workload export_workload(Network& net, const spec::FeatureShape& input, const std::string& name,
                               const std::string& description);
// The shipped workload name of a model (spec::model_workload_name for its input and classes).
std::string workload_name(const std::string& name, const ModelConfig& config);
// The float model `name` exported under its workload_name.
spec::Workload export_model(const std::string& name, const ModelConfig& config);

int64_t parameter_count(const torch::nn::Module& net);  // trainable parameters, batch norm included

// Converts every 4-d parameter (conv weights) to ChannelsLast: LibTorch 1.13 runs depthwise
// convolutions about 3× faster on ChannelsLast inputs and weights.
void to_channels_last(torch::nn::Module& net);

// LibTorch starts with one intra-op thread on this build; use every core.
void use_all_cores();

}  // namespace enos::models
