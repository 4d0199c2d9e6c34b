#pragma once
// Round-robin arbitration over up to 64 requesters, as plain C++ so it is unit-testable
// without a simulation kernel.
#include <cstdint>

namespace enos::noc {

// grant(ready) picks the first ready requester at or after the rotating priority pointer and
// moves the pointer just past the winner: a requester that stays ready is served within
// `size()` grants, so no one starves and always-ready requesters get equal shares (±1).
class RoundRobinArbiter {
 public:
  explicit RoundRobinArbiter(int requesters);  // 1..64, else std::invalid_argument

  // Index of the granted requester (bit i of `ready` = requester i wants the resource), or -1
  // when nothing is ready. Bits at or above size() are ignored.
  int grant(uint64_t ready);

  int size() const { return n_; }
  int next_priority() const { return next_; }
  void reset() { next_ = 0; }

 private:
  int n_;
  int next_ = 0;
  uint64_t valid_;  // mask of the n_ requesters
};

}  // namespace enos::noc
