#pragma once
// Workload export by tracing: during one forward pass on a batch-1 input, every module that
// appears in the workload (MAC layers, pools, split/concat/shuffle) records itself with the
// real shapes of its tensors; producers are found by tensor identity. Outside an export the
// trace pointer is null and the modules only compute.
#include <string>
#include <utility>
#include <vector>

#include <ATen/core/Tensor.h>

#include "spec/workload.hpp"

namespace torch::nn {
class Module;
}

namespace enos::models {

class Trace {
 public:
  explicit Trace(const at::Tensor& input);  // the network input, named "input"

  // A MAC layer: `layer.conv` holds the geometry but H and W (and C for fc), taken from `in`.
  void mac(spec::Layer layer, const at::Tensor& in, const at::Tensor& out);
  // A non-MAC layer with type and parameters set; inputs and shapes are filled in here.
  void op(spec::Layer layer, const std::vector<at::Tensor>& ins, const at::Tensor& out);

  const std::vector<spec::Layer>& layers() const { return layers_; }
  // Every recorded tensor with the name of the layer that produced it ("input" first): the
  // search's export calibrates tensor scales from them.
  const std::vector<std::pair<at::Tensor, std::string>>& outputs() const { return outputs_; }

 private:
  std::string producer(const at::Tensor& t) const;
  void add(spec::Layer layer, const std::vector<at::Tensor>& ins, const at::Tensor& out);

  // The tensors are kept alive so that no later tensor can reuse an address we look up.
  std::vector<std::pair<at::Tensor, std::string>> outputs_;
  std::vector<spec::Layer> layers_;
};

// Mixin of every module that records into a Trace. Its name is its module path (checked by
// TraceScope), which is also the layer name in the workload and the state-dict prefix.
class Traced {
 public:
  virtual ~Traced() = default;
  const std::string& layer_name() const { return name_; }
  void set_trace(Trace* trace) { trace_ = trace; }

 protected:
  explicit Traced(std::string name) : name_(std::move(name)) {}
  Trace* trace() const { return trace_; }
  std::string child(const std::string& suffix) const { return name_.empty() ? suffix : name_ + "." + suffix; }

 private:
  std::string name_;
  Trace* trace_ = nullptr;
};

// Attaches a trace to every Traced module under `root` for its lifetime. Throws
// std::logic_error if a module's layer name differs from its path (a bug in a model).
class TraceScope {
 public:
  TraceScope(torch::nn::Module& root, Trace& trace);
  ~TraceScope();
  TraceScope(const TraceScope&) = delete;
  TraceScope& operator=(const TraceScope&) = delete;

 private:
  std::vector<Traced*> attached_;
};

// The non-MAC operations, recorded when `trace` is not null.
at::Tensor traced_concat(Trace* trace, const std::string& name, const std::vector<at::Tensor>& xs);
// torch.chunk along channels; the chunks are named name.0, name.1, ...
std::vector<at::Tensor> traced_split(Trace* trace, const std::string& name, const at::Tensor& x, int parts);
// Works in either memory format and keeps ChannelsLast tensors ChannelsLast.
at::Tensor traced_channel_shuffle(Trace* trace, const std::string& name, const at::Tensor& x, int groups);
at::Tensor traced_max_pool(Trace* trace, const std::string& name, const at::Tensor& x, int kernel, int stride, int pad);
at::Tensor traced_global_avg_pool(Trace* trace, const std::string& name, const at::Tensor& x);  // keeps N×C×1×1
// Average pooling counts the zero padding in the divisor (PyTorch's default).
at::Tensor traced_avg_pool(Trace* trace, const std::string& name, const at::Tensor& x, int kernel, int stride, int pad);
at::Tensor traced_add(Trace* trace, const std::string& name, const at::Tensor& a, const at::Tensor& b);
// A ReLU that no MAC layer absorbs (after an add or a concat); a new tensor, not in place.
at::Tensor traced_relu(Trace* trace, const std::string& name, const at::Tensor& x);

}  // namespace enos::models
