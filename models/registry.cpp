#include "models/registry.hpp"

#include <stdexcept>
#include <thread>

#include <ATen/Parallel.h>
#include <torch/nn/module.h>

#include "models/shufflenet.hpp"
#include "models/shufflenet_v1.hpp"
#include "models/squeezenet.hpp"
#include "models/workload_text.hpp"
#include "spec/json_reader.hpp"
#include "spec/workload_files.hpp"

namespace enos::models {

std::vector<ModelInfo> model_catalog() {
  return {{"shufflenetv2_x0.5", "ShuffleNetV2 ×0.5 (stages 48/96/192, conv5 1024)"},
          {"shufflenetv2_x1.0", "ShuffleNetV2 ×1.0 (stages 116/232/464, conv5 1024)"},
          {"squeezenet1_1", "SqueezeNet 1.1 with batch norm (8 fire modules)"},
          {"shufflenetv1_g3", "ShuffleNet v1, 3 groups, 1× (stages 240/480/960)"}};
}

std::shared_ptr<Network> make_model(const std::string& name, const ModelConfig& c, const MacLayerFactory& factory) {
  if (name == "shufflenetv2_x0.5")
    return std::make_shared<ShuffleNetV2>(shufflenetv2_config(0.5, c.input.C, c.classes), factory);
  if (name == "shufflenetv2_x1.0")
    return std::make_shared<ShuffleNetV2>(shufflenetv2_config(1.0, c.input.C, c.classes), factory);
  if (name == "squeezenet1_1") return std::make_shared<SqueezeNet>(c.input.C, c.classes, factory);
  if (name == "shufflenetv1_g3") return std::make_shared<ShuffleNetV1>(c.input.C, c.classes, factory);
  std::string known;
  for (const ModelInfo& m : model_catalog()) known += (known.empty() ? "" : ", ") + m.name;
  throw std::invalid_argument("unknown model '" + name + "' (known: " + known + ")");
}

spec::Workload export_workload(Network& net, const spec::FeatureShape& input, const std::string& name,
                               const std::string& description) {
  const bool was_training = net.is_training();
  net.eval();  // batch norm on a batch of one needs running statistics
  torch::NoGradGuard no_grad;
  const at::Tensor x = at::zeros({1, input.C, input.H, input.W});
  Trace trace(x);
  {
    TraceScope scope(net, trace);
    net.forward(x);
  }
  net.train(was_training);
  spec::Workload w;
  w.name = name, w.description = description, w.input = input, w.layers = trace.layers();
  // spec's parser infers every shape again from the layer parameters: a disagreement with the
  // traced shapes is a bug in a model or in the trace.
  try {
    const spec::Workload parsed = spec::parse_workload(spec::to_json(w), name);
    for (std::size_t i = 0; i < w.layers.size(); ++i)
      if (parsed.layers[i].out != w.layers[i].out)
        throw std::logic_error("layer '" + w.layers[i].name + "': traced " + spec::to_string(w.layers[i].out) +
                               ", the workload format infers " + spec::to_string(parsed.layers[i].out));
  } catch (const spec::SpecError& e) {
    throw std::logic_error(std::string("exported workload is invalid: ") + e.what());
  }
  return w;
}

std::string workload_name(const std::string& name, const ModelConfig& c) {
  return spec::model_workload_name(name, input_shape_text(c.input), c.classes);
}

spec::Workload export_model(const std::string& name, const ModelConfig& c) {
  const std::shared_ptr<Network> net = make_model(name, c);
  const std::string shape = input_shape_text(c.input);
  const std::string description = name + " for " + shape + " inputs and " + std::to_string(c.classes) +
                                  " classes, exported by `enos models --export` from models/ (batch norm and "
                                  "ReLU folded into each conv)";
  return export_workload(*net, c.input, workload_name(name, c), description);
}

int64_t parameter_count(const torch::nn::Module& net) {
  int64_t n = 0;
  for (const at::Tensor& p : net.parameters()) n += p.numel();
  return n;
}

void to_channels_last(torch::nn::Module& net) {
  torch::NoGradGuard no_grad;
  for (at::Tensor& p : net.parameters())
    if (p.dim() == 4) p.set_data(p.contiguous(at::MemoryFormat::ChannelsLast));
}

void use_all_cores() {
  const unsigned cores = std::thread::hardware_concurrency();
  if (cores > 0) at::set_num_threads(int(cores));
}

}  // namespace enos::models
