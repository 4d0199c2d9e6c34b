// Throughput of Link in wall time: hidden from CTest (tag [.]); run it by name:
//   ./test_noc "[.bench]"
#include "noc_test_util.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "noc/link.hpp"

using enos::noc::Link;
using namespace enos::noc::test;

TEST_CASE("bench: link flits per second in a tight producer/consumer pair", "[.bench][noc]") {
  constexpr int64_t kFlits = 5'000'000;
  Link<int64_t> link("link", 4, 64, cycle());
  int64_t sum = 0;
  thread("producer", [&] {
    for (int64_t i = 0; i < kFlits; ++i) link.push(i, 64);
  });
  thread("consumer", [&] {
    for (int64_t i = 0; i < kFlits; ++i) sum += link.pop();
  });
  const auto t0 = std::chrono::steady_clock::now();
  sc_core::sc_start();
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  REQUIRE(sum == kFlits * (kFlits - 1) / 2);
  REQUIRE(now_cycles() == kFlits);
  std::cout << "link: " << kFlits << " flits in " << s << " s = " << kFlits / s / 1e6
            << " M flits/s (one flit per simulated cycle)\n";
}

// The simulator's pattern: one clocked process moves a flit over every edge link each cycle
// (push on the upstream side, pop what has arrived on the downstream side), so the kernel
// switches once per cycle and the per-flit cost is the channel's own bookkeeping.
TEST_CASE("bench: link flits per second with one clocked process over 256 links", "[.bench][noc]") {
  constexpr int kLinks = 256;
  constexpr int64_t kCycles = 100'000;
  std::vector<std::unique_ptr<Link<int64_t>>> links;
  for (int i = 0; i < kLinks; ++i) {
    const std::string name = "link_" + std::to_string(i);
    links.push_back(std::make_unique<Link<int64_t>>(name.c_str(), 2, 64, cycle()));
  }
  int64_t sum = 0, moved = 0;
  thread("array", [&] {
    for (int64_t c = 0; c < kCycles; ++c) {
      for (auto& l : links) {
        int64_t v = 0;
        if (l->nb_pop(v)) {
          sum += v;
          ++moved;
        }
        l->nb_push(c, 64);
      }
      wait_cycles(1);
    }
  });
  const auto t0 = std::chrono::steady_clock::now();
  sc_core::sc_start();
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  REQUIRE(moved == kLinks * (kCycles - 1));
  std::cout << "link array: " << moved << " flits in " << s << " s = " << moved / s / 1e6
            << " M flits/s (" << kLinks << " links, one process)\n";
}
