// Link: conservation and order under random stalls, serialization timing, backpressure.
// Each TEST_CASE elaborates once (SystemC allows one elaboration per process).
#include "noc_test_util.hpp"

#include <catch2/catch.hpp>

#include <memory>
#include <random>
#include <stdexcept>
#include <vector>

#include "noc/link.hpp"

using enos::noc::Link;
using namespace enos::noc::test;

namespace {

struct Flit {
  int64_t seq = -1;
  int bits = 0;
};

// What the producer did with flit i, and what the consumer saw.
struct Record {
  int bits = 0;
  int64_t try_push = 0, pushed = 0;  // cycle the push was attempted / accepted
  int64_t try_pop = 0, popped = -1;  // cycle the consumer started waiting / got it
};

// Arrival times a correct link must produce from the accepted push times.
std::vector<int64_t> expected_arrivals(const std::vector<Record>& r, int width) {
  std::vector<int64_t> arrive(r.size());
  int64_t prev = 0;
  for (std::size_t i = 0; i < r.size(); ++i) {
    prev = std::max(prev, r[i].pushed) + ceil_cycles(r[i].bits, width);
    arrive[i] = prev;
  }
  return arrive;
}

}  // namespace

TEST_CASE("link: random stalls deliver every flit exactly once and in order and on time",
          "[noc][link]") {
  constexpr int kFlits = 4000, kWidth = 16;
  constexpr std::size_t kDepth = 3;
  Link<Flit> link("link", kDepth, kWidth, cycle());
  std::vector<Record> rec(kFlits);
  int64_t found_full = 0, blocked_cycles = 0, next_seq = 0;

  thread("producer", [&] {
    std::mt19937 rng(7);
    for (int i = 0; i < kFlits; ++i) {
      if (rng() % 3 == 0) wait_cycles(rng() % 6);
      Record& r = rec[std::size_t(i)];
      r.bits = int(rng() % 70);  // 1..5 cycles on a 16-bit wire
      r.try_push = now_cycles();
      const bool was_full = link.full();
      found_full += was_full;
      if (rng() % 2) {
        link.push(Flit{i, r.bits}, r.bits);
        if (was_full) blocked_cycles += now_cycles() - r.try_push;
      } else {
        while (!link.nb_push(Flit{i, r.bits}, r.bits)) sc_core::wait(link.space_event());
      }
      r.pushed = now_cycles();
    }
  });
  thread("consumer", [&] {
    std::mt19937 rng(11);
    for (;;) {
      if (rng() % 3 == 0) wait_cycles(rng() % 8);
      const int64_t start = now_cycles();
      Flit f;
      if (rng() % 2) {
        f = link.pop();
      } else {
        while (!link.nb_pop(f)) sc_core::wait(link.arrival_event());  // safe: see Link docs
      }
      REQUIRE(f.seq == next_seq);  // in order, none lost, none duplicated
      Record& r = rec[std::size_t(next_seq++)];
      r.try_pop = start;
      r.popped = now_cycles();
    }
  });
  sc_core::sc_start();  // runs until nothing is left to do

  REQUIRE(next_seq == kFlits);
  REQUIRE(link.occupancy() == 0);
  const std::vector<int64_t> arrive = expected_arrivals(rec, kWidth);
  int64_t bits = 0, busy = 0;
  for (std::size_t i = 0; i < rec.size(); ++i) {
    const Record& r = rec[i];
    // A pop completes exactly when the flit has arrived and the consumer asked for it.
    REQUIRE(r.popped == std::max(r.try_pop, arrive[i]));
    // A push is accepted exactly when a slot is free: flit i - depth has been popped.
    const int64_t freed = i >= kDepth ? rec[i - kDepth].popped : 0;
    REQUIRE(r.pushed == std::max(r.try_push, freed));
    bits += r.bits;
    busy += ceil_cycles(r.bits, kWidth);
  }
  const auto& s = link.stats();
  CHECK(s.flits == kFlits);
  CHECK(s.bits == bits);
  CHECK(s.busy_cycles == busy);
  CHECK(s.full_waits == found_full);
  CHECK(s.full_wait_cycles == blocked_cycles);
  CHECK(found_full > 100);  // the stall pattern really exercised backpressure
}

