// MulticastBus: exactly-once multicast delivery under random stalls, timing, backpressure,
// fairness. Each TEST_CASE elaborates once (SystemC allows one elaboration per process).
#include "noc_test_util.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "noc/multicast_bus.hpp"

using enos::noc::Addressed;
using enos::noc::MulticastBus;
using namespace enos::noc::test;

namespace {

struct Packet {
  int source = -1;
  int64_t seq = -1;
};
using Bus = MulticastBus<Packet>;

struct Sent {
  uint64_t mask = 0;
  int bits = 0;
  int64_t pushed = 0;
};
struct Received {
  int source;
  int64_t seq;
  int64_t cycle;
};

// Producers that send `count` packets each to random destination sets, with random stalls.
void spawn_random_producers(Bus& bus, int count, std::vector<std::vector<Sent>>& sent) {
  const uint64_t all = (uint64_t(1) << bus.destinations()) - 1;
  for (int s = 0; s < bus.sources(); ++s) {
    const std::string name = "producer_" + std::to_string(s);
    thread(name.c_str(), [&bus, &out = sent[std::size_t(s)], s, count, all] {
      std::mt19937_64 rng(100 + s);
      for (int i = 0; i < count; ++i) {
        if (rng() % 4 == 0) wait_cycles(int64_t(rng() % 7));
        Sent x{0, int(rng() % 50), 0};
        while (x.mask == 0) x.mask = rng() & all;
        Addressed<Packet> a{Packet{s, i}, x.mask, x.bits};
        if (rng() % 2) {
          bus.source(s).push(a, x.bits);
        } else {
          while (!bus.source(s).nb_push(a, x.bits)) sc_core::wait(bus.source(s).space_event());
        }
        x.pushed = now_cycles();
        out.push_back(x);
      }
    });
  }
}

void spawn_random_consumers(Bus& bus, std::vector<std::vector<Received>>& got) {
  for (int d = 0; d < bus.destinations(); ++d) {
    const std::string name = "consumer_" + std::to_string(d);
    thread(name.c_str(), [&bus, &out = got[std::size_t(d)], d] {
      std::mt19937 rng(200 + d);
      for (;;) {
        if (rng() % 3 == 0) wait_cycles(int64_t(rng() % 10));
        const Packet p = bus.destination(d).pop();
        out.push_back({p.source, p.seq, now_cycles()});
      }
    });
  }
}

// Consumers that pop every copy the moment it arrives.
void spawn_eager_consumers(Bus& bus, std::vector<std::vector<Received>>& got) {
  for (int d = 0; d < bus.destinations(); ++d) {
    const std::string name = std::string(bus.name()) + "_consumer_" + std::to_string(d);
    thread(name.c_str(), [&bus, &out = got[std::size_t(d)], d] {
      for (;;) {
        const Packet p = bus.destination(d).pop();
        out.push_back({p.source, p.seq, now_cycles()});
      }
    });
  }
}

}  // namespace

TEST_CASE("bus: random stalls deliver each payload exactly once to each addressed destination",
          "[noc][bus]") {
  constexpr int kSources = 5, kDest = 7, kCount = 600, kWidth = 16;
  Bus bus("bus", kSources, kDest, 2, kWidth, cycle());
  std::vector<std::vector<Sent>> sent(kSources);
  std::vector<std::vector<Received>> got(kDest);
  spawn_random_producers(bus, kCount, sent);
  spawn_random_consumers(bus, got);
  sc_core::sc_start();

  int64_t deliveries = 0, busy = 0;
  for (int s = 0; s < kSources; ++s) {
    REQUIRE(int(sent[std::size_t(s)].size()) == kCount);
    for (const Sent& x : sent[std::size_t(s)]) {
      deliveries += __builtin_popcountll(x.mask);
      busy += ceil_cycles(x.bits, kWidth);
    }
  }
  for (int d = 0; d < kDest; ++d) {
    // Per source, destination d must see exactly the sequence numbers addressed to it, in order.
    std::map<int, std::vector<int64_t>> seen;
    for (const Received& r : got[std::size_t(d)]) {
      const Sent& x = sent[std::size_t(r.source)][std::size_t(r.seq)];
      REQUIRE((x.mask >> d & 1) == 1);  // never an unaddressed destination
      // Enqueue takes one cycle and the bus ceil(bits/width): a copy cannot arrive sooner.
      REQUIRE(r.cycle >= x.pushed + 1 + ceil_cycles(x.bits, kWidth));
      seen[r.source].push_back(r.seq);
    }
    for (int s = 0; s < kSources; ++s) {
      std::vector<int64_t> expected;
      for (int i = 0; i < kCount; ++i)
        if (sent[std::size_t(s)][std::size_t(i)].mask >> d & 1) expected.push_back(i);
      INFO("source " << s << " destination " << d);
      REQUIRE(seen[s] == expected);  // exactly once each, FIFO per source
    }
  }
  const auto& st = bus.stats();
  CHECK(st.transactions == kSources * kCount);
  CHECK(st.deliveries == deliveries);
  CHECK(st.busy_cycles == busy);
  for (int s = 0; s < kSources; ++s) {
    CHECK(st.grants[std::size_t(s)] == kCount);
    CHECK(bus.source(s).stats().flits == kCount);
  }
  int64_t dest_flits = 0;
  for (int d = 0; d < kDest; ++d) dest_flits += bus.destination(d).stats().flits;
  CHECK(dest_flits == deliveries);
  CHECK(st.backpressure_cycles > 0);  // consumers stalled often enough to block the bus
  CHECK(st.contention_cycles > 0);
  CHECK(st.busy_cycles <= now_cycles());
}

