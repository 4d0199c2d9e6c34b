// Where a training step of a model goes, in both memory formats: the whole forward+backward
// step at batch B, and every MAC layer alone (forward+backward of its convolution at the
// shapes the workload export traced), summed by kind: depthwise, pointwise, dense, fc. What
// the MAC layers do not explain is batch norm, ReLU, split/concat/shuffle and pooling.
// Usage: bench_train_step [model] [batch] [threads] [repeats]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <torch/nn/functional/loss.h>

#include "models/registry.hpp"

using namespace enos;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

const char* kind_of(const spec::Layer& l) {
  if (l.type == spec::LayerType::FullyConnected) return "fc";
  if (l.conv.groups > 1 && l.conv.groups == l.conv.C) return "depthwise";
  return l.conv.R == 1 ? "pointwise" : "dense";
}

// Median seconds of forward + backward of one convolution alone.
double time_layer(const spec::Layer& l, int64_t batch, bool channels_last, int repeats) {
  const pe::ConvShape& s = l.conv;
  const auto format = channels_last ? at::MemoryFormat::ChannelsLast : at::MemoryFormat::Contiguous;
  at::Tensor x = at::randn({batch, s.C, s.H, s.W}).contiguous(format).requires_grad_();
  at::Tensor w = at::randn({s.K, s.C / s.groups, s.R, s.S}).contiguous(format).requires_grad_();
  std::vector<double> t;
  for (int i = 0; i <= repeats; ++i) {
    const auto t0 = Clock::now();
    at::conv2d(x, w, {}, s.stride, s.pad, 1, s.groups).sum().backward();
    if (i > 0) t.push_back(seconds_since(t0));  // the first run warms caches and allocators
  }
  return median(t);
}

double time_step(const std::string& model, int64_t batch, bool channels_last, int repeats) {
  const auto net = models::make_model(model, {});
  if (channels_last) models::to_channels_last(*net);
  at::Tensor x = at::randn({batch, 3, 32, 32});
  if (channels_last) x = x.contiguous(at::MemoryFormat::ChannelsLast);
  const at::Tensor y = at::randint(0, 10, {batch}, at::kLong);
  std::vector<double> t;
  for (int i = 0; i <= repeats; ++i) {
    const auto t0 = Clock::now();
    torch::nn::functional::cross_entropy(net->forward(x), y).backward();
    if (i > 0) t.push_back(seconds_since(t0));
  }
  return median(t);
}

}  // namespace

int main(int argc, char* argv[]) {
  const std::string model = argc > 1 ? argv[1] : "shufflenetv2_x0.5";
  const int64_t batch = argc > 2 ? std::stoll(argv[2]) : 128;
  const int threads = argc > 3 ? std::stoi(argv[3]) : 0;
  const int repeats = argc > 4 ? std::stoi(argv[4]) : 5;
  if (threads > 0) at::set_num_threads(threads); else models::use_all_cores();
  const spec::Workload w = models::export_model(model, {});
  std::printf("%s, batch %lld, %d threads: forward+backward seconds per step (median of %d)\n", model.c_str(),
              static_cast<long long>(batch), at::get_num_threads(), repeats);
  std::printf("%-22s %12s %14s %8s\n", "", "contiguous", "channels_last", "speedup");
  std::map<std::string, double> by_kind[2];
  for (int cl = 0; cl < 2; ++cl)
    for (const spec::Layer& l : w.layers)
      if (l.is_mac()) by_kind[cl][kind_of(l)] += time_layer(l, batch, cl == 1, repeats);
  double mac_total[2] = {0, 0};
  for (const auto& [kind, seconds] : by_kind[0]) {
    const double fast = by_kind[1][kind];
    mac_total[0] += seconds, mac_total[1] += fast;
    std::printf("%-22s %12.3f %14.3f %7.2fx\n", (kind + " convs").c_str(), seconds, fast, seconds / fast);
  }
  const double step[2] = {time_step(model, batch, false, repeats), time_step(model, batch, true, repeats)};
  std::printf("%-22s %12.3f %14.3f %7.2fx\n", "other (step - layers)", step[0] - mac_total[0], step[1] - mac_total[1],
              (step[0] - mac_total[0]) / (step[1] - mac_total[1]));
  std::printf("%-22s %12.3f %14.3f %7.2fx\n", "whole step", step[0], step[1], step[0] / step[1]);
  std::printf("images/s (step only)   %12.0f %14.0f\n", double(batch) / step[0], double(batch) / step[1]);
  return 0;
}
