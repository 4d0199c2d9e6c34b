// RoundRobinArbiter: plain C++, no simulation kernel involved.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <stdexcept>
#include <vector>

#include "noc/round_robin.hpp"

using enos::noc::RoundRobinArbiter;

TEST_CASE("round robin: nothing ready grants nothing", "[noc][arbiter]") {
  RoundRobinArbiter rr(4);
  CHECK(rr.grant(0) == -1);
  CHECK(rr.grant(uint64_t(1) << 4) == -1);  // bits beyond the requesters are ignored
  CHECK(rr.next_priority() == 0);
}

TEST_CASE("round robin: always-ready requesters are served in rotation", "[noc][arbiter]") {
  for (int n : {1, 2, 3, 7, 63, 64}) {
    RoundRobinArbiter rr(n);
    const uint64_t all = n == 64 ? ~uint64_t(0) : (uint64_t(1) << n) - 1;
    for (int i = 0; i < 3 * n; ++i) REQUIRE(rr.grant(all) == i % n);
  }
}

TEST_CASE("round robin: the pointer moves past the winner and wraps", "[noc][arbiter]") {
  RoundRobinArbiter rr(5);
  CHECK(rr.grant(0b10100) == 2);
  CHECK(rr.grant(0b10100) == 4);
  CHECK(rr.grant(0b10100) == 2);
  CHECK(rr.grant(0b00001) == 0);
  CHECK(rr.grant(0b00011) == 1);
  CHECK(rr.grant(0b00001) == 0);
  rr.reset();
  CHECK(rr.grant(0b11111) == 0);
}

TEST_CASE("round robin: a requester that stays ready waits at most n-1 grants", "[noc][arbiter]") {
  constexpr int n = 6;
  RoundRobinArbiter rr(n);
  std::mt19937_64 rng(3);
  std::vector<int> waited(n, 0);  // grants to others since this one became ready
  uint64_t pending = 0;           // requesters holding a request until granted
  std::vector<int64_t> grants(n, 0);
  for (int step = 0; step < 20000; ++step) {
    pending |= rng() & ((uint64_t(1) << n) - 1);
    const int g = rr.grant(pending);
    if (g < 0) continue;
    pending &= ~(uint64_t(1) << g);
    ++grants[std::size_t(g)];
    waited[std::size_t(g)] = 0;
    for (int i = 0; i < n; ++i)
      if (pending >> i & 1) REQUIRE(++waited[std::size_t(i)] <= n - 1);
  }
  for (int64_t c : grants) CHECK(c > 0);
}

TEST_CASE("round robin: requester count is validated", "[noc][arbiter][validation]") {
  CHECK_THROWS_AS(RoundRobinArbiter(0), std::invalid_argument);
  CHECK_THROWS_AS(RoundRobinArbiter(65), std::invalid_argument);
  CHECK_NOTHROW(RoundRobinArbiter(64));
}
