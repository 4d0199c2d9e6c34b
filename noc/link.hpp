#pragma once
// A bounded, width-limited point-to-point link: a latency-insensitive channel in the MatchLib
// style (push/pop with non-blocking variants). See docs/noc.md for the timing model.
#include <systemc>

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace enos::noc {

struct LinkStats {
  int64_t flits = 0;             // flits accepted by push/nb_push (one hop each)
  int64_t bits = 0;              // payload bits of those flits
  int64_t busy_cycles = 0;       // cycles the wire spent serializing them
  int64_t full_waits = 0;        // pushes that found the buffer full (waits + refused nb_push)
  int64_t full_wait_cycles = 0;  // cycles blocking pushes spent waiting for a slot
};

namespace detail {

// Cycles a flit of `bits` occupies a wire of `width_bits`: ceil, and at least one cycle so that
// a flit never arrives in the cycle it was sent (keeps every channel causal and order-free).
inline int64_t serialization_cycles(int bits, int width_bits) {
  if (bits <= width_bits) {  // the common case: one cycle, no division
    if (bits < 0)
      throw std::invalid_argument("flit bits must be >= 0, got " + std::to_string(bits));
    return 1;
  }
  return (int64_t(bits) + width_bits - 1) / width_bits;
}

// Checked before the channel registers itself, so a bad argument leaves no half-built object.
inline const char* checked_link_args(const char* name, std::size_t depth, int width_bits,
                                     const sc_core::sc_time& cycle) {
  const std::string who = std::string("noc link '") + (name ? name : "") + "': ";
  if (depth < 1) throw std::invalid_argument(who + "depth must be >= 1, got 0");
  if (width_bits < 1)
    throw std::invalid_argument(who + "width_bits must be >= 1, got " + std::to_string(width_bits));
  if (cycle == sc_core::SC_ZERO_TIME) throw std::invalid_argument(who + "cycle must be > 0");
  return name;
}

// Immediate notification is the cheapest wake-up but is only legal while processes evaluate;
// pops issued from sc_main between sc_start calls fall back to a delta notification.
inline void notify_now(sc_core::sc_event& e) {
  if (sc_core::sc_get_curr_simcontext()->evaluation_phase())
    e.notify();
  else
    e.notify(sc_core::SC_ZERO_TIME);
}

}  // namespace detail

// push reserves a slot (blocking while `depth` flits are buffered or in flight) and returns at
// once; the flit becomes poppable at arrive = max(now, previous arrive) + ceil(bits/width_bits)
// cycles. Flits keep order; pop blocks until the head has arrived. Storage is a fixed ring of
// `depth` slots allocated once, so the per-flit cost is a move and at most one timed
// notification. T must be default-constructible and movable.
template <class T>
class Link : public sc_core::sc_prim_channel {
 public:
  Link(const char* name, std::size_t depth, int width_bits, sc_core::sc_time cycle)
      : sc_core::sc_prim_channel(detail::checked_link_args(name, depth, width_bits, cycle)),
        ring_(depth),
        width_bits_(width_bits),
        cycle_ticks_(cycle.value()) {}

  Link(const Link&) = delete;
  Link& operator=(const Link&) = delete;

  // SC_THREAD context only.
  void push(T flit, int bits) {
    if (full()) {
      ++stats_.full_waits;
      const uint64_t since = now_ticks();
      while (full()) sc_core::wait(space_event());
      stats_.full_wait_cycles += int64_t((now_ticks() - since) / cycle_ticks_);
    }
    enqueue(std::move(flit), bits);
  }

  bool nb_push(T flit, int bits) {
    if (full()) {
      ++stats_.full_waits;
      return false;
    }
    enqueue(std::move(flit), bits);
    return true;
  }

  // SC_THREAD context only.
  T pop() {
    while (!can_pop()) sc_core::wait(arrival_event());
    return dequeue();
  }

  bool nb_pop(T& out) {
    if (!can_pop()) return false;
    out = dequeue();
    return true;
  }

  bool can_pop() const { return count_ > 0 && ring_[head_].arrive <= now_ticks(); }
  std::size_t occupancy() const { return count_; }
  bool empty() const { return count_ == 0; }
  bool full() const { return count_ == ring_.size(); }
  std::size_t depth() const { return ring_.size(); }
  int width_bits() const { return width_bits_; }
  sc_core::sc_time cycle() const { return sc_core::sc_time::from_value(cycle_ticks_); }

  // The head flit, arrived or not (precondition: !empty()). Lets an arbiter look at a
  // destination mask before committing to a pop.
  const T& front() const { return ring_[head_].flit; }
  // When the head becomes (or became) poppable (precondition: !empty()).
  sc_core::sc_time head_arrival() const {
    return sc_core::sc_time::from_value(ring_[head_].arrive);
  }

  // Notified when the head flit becomes poppable. Only the head is announced (an sc_event holds
  // one pending notification), so a waiter must test can_pop() before waiting on it: when
  // can_pop() is false, either the link is empty (the next push announces itself) or the
  // head's announcement is pending.
  // Events cost kernel work per flit, so they are armed lazily: the first call here (or a
  // blocking pop that has to wait) turns announcements on for good. A clocked process that only
  // polls nb_pop/can_pop never arms them and pays no kernel call per flit.
  const sc_core::sc_event& arrival_event() const {
    arm_arrival();
    return arrival_event_;
  }
  // Notified (immediately) whenever pop frees a slot; armed lazily like arrival_event().
  const sc_core::sc_event& space_event() const {
    space_armed_ = true;
    return space_event_;
  }

  const LinkStats& stats() const { return stats_; }
  void reset_stats() { stats_ = LinkStats{}; }

  const char* kind() const override { return "enos::noc::Link"; }

 private:
  struct Slot {
    T flit{};
    uint64_t arrive = 0;  // in kernel time ticks
  };

  static uint64_t now_ticks() { return sc_core::sc_time_stamp().value(); }

  // Turning announcements on mid-stream must announce the current head, which nobody did.
  void arm_arrival() const {
    if (arrival_armed_) return;
    arrival_armed_ = true;
    if (count_ > 0) announce_head(now_ticks());
  }

  void announce_head(uint64_t now) const {
    const uint64_t arrive = ring_[head_].arrive;
    if (arrive > now) arrival_event_.notify(sc_core::sc_time::from_value(arrive - now));
  }

  void enqueue(T&& flit, int bits) {
    const int64_t cycles = detail::serialization_cycles(bits, width_bits_);
    const uint64_t now = now_ticks();
    // The wire serializes flits back to back: a flit starts when the previous one is done.
    const uint64_t start = last_arrive_ > now ? last_arrive_ : now;
    last_arrive_ = start + uint64_t(cycles) * cycle_ticks_;
    std::size_t tail = head_ + count_;
    if (tail >= ring_.size()) tail -= ring_.size();
    ring_[tail].flit = std::move(flit);
    ring_[tail].arrive = last_arrive_;
    // A new head needs an announcement; later flits are announced when they become head.
    if (count_++ == 0 && arrival_armed_) announce_head(now);
    ++stats_.flits;
    stats_.bits += bits;
    stats_.busy_cycles += cycles;
  }

  T dequeue() {
    T out = std::move(ring_[head_].flit);
    if (++head_ == ring_.size()) head_ = 0;
    --count_;
    if (count_ > 0 && arrival_armed_) announce_head(now_ticks());
    if (space_armed_) detail::notify_now(space_event_);
    return out;
  }

  std::vector<Slot> ring_;
  std::size_t head_ = 0;
  std::size_t count_ = 0;
  uint64_t last_arrive_ = 0;
  int width_bits_;
  uint64_t cycle_ticks_;
  // mutable: arming and announcing are bookkeeping of the const event accessors.
  mutable sc_core::sc_event arrival_event_;
  mutable bool arrival_armed_ = false;
  sc_core::sc_event space_event_;
  mutable bool space_armed_ = false;
  LinkStats stats_;
};

}  // namespace enos::noc
