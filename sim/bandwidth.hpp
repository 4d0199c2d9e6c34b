#pragma once
// A shared port of fixed bits per cycle (the global buffer's banks). Users book the bits
// they move and wait for the returned delay; bookings from several users queue behind each
// other, so contention turns into waiting, never into lost data.
#include <cstdint>

#include <systemc>

namespace enos::sim {

class BandwidthResource {
 public:
  BandwidthResource(int64_t bits_per_cycle, sc_core::sc_time cycle);

  // Books `bits` from now on; returns the delay until they have moved (whole cycles, ≥ 1).
  sc_core::sc_time book(int64_t bits);
  int64_t bits_per_cycle() const { return bits_per_cycle_; }

 private:
  int64_t bits_per_cycle_;
  sc_core::sc_time cycle_;
  int64_t booked_until_ = 0;  // in bit-slots since time zero (cycle × bits_per_cycle)
};

}  // namespace enos::sim
