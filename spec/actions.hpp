#pragma once
// Named action counts: what the hardware model and the analytical model count, and what the
// energy model prices. Modules only count (`glb.read.weight`: 1,536 words, 12,288 bits);
// energy/ turns counts into pJ with a table. Counting and pricing stay apart.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "pe/candidate.hpp"

namespace enos::spec {

// The vocabulary: every action is named `<unit>.<verb>.<object>`, and these are all the names
// the models count (energy/action_price.hpp prices them):
//   dram|glb|spad.read|write.<tensor>   words moved, <tensor> ∈ weight, input, psum, output
//   noc.hop.<tensor>                    word hops between PEs
//   pe.op.<candidate>                   operations of an operator candidate (pe.gated.<candidate>:
//                                       the ones zero gating skipped)
//   ppu.op.multiply|add                 the post-processing unit's arithmetic
// Each name is written once, here; code that counts or reads an action uses these.
namespace action {

// The units, which the energy breakdown's levels follow (noc hops, spad accesses, ...).
inline constexpr std::string_view kDram = "dram", kGlb = "glb", kSpad = "spad", kNoc = "noc", kPe = "pe", kPpu = "ppu";

inline constexpr const char* kDramReadWeight = "dram.read.weight";
inline constexpr const char* kDramReadInput = "dram.read.input";
inline constexpr const char* kDramWriteOutput = "dram.write.output";
inline constexpr const char* kGlbReadWeight = "glb.read.weight";
inline constexpr const char* kGlbReadInput = "glb.read.input";
inline constexpr const char* kGlbReadPsum = "glb.read.psum";
inline constexpr const char* kGlbReadOutput = "glb.read.output";
inline constexpr const char* kGlbWriteWeight = "glb.write.weight";
inline constexpr const char* kGlbWriteInput = "glb.write.input";
inline constexpr const char* kGlbWritePsum = "glb.write.psum";
inline constexpr const char* kGlbWriteOutput = "glb.write.output";
inline constexpr const char* kSpadReadWeight = "spad.read.weight";
inline constexpr const char* kSpadReadInput = "spad.read.input";
inline constexpr const char* kSpadReadPsum = "spad.read.psum";
inline constexpr const char* kSpadWriteWeight = "spad.write.weight";
inline constexpr const char* kSpadWriteInput = "spad.write.input";
inline constexpr const char* kSpadWritePsum = "spad.write.psum";
inline constexpr const char* kNocHopInput = "noc.hop.input";
inline constexpr const char* kNocHopWeight = "noc.hop.weight";
inline constexpr const char* kNocHopPsum = "noc.hop.psum";
inline constexpr const char* kPpuMultiply = "ppu.op.multiply";
inline constexpr const char* kPpuAdd = "ppu.op.add";

// The name's unit: "glb" for "glb.read.weight"; the whole name when it has no dot.
inline std::string_view unit_of(std::string_view name) { return name.substr(0, name.find('.')); }

inline constexpr std::string_view kOpPrefix = "pe.op.", kGatedPrefix = "pe.gated.", kHopPrefix = "noc.hop.";

// "pe.op.int:w8a8": the operations of a candidate.
inline std::string op(const pe::Candidate& c) { return std::string(kOpPrefix) + pe::to_string(c); }
// "pe.gated.int:w8a8": the operations of a candidate that zero gating skipped.
inline std::string gated(const pe::Candidate& c) { return std::string(kGatedPrefix) + pe::to_string(c); }
// The candidate of a pe.op.<candidate> name (op()'s inverse); none for other names. A pe.op
// name whose candidate does not parse throws std::invalid_argument (the reason only).
inline std::optional<pe::Candidate> op_candidate(std::string_view name) {
  if (name.substr(0, kOpPrefix.size()) != kOpPrefix) return std::nullopt;
  return pe::parse_candidate(name.substr(kOpPrefix.size()));
}
// The tensor of a noc.hop.<tensor> name; none for other names.
inline std::optional<std::string_view> hop_tensor(std::string_view name) {
  if (name.substr(0, kHopPrefix.size()) != kHopPrefix) return std::nullopt;
  return name.substr(kHopPrefix.size());
}

}  // namespace action

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
