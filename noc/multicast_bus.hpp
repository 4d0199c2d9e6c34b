#pragma once
// Eyeriss-style shared multicast bus: many requesters, one bus, one arbiter, copies delivered to
// every addressed destination in the same transaction. See docs/noc.md for timing and counting.
#include <systemc>

#include <climits>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "noc/link.hpp"
#include "noc/round_robin.hpp"

namespace enos::noc {

template <class T>
struct Addressed {
  T payload{};
  uint64_t destinations = 0;  // bit d set = deliver a copy to destination d
  int bits = 0;               // payload size on the bus
};

struct BusStats {
  int64_t transactions = 0;         // bus traversals (one per granted flit)
  int64_t deliveries = 0;           // copies handed to destinations (popcount of each mask)
  int64_t busy_cycles = 0;          // cycles the bus was held
  int64_t contention_cycles = 0;    // cycles a ready source waited because another held the bus
  int64_t backpressure_cycles = 0;  // cycles the bus sat idle because every ready source
                                    // addressed a full destination
  std::vector<int64_t> grants;      // transactions per source
};

namespace detail {

// Checked before sc_module registers itself, so a bad argument leaves no half-built module.
inline const sc_core::sc_module_name& checked_bus_args(const sc_core::sc_module_name& name,
                                                       int sources, int destinations,
                                                       std::size_t depth, int width_bits,
                                                       const sc_core::sc_time& cycle) {
  const std::string who =
      std::string("noc multicast bus '") + static_cast<const char*>(name) + "': ";
  if (sources < 1 || sources > 64)
    throw std::invalid_argument(who + "sources must be in 1..64, got " + std::to_string(sources));
  if (destinations < 1 || destinations > 64)
    throw std::invalid_argument(who + "destinations must be in 1..64, got " +
                                std::to_string(destinations));
  if (depth < 1) throw std::invalid_argument(who + "depth must be >= 1, got 0");
  if (width_bits < 1)
    throw std::invalid_argument(who + "width_bits must be >= 1, got " + std::to_string(width_bits));
  if (cycle == sc_core::SC_ZERO_TIME) throw std::invalid_argument(who + "cycle must be > 0");
  return name;
}

inline int popcount(uint64_t m) { return __builtin_popcountll(m); }

}  // namespace detail

template <class T>
class MulticastBus : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(MulticastBus);

  MulticastBus(sc_core::sc_module_name name, int sources, int destinations, std::size_t depth,
               int width_bits, sc_core::sc_time cycle)
      : sc_core::sc_module(
            detail::checked_bus_args(name, sources, destinations, depth, width_bits, cycle)),
        rr_(sources),
        width_bits_(width_bits),
        cycle_(cycle) {
    make_links(sources, destinations, depth, width_bits, cycle);
    stats_.grants.assign(std::size_t(sources), 0);
    SC_THREAD(arbitrate);
  }

  Link<Addressed<T>>& source(int i) { return *sources_.at(std::size_t(i)); }
  Link<T>& destination(int d) { return *destinations_.at(std::size_t(d)); }
  int sources() const { return int(sources_.size()); }
  int destinations() const { return int(destinations_.size()); }
  const BusStats& stats() const { return stats_; }
  void reset_stats() {
    const std::size_t n = stats_.grants.size();
    stats_ = BusStats{};
    stats_.grants.assign(n, 0);
  }

  const char* kind() const override { return "enos::noc::MulticastBus"; }

 private:
  void make_links(int sources, int destinations, std::size_t depth, int width_bits,
                  sc_core::sc_time cycle) {
    // Built inside the constructor, the links are children of this module: local names suffice.
    // A source queue is the requester's output FIFO: writing it takes one cycle whatever the
    // flit size (INT_MAX width); the serialization happens on the bus itself.
    for (int i = 0; i < sources; ++i) {
      const std::string n = "source_" + std::to_string(i);
      sources_.push_back(std::make_unique<Link<Addressed<T>>>(n.c_str(), depth, INT_MAX, cycle));
      wake_ |= sources_.back()->arrival_event();
    }
    // Destination links carry the bus serialization: a copy pushed at grant time arrives when
    // the transaction ends.
    for (int d = 0; d < destinations; ++d) {
      const std::string n = "destination_" + std::to_string(d);
      destinations_.push_back(std::make_unique<Link<T>>(n.c_str(), depth, width_bits, cycle));
      wake_ |= destinations_.back()->space_event();
    }
  }