TEST_CASE("bus: stall-free streams take n*ceil(b/w)+1 cycles and rotate between sources",
          "[noc][bus][timing]") {
  // One source multicasting n flits to both destinations: k = ceil(40/16) = 3 cycles each.
  Bus one("one", 1, 2, 2, 16, cycle());
  std::vector<std::vector<Received>> got_one(2);
  thread("one_producer", [&] {
    for (int i = 0; i < 20; ++i) one.source(0).push({Packet{0, i}, 0b11, 40}, 40);
  });
  spawn_eager_consumers(one, got_one);
  // Three sources, four flits each, all pushed at cycle 0 to destination 0; k = 2.
  constexpr int S = 3, m = 4, k = 2;
  Bus three("three", S, 1, m, 8, cycle());
  std::vector<std::vector<Received>> got_three(1);
  for (int s = 0; s < S; ++s) {
    const std::string name = "three_producer_" + std::to_string(s);
    thread(name.c_str(), [&three, s] {
      for (int i = 0; i < m; ++i) three.source(s).push({Packet{s, i}, 0b1, 16}, 16);
    });
  }
  spawn_eager_consumers(three, got_three);
  sc_core::sc_start();

  for (const auto& dest : got_one) {
    REQUIRE(dest.size() == 20);
    for (int i = 0; i < 20; ++i) CHECK(dest[std::size_t(i)].cycle == 1 + (i + 1) * 3);
  }
  CHECK(one.stats().deliveries == 40);
  CHECK(one.stats().contention_cycles == 0);

  REQUIRE(got_three[0].size() == S * m);
  for (int j = 0; j < S * m; ++j) {
    CHECK(got_three[0][std::size_t(j)].source == j % S);  // round robin 0,1,2,0,1,2,...
    CHECK(got_three[0][std::size_t(j)].seq == j / S);
    CHECK(got_three[0][std::size_t(j)].cycle == 1 + (j + 1) * k);
  }
  // All S-1 others wait through every transaction of the first m-1 rounds; in the last round
  // the p-th transaction leaves S-1-p waiting.
  CHECK(three.stats().contention_cycles == k * ((m - 1) * S * (S - 1) + S * (S - 1) / 2));
  CHECK(three.stats().backpressure_cycles == 0);
}

TEST_CASE("bus: a full destination stalls only the sources that address it",
          "[noc][bus][backpressure]") {
  Bus bus("bus", 2, 2, 1, 8, cycle());  // depth 1 everywhere, k = 1
  std::vector<std::vector<Received>> got(2);
  for (int s = 0; s < 2; ++s) {
    const std::string name = "producer_" + std::to_string(s);
    thread(name.c_str(), [&bus, s] {
      for (int i = 0; i < 5; ++i) bus.source(s).push({Packet{s, i}, uint64_t(1) << s, 8}, 8);
    });
  }
  thread("sleepy_consumer_0", [&] {
    wait_cycles(50);
    for (;;) {
      const Packet p = bus.destination(0).pop();
      got[0].push_back({p.source, p.seq, now_cycles()});
    }
  });
  thread("eager_consumer_1", [&] {
    for (;;) {
      const Packet p = bus.destination(1).pop();
      got[1].push_back({p.source, p.seq, now_cycles()});
    }
  });

  run_cycles(40);
  // Source 1 got through while source 0 was stuck behind its full destination.
  REQUIRE(got[1].size() == 5);
  for (int i = 0; i < 5; ++i) CHECK(got[1][std::size_t(i)].cycle == 3 + i);
  CHECK(got[0].empty());
  CHECK(bus.destination(0).full());

  sc_core::sc_start();
  REQUIRE(got[0].size() == 5);
  const std::vector<int64_t> expected0 = {50, 51, 52, 53, 54};
  for (int i = 0; i < 5; ++i) {
    CHECK(got[0][std::size_t(i)].seq == i);
    CHECK(got[0][std::size_t(i)].cycle == expected0[std::size_t(i)]);
  }
  const auto& st = bus.stats();
  CHECK(st.transactions == 10);
  CHECK(st.deliveries == 10);
  CHECK(st.backpressure_cycles == 50 - 7);  // bus idle from 7 until the consumer wakes
  CHECK(st.contention_cycles == 1 + 5);     // s1 behind s0's first flit, s0 behind s1's five
  CHECK(bus.source(0).stats().full_waits == 4);
  CHECK(bus.source(1).stats().full_waits == 4);
  CHECK(bus.source(0).stats().full_wait_cycles == 1 + 49 + 1 + 1);
}