TEST_CASE("link: a stall-free stream of n flits of b bits over width w takes n*ceil(b/w) cycles",
          "[noc][link][timing]") {
  struct Case { int n, bits, width; std::size_t depth; };
  const std::vector<Case> cases = {{10, 32, 32, 1}, {10, 33, 32, 4}, {7, 0, 8, 2},
                                   {100, 64, 16, 3}, {5, 1, 64, 8}, {50, 100, 7, 1}};
  std::vector<std::unique_ptr<Link<int>>> links;
  std::vector<std::vector<int64_t>> pops(cases.size());
  for (std::size_t c = 0; c < cases.size(); ++c) {
    const Case k = cases[c];
    const std::string name = "link_" + std::to_string(c);
    links.push_back(std::make_unique<Link<int>>(name.c_str(), k.depth, k.width, cycle()));
    Link<int>& l = *links.back();
    thread(("producer_" + name).c_str(), [&l, k] {
      for (int i = 0; i < k.n; ++i) l.push(i, k.bits);
    });
    thread(("consumer_" + name).c_str(), [&l, &p = pops[c], k] {
      for (int i = 0; i < k.n; ++i) {
        REQUIRE(l.pop() == i);
        p.push_back(now_cycles());
      }
    });
  }
  sc_core::sc_start();

  for (std::size_t c = 0; c < cases.size(); ++c) {
    const Case k = cases[c];
    const int64_t per_flit = ceil_cycles(k.bits, k.width);
    INFO("n=" << k.n << " b=" << k.bits << " w=" << k.width << " depth=" << k.depth);
    REQUIRE(int(pops[c].size()) == k.n);
    for (int i = 0; i < k.n; ++i) CHECK(pops[c][std::size_t(i)] == (i + 1) * per_flit);
    CHECK(pops[c].back() == k.n * per_flit);
    CHECK(links[c]->stats().busy_cycles == k.n * per_flit);
    CHECK(links[c]->stats().full_waits == std::max(0, k.n - int(k.depth)));
  }
}

TEST_CASE("link: a full buffer blocks the producer and the waits are counted",
          "[noc][link][backpressure]") {
  Link<int> link("link", 2, 8, cycle());
  int pushed = 0;
  std::vector<int64_t> push_done;
  thread("producer", [&] {
    for (int i = 0; i < 10; ++i) {
      link.push(i, 8);
      ++pushed;
      push_done.push_back(now_cycles());
    }
  });
  thread("consumer", [&] {
    wait_cycles(100);  // asleep: everything the producer sends piles up
    for (int i = 0; i < 10; ++i) {
      REQUIRE(link.pop() == i);
      wait_cycles(10);
    }
  });

  run_cycles(50);
  CHECK(pushed == 2);  // depth 2: the third push is blocked
  CHECK(link.occupancy() == 2);
  CHECK(link.full());
  CHECK(link.can_pop());
  CHECK(link.stats().full_waits == 1);
  CHECK(link.stats().full_wait_cycles == 0);  // still waiting: counted when it resumes

  sc_core::sc_start();
  REQUIRE(pushed == 10);
  // Pushes 3..10 each found the buffer full; push k (k >= 2) resumed at the pop at 100+10(k-2).
  CHECK(link.stats().full_waits == 8);
  for (int k = 2; k < 10; ++k) CHECK(push_done[std::size_t(k)] == 100 + 10 * (k - 2));
  CHECK(link.stats().full_wait_cycles == 100 + 7 * 10);
  CHECK(link.stats().flits == 10);
  link.reset_stats();
  CHECK(link.stats().flits == 0);
  CHECK(link.stats().full_waits == 0);
}

