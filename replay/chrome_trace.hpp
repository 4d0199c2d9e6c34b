#pragma once
// A Chrome trace-event JSON (opens in Perfetto or chrome://tracing) of one replayed inference:
// every layer on a timeline in the report's latency model (layers in sequence), and inside
// each MAC layer the array passes, DMA transfers and DRAM waits the SystemC model logged.
#include <string>

#include <nlohmann/json.hpp>

#include "replay/replay.hpp"
#include "spec/arch.hpp"

namespace enos::replay {

// Needs a result replayed with ReplayRequest::trace.
nlohmann::json chrome_trace(const ReplayResult& result, const spec::ArchSpec& arch);

}  // namespace enos::replay
