#include "replay/chrome_trace.hpp"

#include <map>

namespace enos::replay {
namespace {

using nlohmann::json;

// Thread ids of the tracks, in the order a viewer lists them.
const std::map<std::string, int> kTracks = {
    {"layers", 1}, {"array", 2}, {"dma", 3}, {"dram_wait", 4}, {"ppu", 5}};
const std::map<std::string, std::string> kTrackNames = {
    {"layers", "layers"}, {"array", "PE array passes (NoC streaming)"}, {"dma", "DMA: DRAM <-> global buffer"},
    {"dram_wait", "array waiting for DRAM"}, {"ppu", "post-processing unit"}};

json complete(const std::string& name, const std::string& track, double ts_us, double dur_us, json args) {
  return {{"name", name}, {"cat", track}, {"ph", "X"}, {"pid", 1}, {"tid", kTracks.at(track)},
          {"ts", ts_us}, {"dur", dur_us}, {"args", std::move(args)}};
}

// A counter track: each layer's energy by level (DRAM, GLB, NoC, scratchpads, datapath,
// leakage) as a stacked area over the layer's span, so memory and NoC activity show per layer.
json level_counter(const LayerReplay& l, double ts_us) {
  json args = json::object();
  for (const auto& [level, pj] : l.array.by_level_pj) args[level] = pj;
  for (const auto& [level, pj] : l.ppu.by_level_pj) args[level] = args.value(level, 0.0) + pj;
  return {{"name", "energy by level (pJ per layer)"}, {"ph", "C"}, {"pid", 1}, {"ts", ts_us}, {"args", args}};
}

}  // namespace

json chrome_trace(const ReplayResult& result, const spec::ArchSpec& arch) {
  const double us_per_cycle = arch.cycle_ns() / 1000.0;
  json events = json::array();
  events.push_back({{"name", "process_name"}, {"ph", "M"}, {"pid", 1}, {"args", {{"name", arch.name + " (one inference)"}}}});
  for (const auto& [track, tid] : kTracks)
    events.push_back({{"name", "thread_name"}, {"ph", "M"}, {"pid", 1}, {"tid", tid}, {"args", {{"name", kTrackNames.at(track)}}}});
  double t = 0;  // cycles since the inference started
  for (const LayerReplay& l : result.layers) {
    const double cycles = l.array.cycles + double(l.ppu_cycles);
    if (cycles <= 0) continue;
    json args = {{"type", l.type}, {"cycles", cycles}, {"energy_pj", l.array.energy_pj + l.ppu.energy_pj}};
    if (!l.candidate.empty()) args["candidate"] = l.candidate;
    events.push_back(complete(l.name, "layers", t * us_per_cycle, cycles * us_per_cycle, args));
    events.push_back(level_counter(l, t * us_per_cycle));
    for (const sim::TraceEvent& e : l.trace) {
      const double start = t + double(e.start_cycle - l.start_cycle);
      events.push_back(complete(e.name, e.track, start * us_per_cycle, double(e.end_cycle - e.start_cycle) * us_per_cycle,
                                {{"layer", l.name}, {"cycles", e.end_cycle - e.start_cycle}}));
    }
    if (l.ppu_cycles > 0)
      events.push_back(complete(l.name + " (" + l.type + ")", "ppu", (t + l.array.cycles) * us_per_cycle,
                                double(l.ppu_cycles) * us_per_cycle, {{"energy_pj", l.ppu.energy_pj}}));
    t += cycles;
  }
  events.push_back({{"name", "energy by level (pJ per layer)"}, {"ph", "C"}, {"pid", 1}, {"ts", t * us_per_cycle},
                    {"args", {{"dram", 0}, {"glb", 0}, {"noc", 0}, {"spad", 0}, {"datapath", 0}, {"leakage", 0}}}});
  return {{"traceEvents", events}, {"displayTimeUnit", "ns"},
          {"otherData", {{"clock_mhz", arch.clock_mhz}, {"architecture", arch.name}}}};
}

}  // namespace enos::replay
