#include "tools/summary_table.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>

#include "replay/report_format.hpp"
#include "replay/report_occupancy.hpp"

namespace enos::tools {
namespace {

std::string format(const char* fmt, double a) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, a);
  return buf;
}

std::string mapping_text(const spec::Mapping& m) {
  return replay::fmt::dataflow_abbrev(spec::to_string(m.dataflow)) + " k" + std::to_string(m.k_tile) + " p" +
         std::to_string(m.p_tile) + (m.order == spec::LoopOrder::KOuter ? " k-outer" : " p-outer") +
         (m.double_buffer ? " db" : "");
}

// The same figures and definitions as the validation report (replay/report_occupancy.hpp).
struct Totals {
  int64_t macs = 0, cycles = 0, busy_pe_cycles = 0;
  double lane_slots = 0, energy_pj = 0;
  sim::CycleBreakdown by_cause;
  std::map<std::string, double> by_level;
};

replay::ArrayOccupancy occupancy(const sim::LayerReport& l, const sim::SimulationRequest& request) {
  return replay::array_occupancy(dataflow::make_plan(l.shape, request.candidate, *request.arch, l.mapping, l.residency));
}

void print_row(std::ostream& out, const sim::LayerReport& l, const energy::EnergyBreakdown& energy,
               const replay::Utilization& u) {
  const sim::CycleBreakdown& c = l.result.cycles;
  char line[320];
  std::snprintf(line, sizeof line, "%-22s %-28s %-20s %11lld %10lld %6.1f%% %9.1f%% %10.1f %9lld %9lld %8lld %8lld %s\n",
                l.name.c_str(), pe::to_string(l.shape).c_str(), mapping_text(l.mapping).c_str(), (long long)l.result.macs,
                (long long)c.total(), 100.0 * u.pe_busy_frac, 100.0 * u.lane_occupancy_frac, energy.total_pj / 1000.0,
                (long long)c.stall_dram, (long long)c.fill_drain, (long long)c.stall_glb_ports, (long long)c.stall_noc,
                l.mismatches ? "MISMATCH" : "ok");
  out << line;
}

std::string share(double part, double whole) { return format("%.1f %%", whole > 0 ? 100.0 * part / whole : 0.0); }

void print_totals(std::ostream& out, const Totals& t, const spec::ArchSpec& arch) {
  const int64_t pes = int64_t(arch.rows) * arch.cols;
  const replay::Utilization u = replay::utilization(t.macs, double(t.cycles), pes, t.busy_pe_cycles, t.lane_slots);
  const double us = double(t.cycles) * arch.cycle_ns() / 1000.0;
  const sim::CycleBreakdown& c = t.by_cause;
  out << "total: " << t.macs << " MACs, " << t.cycles << " cycles = " << format("%.2f", us) << " µs at "
      << format("%.0f", arch.clock_mhz) << " MHz\n"
      << "cycles: compute " << share(double(c.busy), double(t.cycles)) << ", DRAM stall "
      << share(double(c.stall_dram), double(t.cycles)) << ", fill/drain " << share(double(c.fill_drain), double(t.cycles))
      << ", GLB port stall " << share(double(c.stall_glb_ports), double(t.cycles)) << ", NoC stall "
      << share(double(c.stall_noc), double(t.cycles)) << "\n"
      << "PE utilization " << format("%.1f %%", 100 * u.pe_busy_frac)
      << " (PE-cycles issuing an operation / (cycles × " << pes << " PEs)); lanes full when busy "
      << format("%.1f %%", 100 * u.lane_occupancy_frac) << " (MACs / (busy PE-cycles × lanes)); "
      << format("%.2f", u.macs_per_pe_cycle) << " MACs per PE-cycle\n"
      << "energy: " << format("%.3f", t.energy_pj / 1e6) << " µJ per inference, "
      << format("%.3f", t.macs > 0 ? t.energy_pj / double(t.macs) : 0.0) << " pJ/MAC\n";
  for (const replay::fmt::Category& level : replay::fmt::energy_levels()) {
    auto it = t.by_level.find(level.key);
    if (it == t.by_level.end()) continue;
    char line[160];
    std::snprintf(line, sizeof line, "  %-14s %10.3f µJ %6.1f %% %9.3f pJ/MAC\n", level.label.c_str(), it->second / 1e6,
                  t.energy_pj > 0 ? 100 * it->second / t.energy_pj : 0.0, t.macs > 0 ? it->second / double(t.macs) : 0.0);
    out << line;
  }
}

