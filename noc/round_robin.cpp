#include "noc/round_robin.hpp"

#include <stdexcept>
#include <string>

namespace enos::noc {

RoundRobinArbiter::RoundRobinArbiter(int requesters) : n_(requesters) {
  if (requesters < 1 || requesters > 64)
    throw std::invalid_argument("round-robin arbiter: requesters must be in 1..64, got " +
                                std::to_string(requesters));
  valid_ = requesters == 64 ? ~uint64_t(0) : (uint64_t(1) << requesters) - 1;
}

int RoundRobinArbiter::grant(uint64_t ready) {
  ready &= valid_;
  if (ready == 0) return -1;
  // Requesters at or after the pointer win first; otherwise wrap to the lowest ready index.
  const uint64_t upper = ready & (~uint64_t(0) << next_);
  const int winner = __builtin_ctzll(upper != 0 ? upper : ready);
  next_ = winner + 1 == n_ ? 0 : winner + 1;
  return winner;
}

}  // namespace enos::noc
