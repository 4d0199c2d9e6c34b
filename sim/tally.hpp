#pragma once
// Per-tile counters for the actions a module counts every cycle. Adding to an ActionCounts
// map costs a string build and a lookup; these add to plain integers and are flushed into the
// map once per array pass, keeping the counting off the per-cycle path.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "spec/actions.hpp"

namespace enos::sim {

class Tally {
 public:
  // Registers an action; returns the handle add() takes.
  int action(std::string name) {
    entries_.push_back({std::move(name), 0, 0});
    return int(entries_.size() - 1);
  }
  void add(int handle, int64_t count, int64_t bits_each) {
    Entry& e = entries_[std::size_t(handle)];
    e.count += count;
    e.bits += count * bits_each;
  }
  void flush_into(spec::ActionCounts& counts) {
    for (Entry& e : entries_) {
      if (e.count) counts.add_bits(e.name, e.count, e.bits);
      e.count = e.bits = 0;
    }
  }

 private:
  struct Entry {
    std::string name;
    int64_t count, bits;
  };
  std::vector<Entry> entries_;
};

}  // namespace enos::sim
