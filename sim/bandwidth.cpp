#include "sim/bandwidth.hpp"

#include <algorithm>
#include <stdexcept>

namespace enos::sim {

BandwidthResource::BandwidthResource(int64_t bits_per_cycle, sc_core::sc_time cycle)
    : bits_per_cycle_(bits_per_cycle), cycle_(cycle) {
  if (bits_per_cycle <= 0) throw std::invalid_argument("bandwidth must be positive");
}

sc_core::sc_time BandwidthResource::book(int64_t bits) {
  const int64_t now = int64_t(sc_core::sc_time_stamp() / cycle_);
  const int64_t start = std::max(now * bits_per_cycle_, booked_until_);
  booked_until_ = start + std::max<int64_t>(bits, 0);
  const int64_t done = std::max(now + 1, (booked_until_ + bits_per_cycle_ - 1) / bits_per_cycle_);
  return cycle_ * double(done - now);
}

}  // namespace enos::sim
