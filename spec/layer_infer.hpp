#pragma once
// Shape inference of one workload layer from its producers (internal to spec/). Each function
// reads the layer's type-specific keys from `node` (rejecting unknown ones), checks them and
// fills the layer's parameters, `in`, `out` and, for MAC layers, `conv` and `mapping`.
#include <vector>

#include "spec/json_reader.hpp"
#include "spec/workload.hpp"

namespace enos::spec {

// `ins` are the producers' output shapes in the order of the layer's "inputs".
void infer_layer(const JsonNode& node, const std::vector<FeatureShape>& ins, Layer& l);

}  // namespace enos::spec