  uint64_t full_destinations() const {
    uint64_t full = 0;
    for (std::size_t d = 0; d < destinations_.size(); ++d)
      if (destinations_[d]->full()) full |= uint64_t(1) << d;
    return full;
  }

  // Sources whose head has arrived, and the subset whose addressed destinations all have room.
  void scan(uint64_t& ready, uint64_t& grantable) const {
    const uint64_t full = full_destinations();
    ready = grantable = 0;
    for (std::size_t s = 0; s < sources_.size(); ++s) {
      if (!sources_[s]->can_pop()) continue;
      ready |= uint64_t(1) << s;
      if ((sources_[s]->front().destinations & full) == 0) grantable |= uint64_t(1) << s;
    }
  }

  // The one process of the bus: it sleeps on source arrivals and destination space and never
  // ticks while idle.
  void arbitrate() {
    for (;;) {
      uint64_t ready = 0, grantable = 0;
      scan(ready, grantable);
      const int g = rr_.grant(grantable);
      if (g >= 0) {
        transact(g);
        continue;
      }
      const sc_core::sc_time since = sc_core::sc_time_stamp();
      sc_core::wait(wake_);
      if (ready != 0) stats_.backpressure_cycles += cycles_between(since, sc_core::sc_time_stamp());
    }
  }

  void transact(int g) {
    Addressed<T> flit;
    sources_[std::size_t(g)]->nb_pop(flit);
    check_mask(g, flit.destinations);
    const int64_t cycles = detail::serialization_cycles(flit.bits, width_bits_);
    deliver(std::move(flit));
    ++stats_.transactions;
    ++stats_.grants[std::size_t(g)];
    stats_.busy_cycles += cycles;
    const sc_core::sc_time start = sc_core::sc_time_stamp();
    sc_core::wait(sc_core::sc_time::from_value(uint64_t(cycles) * cycle_.value()));
    count_contention(g, start);
  }

  // One copy per set bit; space was checked by scan(), so nb_push cannot be refused.
  void deliver(Addressed<T>&& flit) {
    uint64_t mask = flit.destinations;
    while (mask != 0) {
      const int d = __builtin_ctzll(mask);
      mask &= mask - 1;
      if (mask == 0)
        destinations_[std::size_t(d)]->nb_push(std::move(flit.payload), flit.bits);
      else
        destinations_[std::size_t(d)]->nb_push(flit.payload, flit.bits);
    }
    stats_.deliveries += detail::popcount(flit.destinations);
  }

  // Every other source whose head was waiting during [start, now) lost those cycles to the
  // holder. Only the arbiter pops sources, so each head seen now was the head all along.
  void count_contention(int g, const sc_core::sc_time& start) {
    const sc_core::sc_time end = sc_core::sc_time_stamp();
    for (std::size_t s = 0; s < sources_.size(); ++s) {
      if (int(s) == g || !sources_[s]->can_pop()) continue;
      const sc_core::sc_time arrived = sources_[s]->head_arrival();
      stats_.contention_cycles += cycles_between(arrived > start ? arrived : start, end);
    }
  }

  void check_mask(int g, uint64_t mask) const {
    const uint64_t valid =
        destinations_.size() == 64 ? ~uint64_t(0) : (uint64_t(1) << destinations_.size()) - 1;
    if (mask == 0 || (mask & ~valid) != 0)
      throw std::invalid_argument(std::string(name()) + ": source " + std::to_string(g) +
                                  " sent a flit with destination mask " + std::to_string(mask) +
                                  " (must be non-zero and below bit " +
                                  std::to_string(destinations_.size()) + ")");
  }

  int64_t cycles_between(const sc_core::sc_time& a, const sc_core::sc_time& b) const {
    return int64_t((b.value() - a.value()) / cycle_.value());
  }

  std::vector<std::unique_ptr<Link<Addressed<T>>>> sources_;
  std::vector<std::unique_ptr<Link<T>>> destinations_;
  sc_core::sc_event_or_list wake_;
  RoundRobinArbiter rr_;
  int width_bits_;
  sc_core::sc_time cycle_;
  BusStats stats_;
};

}  // namespace enos::noc