TEST_CASE("bus: always-ready sources get grants within one of each other", "[noc][bus][fairness]") {
  constexpr int S = 4, m = 300, k = 2;
  Bus bus("bus", S, 3, 4, 10, cycle());
  std::vector<std::vector<Received>> got(3);
  for (int s = 0; s < S; ++s) {
    const std::string name = "producer_" + std::to_string(s);
    thread(name.c_str(), [&bus, s] {
      std::mt19937_64 rng(s);
      for (int i = 0; i < m; ++i) {
        const uint64_t mask = 1 + rng() % 7;
        bus.source(s).push({Packet{s, i}, mask, 11 + int(rng() % 10)}, 20);  // k = 2
      }
    });
  }
  spawn_eager_consumers(bus, got);
  for (int step = 0; step < 400; ++step) {
    run_cycles(3);
    const auto& g = bus.stats().grants;
    const auto [lo, hi] = std::minmax_element(g.begin(), g.end());
    REQUIRE(*hi - *lo <= 1);
  }
  sc_core::sc_start();
  for (int s = 0; s < S; ++s) CHECK(bus.stats().grants[std::size_t(s)] == m);
  CHECK(bus.stats().contention_cycles == k * ((m - 1) * S * (S - 1) + S * (S - 1) / 2));
}

TEST_CASE("bus: 64 sources and 64 destinations with broadcast and the top bit", "[noc][bus]") {
  Bus bus("bus", 64, 64, 2, 64, cycle());
  std::vector<std::vector<Received>> got(64);
  for (int s = 0; s < 64; ++s) {
    const std::string name = "producer_" + std::to_string(s);
    thread(name.c_str(), [&bus, s] {
      bus.source(s).push({Packet{s, 0}, ~uint64_t(0), 64}, 64);           // broadcast
      bus.source(s).push({Packet{s, 1}, uint64_t(1) << 63 | 1, 64}, 64);  // first and last
    });
  }
  spawn_eager_consumers(bus, got);
  sc_core::sc_start();
  for (int d = 0; d < 64; ++d) CHECK(got[std::size_t(d)].size() == (d == 0 || d == 63 ? 128 : 64));
  CHECK(bus.stats().deliveries == 64 * 64 + 64 * 2);
  CHECK(bus.stats().transactions == 128);
}

TEST_CASE("bus: constructor arguments are validated", "[noc][bus][validation]") {
  const auto make = [](int s, int d, std::size_t depth, int w) {
    Bus b("bad", s, d, depth, w, cycle());
  };
  CHECK_THROWS_AS(make(0, 1, 1, 8), std::invalid_argument);
  CHECK_THROWS_AS(make(65, 1, 1, 8), std::invalid_argument);
  CHECK_THROWS_AS(make(1, 0, 1, 8), std::invalid_argument);
  CHECK_THROWS_WITH(make(1, 65, 1, 8), Catch::Contains("destinations"));
  CHECK_THROWS_AS(make(1, 1, 0, 8), std::invalid_argument);
  CHECK_THROWS_AS(make(1, 1, 1, 0), std::invalid_argument);
  // A failed construction leaves the hierarchy usable.
  Bus ok("ok", 2, 2, 1, 8, cycle());
  CHECK(std::string(ok.destination(1).name()) == "ok.destination_1");
  CHECK_THROWS_AS(ok.source(2), std::out_of_range);
}

TEST_CASE("bus: a destination mask outside the bus is an error and not a silent drop",
          "[noc][bus][validation]") {
  Bus bus("bus", 1, 2, 1, 8, cycle());
  thread("producer", [&] { bus.source(0).push({Packet{0, 0}, 0b100, 8}, 8); });
  CHECK_THROWS_WITH(sc_core::sc_start(), Catch::Contains("destination mask 4"));
}
