#include "models/trace.hpp"

#include <stdexcept>

#include <ATen/ATen.h>
#include <torch/nn/module.h>

namespace enos::models {
namespace {

// A 1×C×H×W map, or the 1×K output of a fully connected layer (K×1×1 in the workload).
spec::FeatureShape shape_of(const at::Tensor& t, const std::string& layer) {
  if (t.dim() == 2 && t.size(0) == 1) return {int(t.size(1)), 1, 1};
  if (t.dim() != 4 || t.size(0) != 1)
    throw std::logic_error("trace of '" + layer + "': expected a batch-1 tensor of 2 or 4 dimensions, got " +
                           std::to_string(t.dim()) + " dimensions");
  return {int(t.size(1)), int(t.size(2)), int(t.size(3))};
}

}  // namespace

Trace::Trace(const at::Tensor& input) { outputs_.emplace_back(input, "input"); }

std::string Trace::producer(const at::Tensor& t) const {
  for (auto it = outputs_.rbegin(); it != outputs_.rend(); ++it)
    if (it->first.unsafeGetTensorImpl() == t.unsafeGetTensorImpl()) return it->second;
  throw std::logic_error("trace: a layer reads a tensor no traced layer produced (an untraced operation?)");
}

void Trace::add(spec::Layer layer, const std::vector<at::Tensor>& ins, const at::Tensor& out) {
  for (const at::Tensor& in : ins) layer.inputs.push_back(producer(in));
  layer.in = shape_of(ins.at(0), layer.name);
  layer.out = shape_of(out, layer.name);
  outputs_.emplace_back(out, layer.name);
  layers_.push_back(std::move(layer));
}

void Trace::mac(spec::Layer layer, const at::Tensor& in, const at::Tensor& out) {
  const spec::FeatureShape s = shape_of(in, layer.name);
  if (layer.type == spec::LayerType::FullyConnected) {
    layer.conv = pe::fully_connected(s.C * s.H * s.W, layer.conv.K);
  } else {
    layer.conv.H = s.H, layer.conv.W = s.W;
    if (layer.conv.C != s.C)
      throw std::logic_error("trace of '" + layer.name + "': built for " + std::to_string(layer.conv.C) +
                             " input channels, got " + std::to_string(s.C));
  }
  add(std::move(layer), {in}, out);
}

void Trace::op(spec::Layer layer, const std::vector<at::Tensor>& ins, const at::Tensor& out) {
  add(std::move(layer), ins, out);
}

TraceScope::TraceScope(torch::nn::Module& root, Trace& trace) {
  for (const auto& item : root.named_modules("", /*include_self=*/true)) {
    auto* traced = dynamic_cast<Traced*>(item.value().get());
    if (!traced) continue;
    if (traced->layer_name() != item.key())
      throw std::logic_error("module at '" + item.key() + "' calls itself '" + traced->layer_name() + "'");
    traced->set_trace(&trace);
    attached_.push_back(traced);
  }
}

TraceScope::~TraceScope() {
  for (Traced* t : attached_) t->set_trace(nullptr);
}

namespace {

spec::Layer op_layer(const std::string& name, spec::LayerType type) {
  spec::Layer l;
  l.name = name;
  l.type = type;
  return l;
}

}  // namespace

at::Tensor traced_concat(Trace* trace, const std::string& name, const std::vector<at::Tensor>& xs) {
  at::Tensor y = at::cat(xs, 1);
  if (trace) trace->op(op_layer(name, spec::LayerType::Concat), xs, y);
  return y;
}

std::vector<at::Tensor> traced_split(Trace* trace, const std::string& name, const at::Tensor& x, int parts) {
  std::vector<at::Tensor> chunks = x.chunk(parts, 1);
  for (int i = 0; trace && i < parts; ++i) {
    spec::Layer l = op_layer(name + "." + std::to_string(i), spec::LayerType::Split);
    l.groups = parts, l.part = i;
    trace->op(std::move(l), {x}, chunks[std::size_t(i)]);
  }
  return chunks;
}

at::Tensor traced_channel_shuffle(Trace* trace, const std::string& name, const at::Tensor& x, int groups) {
  const int64_t n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
  at::Tensor y;
  if (x.is_contiguous(at::MemoryFormat::ChannelsLast) && !x.is_contiguous()) {
    // Shuffle along the innermost (channel) axis of the NHWC storage, then view it as NCHW
    // again: the result stays ChannelsLast, which the convolutions after it need to be fast.
    y = x.permute({0, 2, 3, 1}).reshape({n, h, w, groups, c / groups}).transpose(3, 4).reshape({n, h, w, c});
    y = y.permute({0, 3, 1, 2});
  } else {
    y = x.view({n, groups, c / groups, h, w}).transpose(1, 2).reshape({n, c, h, w});
  }
  if (trace) {
    spec::Layer l = op_layer(name, spec::LayerType::ChannelShuffle);
    l.groups = groups;
    trace->op(std::move(l), {x}, y);
  }
  return y;
}

at::Tensor traced_max_pool(Trace* trace, const std::string& name, const at::Tensor& x, int kernel, int stride,
                           int pad) {
  at::Tensor y = at::max_pool2d(x, {kernel, kernel}, {stride, stride}, {pad, pad});
  if (trace) {
    spec::Layer l = op_layer(name, spec::LayerType::MaxPool);
    l.kernel = kernel, l.stride = stride, l.pad = pad;
    trace->op(std::move(l), {x}, y);
  }
  return y;
}

at::Tensor traced_avg_pool(Trace* trace, const std::string& name, const at::Tensor& x, int kernel, int stride,
                           int pad) {
  at::Tensor y = at::avg_pool2d(x, {kernel, kernel}, {stride, stride}, {pad, pad});
  if (trace) {
    spec::Layer l = op_layer(name, spec::LayerType::AvgPool);
    l.kernel = kernel, l.stride = stride, l.pad = pad;
    trace->op(std::move(l), {x}, y);
  }
  return y;
}

at::Tensor traced_add(Trace* trace, const std::string& name, const at::Tensor& a, const at::Tensor& b) {
  at::Tensor y = a + b;
  if (trace) trace->op(op_layer(name, spec::LayerType::Add), {a, b}, y);
  return y;
}

at::Tensor traced_relu(Trace* trace, const std::string& name, const at::Tensor& x) {
  at::Tensor y = at::relu(x);
  if (trace) trace->op(op_layer(name, spec::LayerType::ReLU), {x}, y);
  return y;
}

at::Tensor traced_global_avg_pool(Trace* trace, const std::string& name, const at::Tensor& x) {
  at::Tensor y = x.mean({2, 3}, /*keepdim=*/true);
  if (trace) trace->op(op_layer(name, spec::LayerType::GlobalAvgPool), {x}, y);
  return y;
}

}  // namespace enos::models
