#pragma once
// The whole-network C++ integer reference of an export (docs/export-format.md): every layer's
// integer output from the previous ones. MAC layers get their accumulators from a MacBackend
// — the plain reference (pe::reference_conv) or the SystemC model — so the same code drives
// both chains and the replay can compare them layer by layer.
#include <cstdint>
#include <vector>

#include "pe/reference.hpp"
#include "replay/export.hpp"

namespace enos::replay {

struct Tensor {
  spec::FeatureShape shape;
  std::vector<int32_t> values;  // [C][H][W] unsigned integers of the tensor's bits
};

// What a MAC layer's accumulators come from.
class MacBackend {
 public:
  virtual ~MacBackend() = default;
  // `index` is the layer's index in the workload; `data` holds its codes and input.
  virtual std::vector<pe::Psum> run(std::size_t index, const spec::Layer& layer, const NetLayer& net,
                                    const pe::LayerData& data) = 0;
};

// pe::reference_conv: the ground truth.
class ReferenceBackend : public MacBackend {
 public:
  std::vector<pe::Psum> run(std::size_t index, const spec::Layer& layer, const NetLayer& net,
                            const pe::LayerData& data) override;
};

struct Forward {
  std::vector<Tensor> outputs;              // per layer (the logits layer: empty values)
  std::vector<std::vector<pe::Psum>> accs;  // per layer: MAC accumulators, empty otherwise
  std::vector<double> logits;
  int prediction = -1;
};

// The tensor format each layer outputs, checked against what its consumers expect: a MAC
// layer without input_rescale must read a tensor of its act_bits and act_scale, nothing may
// read the logits layer. Throws spec::SpecError naming network.json and the layer.
std::vector<TensorFormat> tensor_formats(const Export& e);

// One image ([C][H][W] bytes) through the network.
Forward forward(const Export& e, const std::vector<uint8_t>& image, MacBackend& macs);

// The first difference between two chains' outputs of layer `index` (−1 when equal), and
// how many values differ.
struct Difference {
  int64_t first = -1;
  int64_t count = 0;
};
Difference compare_layer(const Forward& a, const Forward& b, std::size_t index);

}  // namespace enos::replay
