#pragma once
// Where a layer's cycles go. The SystemC model measures this breakdown and the analytical
// model estimates it, in the same categories, so the two compare field by field. Every cycle
// is in exactly one category, so they always sum to the total.
#include <cstdint>

#include <nlohmann/json.hpp>

namespace enos::dataflow {

struct CycleBreakdown {
  int64_t busy = 0;        // array steps of a pass's ideal stream (one operand vector per cycle)
  int64_t fill_drain = 0;  // weight preload, skew fill/drain, output drain, link start-up, psum tail
  int64_t stall_dram = 0;  // array idle waiting for DRAM transfers
  int64_t stall_glb_ports = 0;
  int64_t stall_noc = 0;

  int64_t total() const { return busy + fill_drain + stall_dram + stall_glb_ports + stall_noc; }
  CycleBreakdown& operator+=(const CycleBreakdown& o);
  // {"total", "busy", "stalls": {"dram_bandwidth", "glb_ports", "noc", "fill_drain"}}
  nlohmann::json to_json() const;
};

}  // namespace enos::dataflow
