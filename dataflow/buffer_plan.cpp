#include "dataflow/buffer_plan.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <numeric>
#include <set>
#include <tuple>

#include "dataflow/mapper.hpp"

namespace enos::dataflow {
namespace {

using spec::LayerType;

constexpr int64_t kNoFit = std::numeric_limits<int64_t>::max() / 4;

// Layers whose output is their input's storage, addressed differently.
bool is_remap(LayerType t) {
  return t == LayerType::ChannelShuffle || t == LayerType::Split || t == LayerType::Concat || t == LayerType::ReLU;
}

int64_t bytes_of(int64_t elements, int bits) { return (elements * bits + 7) / 8; }

// Tensors concatenated together (or read together) share a home: a union-find over tensor ids.
class Groups {
 public:
  explicit Groups(std::size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), 0); }
  std::size_t find(std::size_t x) { return parent_[x] == x ? x : parent_[x] = find(parent_[x]); }
  void join(std::size_t a, std::size_t b) { parent_[find(a)] = find(b); }

 private:
  std::vector<std::size_t> parent_;
};

struct Graph {
  // Tensor 0 is the network input; every layer that is not a remap produces one more.
  std::vector<std::size_t> tensor_of_layer;        // npos for remaps
  std::vector<std::vector<std::size_t>> sources;   // per layer: the tensors its output stands for
  std::vector<std::vector<std::size_t>> reads;     // per layer: the tensors its inputs stand for
  std::vector<std::string> tensor_producer;
  std::vector<int64_t> tensor_bytes;
  std::vector<std::size_t> tensor_first;
  std::vector<int> tensor_bits;
};

constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();

std::vector<std::size_t> sources_of(const Graph& g, const std::map<std::string, std::size_t>& index,
                                    const std::string& name) {
  if (name == "input") return {0};
  return g.sources.at(index.at(name));
}

Graph build_graph(const spec::Workload& w, const CandidateOf& candidate_of) {
  Graph g;
  g.tensor_producer = {"input"};
  g.tensor_bytes = {0};
  g.tensor_first = {0};
  g.tensor_bits = {8};
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < w.layers.size(); ++i) {
    const spec::Layer& l = w.layers[i];
    std::vector<std::size_t> in;
    for (const std::string& name : l.inputs) {
      const std::vector<std::size_t> s = sources_of(g, index, name);
      in.insert(in.end(), s.begin(), s.end());
    }
    index[l.name] = i;
    g.reads.push_back(in);
    if (is_remap(l.type)) {
      g.tensor_of_layer.push_back(kNone);
      g.sources.push_back(in);
      continue;
    }
    int bits = 0;
    if (l.is_mac()) {
      bits = word_bits(candidate_of(i)).output;
    } else {
      for (std::size_t t : in) bits = std::max(bits, g.tensor_bits[t]);
    }
    const std::size_t id = g.tensor_producer.size();
    g.tensor_producer.push_back(l.name);
    g.tensor_bits.push_back(bits);
    g.tensor_bytes.push_back(bytes_of(int64_t(l.out.C) * l.out.H * l.out.W, bits));
    g.tensor_first.push_back(i);
    g.tensor_of_layer.push_back(id);
    g.sources.push_back({id});
  }
  return g;
}

class Planner {
 public:
  Planner(const spec::Workload& w, const spec::ArchSpec& arch, const CandidateOf& candidate_of, const PinsOf& pins_of)
      : w_(w), arch_(arch), candidate_of_(candidate_of), pins_of_(pins_of), g_(build_graph(w, candidate_of)),
        groups_(g_.tensor_producer.size()), live_(w.layers.size(), 0), weights_resident_(w.layers.size(), false) {
    join_and_find_readers();
  }

  BufferPlan run(bool enabled) {
    BufferPlan plan;
    plan.capacity_bytes = arch_.glb.size_bytes;
    const std::vector<std::size_t> order = group_order();
    std::map<std::size_t, std::string> why;
    for (std::size_t root : order) {
      why[root] = eligibility(root);
      if (!enabled && why[root].empty()) why[root] = "residency is off (arch.global_buffer.residency)";
      if (why[root].empty()) why[root] = try_keep(root);
    }
    for (std::size_t i = 0; i < w_.layers.size(); ++i)
      if (w_.layers[i].is_mac()) plan.weights.push_back(weights_home(i, enabled));
    for (std::size_t t = 0; t < g_.tensor_producer.size(); ++t) plan.tensors.push_back(home_of(t, why[groups_.find(t)]));
    for (std::size_t i = 0; i < w_.layers.size(); ++i) plan.layers.push_back(residency_of(i));
    return plan;
  }

