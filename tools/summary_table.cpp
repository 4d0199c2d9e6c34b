#include "tools/summary_table.hpp"

#include <cstdio>
#include <map>
#include <string>

namespace enos::tools {
namespace {

std::string format(const char* fmt, double a) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, a);
  return buf;
}

std::string mapping_text(const spec::Mapping& m) {
  return std::string(m.dataflow == spec::Dataflow::WeightStationary ? "WS" : "OS") +
         " k" + std::to_string(m.k_tile) + " p" + std::to_string(m.p_tile) +
         (m.order == spec::LoopOrder::KOuter ? " k-outer" : " p-outer") +
         (m.double_buffer ? " db" : "");
}

void print_row(std::ostream& out, const sim::LayerReport& l) {
  const sim::CycleBreakdown& c = l.result.cycles;
  char line[256];
  std::snprintf(line, sizeof line, "%-22s %-28s %-22s %11lld %10lld %6.1f%% %10.1f %9lld %9lld %7lld %s\n",
                l.name.c_str(), pe::to_string(l.shape).c_str(), mapping_text(l.mapping).c_str(),
                (long long)l.result.macs, (long long)c.total(), 100.0 * l.utilization,
                l.energy.total_pj / 1000.0,
                (long long)c.stall_dram, (long long)c.stall_glb_ports, (long long)c.stall_noc,
                l.mismatches ? "MISMATCH" : "ok");
  out << line;
}

std::string by_level_text(const std::map<std::string, double>& by_level) {
  std::string out;
  for (const auto& [level, pj] : by_level) {
    if (!out.empty()) out += ", ";
    out += level + " " + format("%.3f", pj / 1e6);
  }
  return out + " µJ";
}

}  // namespace

void print_summary(std::ostream& out, const sim::SimulationReport& report,
                   const sim::SimulationRequest& request, bool totals_only) {
  const spec::ArchSpec& arch = *request.arch;
  out << "architecture " << arch.name << " (" << arch.rows << "x" << arch.cols << " PEs, "
      << format("%.0f", arch.clock_mhz) << " MHz, " << arch.technology_nm << " nm, hash " << arch.hash
      << ")\nenergy table " << request.table->name << " (" << request.table->file << ", "
      << request.table->technology_nm << " nm, hash " << request.table->hash << ")\nworkload " << request.workload->name
      << ", operator " << pe::to_string(request.candidate) << ", seed " << request.seed << "\n\n";
  int64_t macs = 0, cycles = 0;
  double capacity = 0, energy_pj = 0;
  std::map<std::string, double> by_level;
  if (!totals_only) {
    char head[256];
    std::snprintf(head, sizeof head, "%-22s %-28s %-22s %11s %10s %7s %10s %9s %9s %7s %s\n", "layer",
                  "shape", "mapping", "MACs", "cycles", "util", "energy nJ", "dram-stl", "glb-stl",
                  "noc-stl", "check");
    out << head;
  }
  for (const sim::LayerReport& l : report.layers) {
    if (!totals_only) print_row(out, l);
    macs += l.result.macs;
    energy_pj += l.energy.total_pj;
    for (const auto& [level, pj] : l.energy.by_level_pj) by_level[level] += pj;
    cycles += l.result.cycles.total();
    capacity += double(l.result.cycles.total()) * arch.rows * arch.cols *
                arch.find_mode(request.candidate)->lanes;
  }
  const double us = double(cycles) * arch.cycle_ns() / 1000.0;
  out << "\n" << report.layers.size() << " MAC layers on the array, " << report.skipped.size()
      << " other layers not simulated on it\n"
      << "total: " << macs << " MACs, " << cycles << " cycles = " << format("%.2f", us) << " µs at "
      << format("%.0f", arch.clock_mhz) << " MHz, utilization "
      << format("%.1f", capacity > 0 ? 100.0 * double(macs) / capacity : 0.0) << "%\n"
      << "energy: " << format("%.3f", energy_pj / 1e6) << " µJ per inference (" << by_level_text(by_level)
      << ")\nbit-exact against the C++ reference: " << (report.bit_exact() ? "yes" : "NO") << "\n";
}

}  // namespace enos::tools
