// The Pareto front of explore's results (explore/results.cpp, mark_pareto) against its
// definition, on random rows with many ties: per workload, energy, latency and area minimized.
#include <catch2/catch.hpp>

#include <random>

#include "explore/results.hpp"

using namespace enos;

namespace {

// The definition, written apart from the code under test: no worse in every objective and
// better in one.
bool dominates(const explore::ResultRow& a, const explore::ResultRow& b) {
  const bool no_worse = a.energy_uj <= b.energy_uj && a.latency_us <= b.latency_us && a.area_mm2 <= b.area_mm2;
  const bool better = a.energy_uj < b.energy_uj || a.latency_us < b.latency_us || a.area_mm2 < b.area_mm2;
  return a.valid && a.workload == b.workload && no_worse && better;
}

// Few distinct values, so equal objectives (and equal rows) are common.
std::vector<explore::ResultRow> random_rows(std::mt19937_64& rng) {
  std::vector<explore::ResultRow> rows(1 + rng() % 40);
  for (explore::ResultRow& r : rows) {
    r.workload = rng() % 2 ? "a" : "b";
    r.valid = rng() % 10 != 0;
    r.energy_uj = double(rng() % 6);
    r.latency_us = double(rng() % 6) / 4;
    r.area_mm2 = double(rng() % 3);
  }
  return rows;
}

}  // namespace

TEST_CASE("no front row is dominated and every other valid row is dominated by a front row", "[explore][pareto]") {
  std::mt19937_64 rng(17);
  for (int trial = 0; trial < 500; ++trial) {
    std::vector<explore::ResultRow> rows = random_rows(rng);
    explore::mark_pareto(rows);
    for (const explore::ResultRow& r : rows) {
      CHECK(r.fields["pareto"] == r.pareto);
      if (!r.valid) {
        CHECK_FALSE(r.pareto);
        continue;
      }
      bool dominated = false, dominated_by_front = false;
      for (const explore::ResultRow& o : rows) {
        dominated = dominated || dominates(o, r);
        dominated_by_front = dominated_by_front || (o.pareto && dominates(o, r));
      }
      INFO("trial " << trial << ": " << r.workload << " " << r.energy_uj << " " << r.latency_us << " " << r.area_mm2);
      CHECK(r.pareto == !dominated);
      if (!r.pareto) CHECK(dominated_by_front);
    }
  }
}

TEST_CASE("equal rows are on the front together and workloads have fronts of their own", "[explore][pareto]") {
  std::vector<explore::ResultRow> rows(4);
  for (explore::ResultRow& r : rows) {
    r.valid = true;
    r.workload = "a";
    r.energy_uj = r.latency_us = r.area_mm2 = 1;
  }
  rows[2].workload = "b";  // worse, but alone in its workload
  rows[2].energy_uj = 9;
  rows[3].energy_uj = 2;  // dominated by the two equal rows
  explore::mark_pareto(rows);
  CHECK(rows[0].pareto);
  CHECK(rows[1].pareto);
  CHECK(rows[2].pareto);
  CHECK_FALSE(rows[3].pareto);
}
