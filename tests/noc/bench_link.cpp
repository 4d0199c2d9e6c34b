// Throughput of Link in wall time: hidden from CTest (tag [.]); run it by name:
//   ./test_noc "[.bench]"
#include "noc_test_util.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <iostream>

#include "noc/link.hpp"

using enos::noc::Link;
using namespace enos::noc::test;

TEST_CASE("bench: link flits per second, tight producer/consumer pair", "[.bench][noc]") {
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
