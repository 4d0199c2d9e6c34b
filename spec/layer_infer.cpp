#include "spec/layer_infer.hpp"

#include "spec/shape_check.hpp"

namespace enos::spec {

namespace {

constexpr int kMaxDim = 1 << 16;  // channels, features and map sizes: keeps every product in int64

// "kernel": 3 or [3, 1].
std::pair<int, int> read_kernel(const JsonNode& node) {
  if (!node.value().is_array()) {
    int k = int(node.as_int(1, 1024));
    return {k, k};
  }
  if (node.size() != 2) node.fail("expected an integer or [R, S], got an array of " + std::to_string(node.size()));
  return {int(node.at(0).as_int(1, 1024)), int(node.at(1).as_int(1, 1024))};
}

// Reports a shape problem at the key it names, or at the layer when no key is to blame.
[[noreturn]] void fail_shape(const JsonNode& node, const ShapeProblem& p) {
  if (!p.field.empty() && node.has(p.field)) node.at(p.field).fail(p.reason);
  node.fail(p.field.empty() ? p.reason : p.field + " " + p.reason);
}

void read_mapping(const JsonNode& node, Layer& l) {
  if (!node.has("mapping")) return;
  JsonNode m = node.at("mapping");
  l.mapping = parse_pinned_mapping(m);
  int per_group = l.conv.outputs_per_group();
  if (l.mapping.k_tile && *l.mapping.k_tile > per_group)
    m.at("k_tile").fail("must be ≤ " + std::to_string(per_group) + " (output channels per group), got " +
                        std::to_string(*l.mapping.k_tile));
  if (l.mapping.p_tile && *l.mapping.p_tile > l.conv.P())
    m.at("p_tile").fail("must be ≤ " + std::to_string(l.conv.P()) + " (output rows), got " +
                        std::to_string(*l.mapping.p_tile));
}

void infer_conv(const JsonNode& node, const FeatureShape& in, Layer& l) {
  node.reject_unknown_keys({"name", "type", "inputs", "out_channels", "kernel", "stride", "pad", "groups", "mapping"});
  pe::ConvShape& s = l.conv;
  s.C = in.C, s.H = in.H, s.W = in.W;
  s.K = int(node.get_int("out_channels", 1, kMaxDim));
  std::tie(s.R, s.S) = read_kernel(node.at("kernel"));
  s.stride = int(node.get_int("stride", 1, 64, 1));
  s.pad = int(node.get_int("pad", 0, 64, 0));
  s.groups = int(node.get_int("groups", 1, kMaxDim, 1));
  if (auto p = conv_problem(s)) fail_shape(node, *p);
  l.out = {s.K, s.P(), s.Q()};
  read_mapping(node, l);
}

// A fully connected layer flattens whatever map it receives: in_features = C·H·W.
void infer_fc(const JsonNode& node, const FeatureShape& in, Layer& l) {
  node.reject_unknown_keys({"name", "type", "inputs", "out_features", "mapping"});
  int64_t features = int64_t(in.C) * in.H * in.W;
  if (features > kMaxDim)
    node.fail("flattened input " + to_string(in) + " has " + std::to_string(features) +
              " features, more than " + std::to_string(kMaxDim));
  l.conv = pe::fully_connected(int(features), int(node.get_int("out_features", 1, kMaxDim)));
  if (auto p = conv_problem(l.conv)) fail_shape(node, *p);
  l.out = {l.conv.K, 1, 1};
  read_mapping(node, l);
}

void infer_pool(const JsonNode& node, const FeatureShape& in, Layer& l) {
  node.reject_unknown_keys({"name", "type", "inputs", "kernel", "stride", "pad"});
  l.kernel = int(node.get_int("kernel", 1, 1024));
  l.stride = int(node.get_int("stride", 1, 1024, l.kernel));  // PyTorch's default too
  l.pad = int(node.get_int("pad", 0, 512, 0));
  if (auto p = pool_problem(in.H, in.W, l.kernel, l.pad)) fail_shape(node, *p);
  l.out = {in.C, pool_out(in.H, l.kernel, l.stride, l.pad), pool_out(in.W, l.kernel, l.stride, l.pad)};
}

void infer_shuffle(const JsonNode& node, const FeatureShape& in, Layer& l) {
  node.reject_unknown_keys({"name", "type", "inputs", "groups"});
  JsonNode g = node.at("groups");
  l.groups = int(g.as_int(1, kMaxDim));
  if (in.C % l.groups != 0)
    g.fail("must divide the input channels (" + std::to_string(in.C) + "), got " + std::to_string(l.groups));
  l.out = in;
}

// One split layer outputs one of `parts` equal channel chunks (torch.chunk along channels);
// a network that uses several chunks lists one split layer per chunk.
void infer_split(const JsonNode& node, const FeatureShape& in, Layer& l) {
  node.reject_unknown_keys({"name", "type", "inputs", "parts", "part"});
  JsonNode parts = node.at("parts");
  l.groups = int(parts.as_int(2, kMaxDim));
  if (in.C % l.groups != 0)
    parts.fail("must divide the input channels (" + std::to_string(in.C) + "), got " + std::to_string(l.groups));
  l.part = int(node.get_int("part", 0, l.groups - 1));
  l.out = {in.C / l.groups, in.H, in.W};
}

void infer_add(const JsonNode& node, const std::vector<FeatureShape>& ins, Layer& l) {
  node.reject_unknown_keys({"name", "type", "inputs"});
  for (std::size_t k = 1; k < ins.size(); ++k)
    if (ins[k] != ins[0])
      node.at("inputs").at(k).fail("shape " + to_string(ins[k]) + " of '" + l.inputs[k] + "' does not match " +
                                   to_string(ins[0]) + " of '" + l.inputs[0] + "' (add needs equal shapes)");
  l.out = ins[0];
}

void infer_concat(const JsonNode& node, const std::vector<FeatureShape>& ins, Layer& l) {
  node.reject_unknown_keys({"name", "type", "inputs"});
  l.out = {0, ins[0].H, ins[0].W};
  for (std::size_t k = 0; k < ins.size(); ++k) {
    if (ins[k].H != ins[0].H || ins[k].W != ins[0].W)
      node.at("inputs").at(k).fail("map " + std::to_string(ins[k].H) + "×" + std::to_string(ins[k].W) + " of '" +
                                   l.inputs[k] + "' does not match " + std::to_string(ins[0].H) + "×" +
                                   std::to_string(ins[0].W) + " of '" + l.inputs[0] +
                                   "' (concat joins channels of equal maps)");
    l.out.C += ins[k].C;
  }
}

}  // namespace

void infer_layer(const JsonNode& node, const std::vector<FeatureShape>& ins, Layer& l) {
  l.in = ins[0];
  switch (l.type) {
    case LayerType::Conv: return infer_conv(node, ins[0], l);
    case LayerType::FullyConnected: return infer_fc(node, ins[0], l);
    case LayerType::MaxPool:
    case LayerType::AvgPool: return infer_pool(node, ins[0], l);
    case LayerType::GlobalAvgPool:
    case LayerType::ReLU:
      node.reject_unknown_keys({"name", "type", "inputs"});
      l.out = l.type == LayerType::ReLU ? ins[0] : FeatureShape{ins[0].C, 1, 1};
      return;
    case LayerType::ChannelShuffle: return infer_shuffle(node, ins[0], l);
    case LayerType::Split: return infer_split(node, ins[0], l);
    case LayerType::Add: return infer_add(node, ins, l);
    case LayerType::Concat: return infer_concat(node, ins, l);
  }
}

}  // namespace enos::spec
