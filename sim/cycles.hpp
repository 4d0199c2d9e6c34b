#pragma once
// Where a layer's cycles went. Every cycle is attributed to exactly one category, so the
// categories always sum to the total.
#include <cstdint>

#include <nlohmann/json.hpp>

namespace enos::sim {

enum class StallCause { Dram, GlbPorts, Noc, FillDrain };

struct CycleBreakdown {
  int64_t busy = 0;        // array steps of a tile's ideal stream (one input vector per cycle)
  int64_t fill_drain = 0;  // weight preload, skew fill/drain, output drain, link start-up
  int64_t stall_dram = 0;  // array idle waiting for DRAM transfers
  int64_t stall_glb_ports = 0;
  int64_t stall_noc = 0;

  int64_t total() const { return busy + fill_drain + stall_dram + stall_glb_ports + stall_noc; }
  void add_stall(StallCause cause, int64_t n);
  CycleBreakdown& operator+=(const CycleBreakdown& o);
  nlohmann::json to_json() const;
};

}  // namespace enos::sim