 private:
  void join_and_find_readers() {
    const std::size_t n = g_.tensor_producer.size();
    last_read_.assign(n, 0);
    read_.assign(n, false);
    for (std::size_t i = 0; i < w_.layers.size(); ++i) {
      const spec::Layer& l = w_.layers[i];
      const std::vector<std::size_t>& in = g_.reads[i];
      for (std::size_t t : in) groups_.join(t, in.front());
      if (is_remap(l.type)) continue;
      for (std::size_t t : in) {
        last_read_[t] = std::max(last_read_[t], i);
        read_[t] = true;
      }
    }
  }

  std::vector<std::size_t> members(std::size_t root) {
    std::vector<std::size_t> m;
    for (std::size_t t = 0; t < g_.tensor_producer.size(); ++t)
      if (groups_.find(t) == root) m.push_back(t);
    return m;
  }

  std::vector<std::size_t> group_order() {
    std::vector<std::size_t> roots;
    for (std::size_t t = 0; t < g_.tensor_producer.size(); ++t)
      if (groups_.find(t) == t) roots.push_back(t);
    std::sort(roots.begin(), roots.end(), [&](std::size_t a, std::size_t b) {
      return std::make_pair(span(a).first, a) < std::make_pair(span(b).first, b);
    });
    return roots;
  }

  std::pair<std::size_t, std::size_t> span(std::size_t root) {
    std::size_t first = std::numeric_limits<std::size_t>::max(), last = 0;
    for (std::size_t t : members(root)) {
      first = std::min(first, g_.tensor_first[t]);
      last = std::max(last, last_read_[t]);
    }
    return {first, std::max(first, last)};
  }

  // Empty when the group may stay on chip; otherwise why it lives in DRAM.
  std::string eligibility(std::size_t root) {
    for (std::size_t t : members(root)) {
      if (t == 0) return "the network's input (it arrives from off-chip)";
      if (!read_[t]) return "the network's output (it leaves the chip)";
    }
    return "";
  }

  bool group_resident(std::size_t t) { return resident_.count(groups_.find(t)) > 0; }

  bool inputs_resident(std::size_t layer) {
    const std::vector<std::size_t>& in = g_.reads[layer];
    for (std::size_t t : in)
      if (!group_resident(t)) return false;
    return !in.empty();
  }

  // The smallest tiles a MAC layer can run with, given what is resident around it.
  int64_t working_bytes(std::size_t i) {
    const spec::Layer& l = w_.layers[i];
    if (!l.is_mac()) return 0;
    Residency r;
    r.inputs = inputs_resident(i);
    r.weights = weights_resident_[i];
    const auto key = std::make_tuple(i, r.inputs, r.weights);
    const auto hit = working_.find(key);
    if (hit != working_.end()) return hit->second;
    int64_t need = kNoFit;
    try {
      need = smallest_footprint_bytes(l.conv, candidate_of_(i), arch_, pins_of_(i), r);
    } catch (const MappingError&) {
      // Not this planner's to report: mapping the layer names the reason.
    }
    working_.emplace(key, need);
    return need;
  }

  // The first layer in [first, last] without room, or npos.
  std::size_t first_overfull(std::size_t first, std::size_t last) {
    for (std::size_t i = first; i <= last; ++i)
      if (live_[i] + working_bytes(i) > arch_.glb.size_bytes) return i;
    return kNone;
  }

  void hold(std::size_t first, std::size_t last, int64_t bytes) {
    for (std::size_t i = first; i <= last; ++i) live_[i] += bytes;
  }

  // Each member holds its bytes over its own life (concatenated tensors are kept or not
  // together, but one that nobody reads any more frees its space).
  void hold_members(std::size_t root, int sign) {
    for (std::size_t t : members(root))
      hold(g_.tensor_first[t], std::max(g_.tensor_first[t], last_read_[t]), sign * g_.tensor_bytes[t]);
  }