// One line on where the data lived: what an architect checks first when DRAM dominates.
void print_buffer_plan(std::ostream& out, const dataflow::BufferPlan& plan, const spec::ArchSpec& arch) {
  int kept = 0, weights_kept = 0;
  for (const dataflow::TensorHome& t : plan.tensors) kept += t.resident;
  for (const dataflow::WeightHome& w : plan.weights) weights_kept += w.resident;
  if (!arch.glb.network_residency) {
    out << "buffer plan: off (arch.global_buffer.residency \"none\"): every layer's data crosses DRAM\n";
    return;
  }
  out << "buffer plan: " << kept << " of " << plan.tensors.size() << " tensors kept in the global buffer, weights of "
      << weights_kept << " of " << plan.weights.size() << " MAC layers resident (" << format("%.1f", plan.resident_weight_bytes() / 1024.0)
      << " KiB); at most " << format("%.1f", plan.peak_reserved_bytes() / 1024.0) << " of " << format("%.0f", plan.capacity_bytes / 1024.0)
      << " KiB held beside a layer's tiles\n";
}

}  // namespace

void print_summary(std::ostream& out, const characterize::PricedSimulation& priced,
                   const sim::SimulationRequest& request, bool totals_only) {
  const sim::SimulationReport& report = *priced.report;
  const energy::EnergyTable& table = *priced.table;
  const spec::ArchSpec& arch = *request.arch;
  out << "architecture " << arch.name << " (" << arch.rows << "x" << arch.cols << " PEs, "
      << format("%.0f", arch.clock_mhz) << " MHz, " << arch.technology_nm << " nm, hash " << arch.hash
      << ")\nenergy table " << table.name << " (" << table.file << ", "
      << table.technology_nm << " nm, hash " << table.hash << ")\nworkload " << request.workload->name
      << ", operator " << pe::to_string(request.candidate) << ", seed " << request.seed << "\n\n";
  if (!totals_only) {
    char head[320];
    std::snprintf(head, sizeof head, "%-22s %-28s %-20s %11s %10s %7s %10s %10s %9s %9s %8s %8s %s\n", "layer", "shape",
                  "mapping", "MACs", "cycles", "PE-util", "lanes-full", "energy nJ", "dram-stl", "fill-drn", "glb-stl",
                  "noc-stl", "check");
    out << head;
  }
  Totals t;
  const int64_t pes = int64_t(arch.rows) * arch.cols;
  for (std::size_t i = 0; i < report.layers.size(); ++i) {
    const sim::LayerReport& l = report.layers[i];
    const energy::EnergyBreakdown& energy = priced.layers[i];
    const replay::ArrayOccupancy occ = occupancy(l, request);
    const int64_t cycles = l.result.cycles.total();
    const double lane_slots = double(occ.busy_pe_cycles) * occ.lanes;
    if (!totals_only)
      print_row(out, l, energy, replay::utilization(l.result.macs, double(cycles), pes, occ.busy_pe_cycles, lane_slots));
    t.macs += l.result.macs;
    t.cycles += cycles;
    t.busy_pe_cycles += occ.busy_pe_cycles;
    t.lane_slots += lane_slots;
    t.by_cause += l.result.cycles;
    t.energy_pj += energy.total_pj;
    for (const auto& [level, pj] : energy.by_level_pj) t.by_level[level] += pj;
  }
  out << "\n" << report.layers.size() << " MAC layers on the array, " << report.skipped.size()
      << " other layers not simulated on it\n";
  print_buffer_plan(out, report.buffer_plan, arch);
  print_totals(out, t, arch);
  out << "bit-exact against the C++ reference: " << (report.bit_exact() ? "yes" : "NO") << "\n";
}

}  // namespace enos::tools
