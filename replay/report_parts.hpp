#pragma once
// Pieces of report.json shared by report_json.cpp, report_layers_json.cpp and
// report_flags.cpp (not part of the replay's interface).
#include <nlohmann/json.hpp>

#include "replay/report.hpp"

namespace enos::replay::detail {

// Cycle causes, in the order charts stack them; every layer's `by_cause_cycles` has these
// keys and they sum to its `cycles`.
inline const char* const kCycleCauses[] = {"busy", "dram_bandwidth_stall", "fill_drain", "glb_port_stall", "noc_stall",
                                           "ppu"};

// One entry of report.json `layers[]` per workload layer.
nlohmann::json layers_json(const ReportInputs& in);

// Network totals summed from `layers[]`: the sections `energy` (without the budget),
// `latency` and `utilization`.
nlohmann::json energy_totals(const nlohmann::json& layers);
nlohmann::json latency_totals(const nlohmann::json& layers, double clock_mhz);
nlohmann::json utilization_totals(const nlohmann::json& layers, int64_t pes);

// What deserves a reader's attention (report.json `flags`), from the finished report.
nlohmann::json report_flags(const nlohmann::json& report);

}  // namespace enos::replay::detail
