// report.md: the same report as report.html, in the same order, for terminals and reviews.
#include <cmath>
#include <map>
#include <sstream>

#include "replay/report.hpp"
#include "replay/report_columns.hpp"
#include "replay/report_format.hpp"

namespace enos::replay {
namespace {

using nlohmann::json;

std::string num(const json& v, int decimals, double scale = 1) {
  return v.is_null() ? "—" : fmt::number(v.get<double>() * scale, decimals);
}
std::string pct(const json& v, int decimals = 1) { return v.is_null() ? "—" : fmt::percent(v.get<double>(), decimals); }

void header(std::ostringstream& o, const json& r) {
  const json& a = r["architecture"];
  const json& t = r["energy_table"];
  const json& e = r["energy"];
  o << "# ENOS validation report: " << r["export"]["model"].get<std::string>() << "\n\n**Verdict: "
    << r["verdict"].get<std::string>() << "** — " << num(e["replayed_uj"], 2) << " µJ per inference";
  if (!e["budget_uj"].is_null())
    o << " = " << pct(e["budget_used_frac"]) << " of the " << num(e["budget_uj"], 2) << " µJ budget; "
      << (e["budget_margin_uj"].get<double>() < 0 ? "over by **" : "headroom **")
      << num(e["budget_margin_uj"], 2, e["budget_margin_uj"].get<double>() < 0 ? -1 : 1) << " µJ ("
      << num(e["budget_margin_frac"], 1, e["budget_margin_uj"].get<double>() < 0 ? -100 : 100) << " %)**";
  o << "\n\n- Architecture: " << a["name"].get<std::string>() << " (" << a["pe_array"]["rows"].get<int>() << "×"
    << a["pe_array"]["cols"].get<int>() << " PEs, clock " << num(a["clock_mhz"], 0) << " MHz, " << a["technology_nm"].get<int>()
    << " nm, hash " << a["hash"].get<std::string>() << ")\n- Energy table: " << t["name"].get<std::string>() << " ("
    << t["technology_nm"].get<int>() << " nm, hash " << t["hash"].get<std::string>()
    << (t["matches_export"].get<bool>() ? "" : "; differs from the export's table") << ")\n- Export: "
    << r["export"]["mapping"].get<std::string>() << " (mode " << r["export"]["mode"].get<std::string>() << ", seed "
    << r["export"]["seed"].dump() << "); dataset " << r["dataset"].get<std::string>() << "\n\n";
}

void summary(std::ostringstream& o, const json& r) {
  const json& e = r["energy"];
  const json& l = r["latency"];
  const json& acc = r["accuracy"];
  const json& u = r["utilization"];
  o << "## Summary\n\n| | value | detail |\n|---|--:|---|\n";
  o << "| energy per inference | " << num(e["replayed_uj"], 2) << " µJ | PE array " << num(e["array_uj"], 2)
    << " µJ + post-processing " << num(e["ppu_uj"], 2) << " µJ; LUT estimate (array) " << num(e["lut_estimate_uj"], 2)
    << " µJ ("
    << (std::abs(e["lut_error_frac"].get<double>()) < 1e-9 ? std::string("equal") : "replay − LUT: " + pct(e["lut_error_frac"], 2))
    << "); " << num(e["pj_per_mac"], 2) << " pJ/MAC |\n";
  o << "| latency | " << num(l["total_us"], 1) << " µs | " << fmt::integer(l["cycles"].get<int64_t>()) << " cycles at "
    << num(l["clock_mhz"], 0) << " MHz; compute " << pct(l["by_cause_frac"]["busy"]) << ", DRAM stalls "
    << pct(l["by_cause_frac"]["dram_bandwidth_stall"]) << ", fill/drain " << pct(l["by_cause_frac"]["fill_drain"])
    << ", post-processing " << pct(l["by_cause_frac"]["ppu"]) << " |\n";
  o << "| throughput | " << num(l["inferences_per_second"], 0) << " /s | inferences per second, one at a time |\n";
  o << "| accuracy | " << pct(acc["accuracy_frac"]) << " | " << acc["correct"].get<int64_t>() << " of "
    << acc["images"].get<int64_t>() << " test images";
  if (!acc["accuracy_ci95_frac"].is_null())
    o << " (95 % interval " << pct(acc["accuracy_ci95_frac"][0], 0) << "–" << pct(acc["accuracy_ci95_frac"][1], 0) << ")";
  if (!r["export"]["accuracy_frac"].is_null())
    o << "; the export's fake-quantized model: " << pct(r["export"]["accuracy_frac"]) << " on "
      << fmt::integer(r["export"]["test_images"].get<int64_t>()) << " images";
  o << " |\n| bit-exact | " << (r["bit_exact"]["ok"].get<bool>() ? "yes" : "**NO**") << " | "
    << fmt::integer(r["bit_exact"]["checked_values"].get<int64_t>()) << " values compared with the C++ integer reference, "
    << fmt::integer(r["bit_exact"]["mismatches"].get<int64_t>()) << " differ |\n";
  o << "| agreement with the fake-quantized model | " << pct(acc["fake_quant_agreement_frac"]) << " | "
    << acc["fake_quant_agreeing"].get<int64_t>() << " of " << acc["fake_quant_compared"].get<int64_t>()
    << " predictions (it rounds in float; docs/export-format.md, “Exactness”); with the integer reference "
    << pct(acc["integer_reference_agreement_frac"]) << " |\n";
  o << "| PE utilization | " << pct(u["pe_busy_frac"]) << " | PE-cycles issuing an operation / (array cycles × "
    << u["pes"].get<int64_t>() << " PEs); lanes full when busy " << pct(u["lane_occupancy_frac"])
    << " (MACs / (busy PE-cycles × lanes)); " << num(u["macs_per_pe_cycle"], 2) << " MACs per PE-cycle |\n\n";
}

void flags(std::ostringstream& o, const json& r) {
  o << "## Flags\n\n";
  if (r["flags"].empty()) o << "None: nothing crossed the report's thresholds.\n";
  for (const json& f : r["flags"]) o << "- **" << f["kind"].get<std::string>() << "**: " << f["message"].get<std::string>() << "\n";
  o << "\n";
}

void breakdowns(std::ostringstream& o, const json& r) {
  const json& e = r["energy"];
  o << "## Energy by level\n\n| level | µJ | share | pJ/MAC |\n|---|--:|--:|--:|\n";
  for (const LevelRow& l : level_rows(r))
    o << "| " << l.label << " | " << num(e["by_level_pj"][l.key], 3, 1e-6) << " | " << pct(e["by_level_frac"][l.key])
      << " | " << num(e["by_level_pj_per_mac"][l.key], 3) << " |\n";
  o << "\n## Cycles by cause\n\n| cause | cycles | share |\n|---|--:|--:|\n";
  for (const fmt::Category& c : fmt::cycle_causes())
    o << "| " << c.label << " | " << fmt::integer(r["latency"]["by_cause_cycles"][c.key].get<int64_t>()) << " | "
      << pct(r["latency"]["by_cause_frac"][c.key]) << " |\n";
  o << "\n## Energy by operator\n\n| operator | µJ | share |\n|---|--:|--:|\n";
  for (const auto& [op, pj] : e["by_operator_pj"].items())
    o << "| " << (op == "ppu" ? "post-processing unit" : op) << " | " << num(pj, 3, 1e-6) << " | "
      << pct(e["by_operator_frac"][op]) << " |\n";
  o << "\n";
}

void layers(std::ostringstream& o, const json& r) {
  const std::vector<Column> cols = layer_columns(r);
  o << "## Layers\n\n|";
  for (const Column& c : cols) o << " " << c.header << (c.unit.empty() ? "" : " (" + c.unit + ")") << " |";
  o << "\n|";
  for (const Column& c : cols) o << (c.numeric ? "--:|" : "---|");
  o << "\n";
  std::map<std::string, int> routing;
  for (std::size_t i = 0; i < r["layers"].size(); ++i) {
    const json& l = r["layers"][i];
    if (is_routing(l)) {
      ++routing[l["type"].get<std::string>()];
      continue;
    }
    o << "|";
    for (const Column& c : cols) o << " " << c.cell(l, i).text << " |";
    o << "\n";
  }
  if (!routing.empty()) {
    o << "\nNot listed: routing layers (address remappings the consumer's DMA absorbs; no energy, no cycles):";
    for (const auto& [type, n] : routing) o << " " << type << " ×" << n;
    o << ".\n";
  }
  o << "\nColumns:";
  for (const Column& c : cols)
    if (!c.note.empty()) o << " *" << c.header << "*: " << c.note << ".";
  o << "\n";
}

}  // namespace

std::string report_markdown(const json& r) {
  std::ostringstream o;
  header(o, r);
  summary(o, r);
  flags(o, r);
  breakdowns(o, r);
  layers(o, r);
  return o.str();
}

}  // namespace enos::replay