TEST_CASE("link: non-blocking access and events and access from sc_main between runs",
          "[noc][link][events]") {
  Link<int> link("link", 2, 4, cycle());
  std::vector<std::pair<int, int64_t>> got;  // value, cycle
  // A method consumer: drains what has arrived whenever the arrival event fires.
  method_on("consumer", link.arrival_event(), [&] {
    int v = 0;
    while (link.nb_pop(v)) got.emplace_back(v, now_cycles());
  });
  thread("producer", [&] {
    CHECK(link.nb_push(1, 8));   // 2 cycles: arrives at 2
    CHECK(link.nb_push(2, 4));   // then 1 cycle: arrives at 3
    CHECK_FALSE(link.nb_push(3, 4));  // full: refused, not blocked
    CHECK_FALSE(link.can_pop());
    int v = 0;
    CHECK_FALSE(link.nb_pop(v));
  });

  run_cycles(10);
  REQUIRE(got.size() == 2);
  CHECK(got[0] == std::make_pair(1, int64_t(2)));
  CHECK(got[1] == std::make_pair(2, int64_t(3)));
  CHECK(link.stats().full_waits == 1);  // the refused nb_push

  // From sc_main (outside the evaluation phase) the link still announces what it gets.
  REQUIRE(link.nb_push(7, 9));  // 3 cycles: arrives at 13
  CHECK(link.head_arrival() == sc_core::sc_time(13, sc_core::SC_NS));
  CHECK(link.front() == 7);
  run_cycles(5);
  REQUIRE(got.size() == 3);
  CHECK(got[2] == std::make_pair(7, int64_t(13)));
  CHECK(link.empty());
}

TEST_CASE("link: a pop from sc_main wakes a blocked producer", "[noc][link][events]") {
  Link<int> link("link", 1, 8, cycle());
  int64_t second_push = -1;
  thread("producer", [&] {
    link.push(1, 8);
    link.push(2, 8);  // blocks until sc_main pops
    second_push = now_cycles();
  });
  run_cycles(20);
  CHECK(second_push == -1);
  int v = 0;
  REQUIRE(link.nb_pop(v));
  CHECK(v == 1);
  run_cycles(5);
  CHECK(second_push == 20);
  REQUIRE(link.nb_pop(v));
  CHECK(v == 2);
}

TEST_CASE("link: constructor and push arguments are validated", "[noc][link][validation]") {
  CHECK_THROWS_AS(Link<int>("zero_depth", 0, 8, cycle()), std::invalid_argument);
  CHECK_THROWS_AS(Link<int>("zero_width", 1, 0, cycle()), std::invalid_argument);
  CHECK_THROWS_AS(Link<int>("negative_width", 1, -3, cycle()), std::invalid_argument);
  CHECK_THROWS_AS(Link<int>("zero_cycle", 1, 8, sc_core::SC_ZERO_TIME), std::invalid_argument);
  CHECK_THROWS_WITH(Link<int>("bad", 0, 8, cycle()), Catch::Contains("depth"));
  Link<int> ok("ok", 1, 8, cycle());
  CHECK_THROWS_AS(ok.nb_push(1, -1), std::invalid_argument);
  CHECK(ok.empty());
  CHECK(ok.nb_push(1, 0));  // zero bits still take one cycle
  CHECK(ok.stats().busy_cycles == 1);
}

TEST_CASE("link: an event first asked for mid-stream still announces the pending head",
          "[noc][link][events]") {
  // Nobody looks at the events while the flits are pushed, so none are announced yet.
  Link<int> link("link", 4, 8, cycle());
  std::vector<std::pair<int, int64_t>> got;  // value, cycle
  REQUIRE(link.nb_push(1, 24));  // 3 cycles: arrives at 3
  REQUIRE(link.nb_push(2, 8));   // arrives at 4
  thread("late_listener", [&] {
    wait_cycles(1);
    for (int i = 0; i < 2; ++i) {
      // Arms at cycle 1: the head must still wake us at 3; the pop then announces the next.
      sc_core::wait(link.arrival_event());
      int v = 0;
      REQUIRE(link.nb_pop(v));
      got.emplace_back(v, now_cycles());
    }
  });
  sc_core::sc_start();
  REQUIRE(got.size() == 2);
  CHECK(got[0] == std::make_pair(1, int64_t(3)));
  CHECK(got[1] == std::make_pair(2, int64_t(4)));
}
