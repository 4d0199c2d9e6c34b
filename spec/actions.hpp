#pragma once
// Named action counts: what the hardware model and the analytical model count, and what the
// energy model prices. Modules only count (`glb.read.weight`: 1,536 words, 12,288 bits);
// energy/ turns counts into pJ with a table. Counting and pricing stay apart.
#include <cstdint>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

namespace enos::spec {

struct ActionCount {
  int64_t count = 0;  // events (words moved, operations executed, hops travelled)
  int64_t bits = 0;   // total bits those events moved (0 for pure operations)
  bool operator==(const ActionCount& o) const { return count == o.count && bits == o.bits; }
};

class ActionCounts {
 public:
  // Zero counts add no entry, so two counters of the same work always compare equal.
  void add(const std::string& action, int64_t count, int64_t bits_each = 0) {
    if (count == 0) return;
    ActionCount& a = counts_[action];
    a.count += count;
    a.bits += count * bits_each;
  }
  // Adds events whose bits are already totalled (words of mixed width).
  void add_bits(const std::string& action, int64_t count, int64_t total_bits) {
    if (count == 0) return;
    ActionCount& a = counts_[action];
    a.count += count;
    a.bits += total_bits;
  }
  void merge(const ActionCounts& other) {
    for (const auto& [name, c] : other.counts_) {
      counts_[name].count += c.count;
      counts_[name].bits += c.bits;
    }
  }
  ActionCount get(const std::string& action) const {
    auto it = counts_.find(action);
    return it == counts_.end() ? ActionCount{} : it->second;
  }
  const std::map<std::string, ActionCount>& all() const { return counts_; }
  bool operator==(const ActionCounts& o) const { return counts_ == o.counts_; }

  // {"glb.read.weight": {"count": n, "bits": b, "bytes": b/8}, ...}
  nlohmann::json to_json() const {
    nlohmann::json j = nlohmann::json::object();
    for (const auto& [name, c] : counts_)
      j[name] = {{"count", c.count}, {"bits", c.bits}, {"bytes", double(c.bits) / 8.0}};
    return j;
  }

 private:
  std::map<std::string, ActionCount> counts_;
};

}  // namespace enos::spec
