#include "search/warm_start.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <stdexcept>

#include <torch/utils.h>

#include "search/enum_names.hpp"
#include "search/searcher.hpp"

namespace enos::search {
namespace {

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// Tensors a quantizing network has and a float checkpoint does not.
bool quantizer_only(const std::string& name) {
  const std::size_t dot = name.rfind('.');
  const std::string leaf = dot == std::string::npos ? name : name.substr(dot + 1);
  return leaf == "alpha" || leaf == "clip" || leaf.rfind("clip_a", 0) == 0 || leaf == "input_mean" ||
         leaf == "input_stddev";
}

std::map<std::string, at::Tensor> target_tensors(torch::nn::Module& net) {
  std::map<std::string, at::Tensor> tensors;
  for (const auto& p : net.named_parameters(true)) tensors[p.key()] = p.value();
  for (const auto& b : net.named_buffers(true)) tensors[b.key()] = b.value();
  return tensors;
}

// The float value of `stored` in the target's shape: a Linear weight [K][C] becomes [K][C][1][1].
at::Tensor fitted(const at::Tensor& stored, const at::Tensor& target) {
  if (stored.sizes() == target.sizes()) return stored;
  if (stored.dim() == 2 && target.dim() == 4 && target.size(2) == 1 && target.size(3) == 1 &&
      stored.size(0) == target.size(0) && stored.size(1) == target.size(1))
    return stored.view(target.sizes());
  return {};
}

}  // namespace

void load_float_checkpoint(torch::nn::Module& net, const std::string& file, const models::CheckpointIdentity& expected) {
  torch::serialize::InputArchive archive;
  models::open_archive(archive, file);
  models::check_identity(models::read_identity(archive, file), expected, file);
  const std::map<std::string, at::Tensor> stored = models::read_stored_tensors(archive, file);
  std::map<std::string, at::Tensor> targets = target_tensors(net);
  std::set<std::string> loaded;
  torch::NoGradGuard no_grad;
  for (const auto& [name, value] : stored) {
    const auto it = targets.find(name);
    if (it == targets.end())
      throw std::invalid_argument(file + ": tensor '" + name + "' has no place in the " + expected.model +
                                  " being searched (another network?)");
    at::Tensor source = fitted(value, it->second);
    if (!source.defined())
      throw std::invalid_argument(file + ": tensor '" + name + "' is " + models::shape_text(value) +
                                  ", the searched network's is " + models::shape_text(it->second));
    const std::string layer = name.substr(0, name.rfind('.'));
    if (ends_with(name, ".weight") && targets.count(layer + ".input_stddev")) {
      // The input layer reads pixels: w·(p − mean)/stddev = (w/stddev)·p + constant.
      source = source / targets.at(layer + ".input_stddev").view({1, -1, 1, 1});
    }
    it->second.copy_(source);
    loaded.insert(name);
  }
  for (const auto& [name, tensor] : targets)
    if (!loaded.count(name) && !quantizer_only(name))
      throw std::invalid_argument(file + ": it has no tensor '" + name + "' (another network?)");
}

namespace {

const EnumNames<ClipMethod>& clip_method_names() {
  static const EnumNames<ClipMethod> names{
      {ClipMethod::Mse, "mse"}, {ClipMethod::Percentile, "percentile"}, {ClipMethod::Lsq, "lsq"}};
  return names;
}

}  // namespace

ClipMethod parse_clip_method(const std::string& text) {
  return parse_enum_name(text, clip_method_names(), "--calibration");
}

std::string to_string(ClipMethod m) { return enum_name(m, clip_method_names()); }

namespace {

// Mean squared error of unsigned `levels`-step quantization with this clip.
double quantization_mse(const std::vector<float>& values, double clip, double levels) {
  const double step = clip / levels;
  double sum = 0;
  for (float v : values) {
    const double q = std::round(std::min(double(v), clip) / step) * step;
    sum += (double(v) - q) * (double(v) - q);
  }
  return sum / double(values.size());
}

}  // namespace

double calibrated_clip(std::vector<float> values, int bits, ClipMethod method) {
  if (values.empty()) return 1.0;
  const double levels = std::ldexp(1.0, bits) - 1;
  std::sort(values.begin(), values.end());
  const double top = std::max(1e-3, double(values.back()));
  switch (method) {
    case ClipMethod::Percentile: {
      const std::size_t at = std::min(values.size() - 1, std::size_t(0.9999 * double(values.size())));
      return std::max(1e-3, double(values[at]));
    }
    case ClipMethod::Lsq: {
      double mean = 0;
      for (float v : values) mean += v;
      mean /= double(values.size());
      return std::max(1e-3, std::min(top, 2 * mean / std::sqrt(levels) * levels));
    }
    case ClipMethod::Mse: {
      double best = top, best_error = quantization_mse(values, top, levels);
      for (int i = 1; i < 200; ++i) {
        const double clip = top * double(i) / 200;
        const double error = quantization_mse(values, clip, levels);
        if (error < best_error) best = clip, best_error = error;
      }
      return best;
    }
  }
  return top;
}

std::vector<std::string> calibrate_supernet(models::Network& net, const std::vector<SuperMac>& layers,
                                            const models::TensorSet& set, const datasets::DatasetInfo& info,
                                            const CalibrationConfig& config) {
  for (SuperMac l : layers) l->set_float();  // (a holder copy: the same layer, mutable)
  recalibrate_batch_norm(net, set, info, config.batch_norm);  // eval mode after
  std::vector<std::vector<float>> inputs(layers.size());
  for (std::size_t i = 0; i < layers.size(); ++i) SuperMac(layers[i])->record_inputs(&inputs[i], 16384);
  {
    torch::NoGradGuard no_grad;
    models::BatchStream batches(models::take_first(set, config.images), 256,
                                models::preprocess_for(info, models::Augment::None, config.batch_norm.channels_last), std::nullopt);
    at::Tensor x, y;
    while (batches.next(x, y)) net.forward(x);
  }
  std::vector<std::string> log;
  torch::NoGradGuard no_grad;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    SuperMac l = layers[i];
    l->record_inputs(nullptr);
    l->set_mixed();
    if (l->reads_pixels()) continue;
    for (int bits : l->activation_widths()) {
      const double clip = calibrated_clip(inputs[i], bits, config.method);
      l->clip(bits).fill_(clip);
      char line[160];
      std::snprintf(line, sizeof line, "%s a%d %.4f", l->options().name.c_str(), bits, clip);
      log.push_back(line);
    }
  }
  net.train();
  return log;
}

}  // namespace enos::search