  std::string try_keep(std::size_t root) {
    const auto [first, last] = span(root);
    resident_.insert(root);
    hold_members(root, +1);
    const std::size_t full = first_overfull(first, last);
    if (full == kNone) return "";
    const int64_t live = live_[full], work = working_bytes(full);
    resident_.erase(root);
    hold_members(root, -1);
    return "no room: layer '" + w_.layers[full].name + "' would need " + std::to_string(work) +
           " B for its smallest tiles beside " + std::to_string(live) + " B of resident tensors, capacity " +
           std::to_string(arch_.glb.size_bytes) + " B";
  }

  WeightHome weights_home(std::size_t i, bool enabled) {
    const spec::Layer& l = w_.layers[i];
    WeightHome h{l.name, bytes_of(l.conv.weight_count(), word_bits(candidate_of_(i)).weight), false};
    if (!enabled || w_.layers.empty()) return h;
    weights_resident_[i] = true;
    hold(0, w_.layers.size() - 1, h.bytes);
    if (first_overfull(0, w_.layers.size() - 1) == kNone) {
      h.resident = true;
      return h;
    }
    weights_resident_[i] = false;
    hold(0, w_.layers.size() - 1, -h.bytes);
    return h;
  }

  TensorHome home_of(std::size_t t, const std::string& why) {
    TensorHome h;
    h.producer = g_.tensor_producer[t];
    for (std::size_t other : members(groups_.find(t)))
      if (other != t) h.stored_with.push_back(g_.tensor_producer[other]);
    h.bytes = g_.tensor_bytes[t];
    h.first = g_.tensor_first[t];
    h.last = std::max(h.first, last_read_[t]);
    h.resident = group_resident(t);
    if (!h.resident) h.why_dram = why;
    return h;
  }

  Residency residency_of(std::size_t i) {
    Residency r;
    r.inputs = inputs_resident(i);
    const std::size_t own = g_.tensor_of_layer[i];
    r.outputs = own != kNone && group_resident(own);
    r.weights = weights_resident_[i];
    r.reserved_bytes = live_[i];
    return r;
  }

  const spec::Workload& w_;
  const spec::ArchSpec& arch_;
  const CandidateOf& candidate_of_;
  const PinsOf& pins_of_;
  Graph g_;
  Groups groups_;
  std::vector<int64_t> live_;             // resident bytes while each layer runs
  std::vector<bool> weights_resident_;
  std::vector<std::size_t> last_read_;    // per tensor
  std::vector<bool> read_;                // per tensor
  std::set<std::size_t> resident_;        // group roots
  std::map<std::tuple<std::size_t, bool, bool>, int64_t> working_;
};

}  // namespace

int64_t BufferPlan::peak_reserved_bytes() const {
  int64_t peak = 0;
  for (const Residency& r : layers) peak = std::max(peak, r.reserved_bytes);
  return peak;
}

int64_t BufferPlan::resident_weight_bytes() const {
  int64_t bytes = 0;
  for (const WeightHome& w : weights) bytes += w.resident ? w.bytes : 0;
  return bytes;
}

BufferPlan plan_buffers(const spec::Workload& w, const spec::ArchSpec& arch, const CandidateOf& candidate_of,
                        const PinsOf& pins_of) {
  // --layer options are independent layers, not a network: nothing flows between them.
  const bool enabled = arch.glb.network_residency && w.file != spec::kLayerOptionFile;
  return Planner(w, arch, candidate_of, pins_of).run(enabled);
}

BufferPlan plan_at_candidate(const spec::Workload& w, const spec::ArchSpec& arch, const pe::Candidate& c) {
  return plan_buffers(
      w, arch, [&](std::size_t) { return c; }, [&](std::size_t i) { return w.layers[i].mapping; });
}

pe::Candidate widest_candidate(const spec::ArchSpec& arch) {
  pe::Candidate widest = arch.modes.front().candidate;
  for (const spec::ModeSpec& m : arch.modes)
    if (m.candidate.weight_bits + m.candidate.act_bits > widest.weight_bits + widest.act_bits) widest = m.candidate;
  return widest;
}

std::string to_string(LutContext c) { return c == LutContext::Widest ? "widest" : "candidate"; }

BufferPlan lut_context_plan(const spec::Workload& w, const spec::ArchSpec& arch, const pe::Candidate& c,
                            LutContext context) {
  return plan_at_candidate(w, arch, context == LutContext::Widest ? widest_candidate(arch) : c);
}

}  // namespace enos::dataflow
