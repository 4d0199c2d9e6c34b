#include <cstdio>
#include <sstream>

#include "replay/report.hpp"

namespace enos::replay {
namespace {

using nlohmann::json;

std::string num(double v, const char* f = "%.3f") {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

std::string opt(const json& v, const char* f = "%.3f") { return v.is_null() ? "—" : num(v.get<double>(), f); }

void header(std::ostringstream& o, const json& r) {
  const json& a = r["architecture"];
  const json& t = r["energy_table"];
  o << "# ENOS validation report: " << r["export"]["model"].get<std::string>() << "\n\n";
  o << "**Verdict: " << r["verdict"].get<std::string>() << "**\n\n";
  o << "- Architecture: " << a["name"].get<std::string>() << " (" << a["pe_array"]["rows"].get<int>() << "×"
    << a["pe_array"]["cols"].get<int>() << " PEs, clock " << num(a["clock_mhz"].get<double>(), "%.0f") << " MHz, "
    << a["technology_nm"].get<int>() << " nm, hash " << a["hash"].get<std::string>() << ")\n";
  o << "- Energy table: " << t["name"].get<std::string>() << " (" << t["technology_nm"].get<int>() << " nm, hash "
    << t["hash"].get<std::string>() << (t["matches_export"].get<bool>() ? "" : "; differs from the export's table") << ")\n";
  o << "- Export: " << r["export"]["mapping"].get<std::string>() << " (mode " << r["export"]["mode"].get<std::string>()
    << ", seed " << r["export"]["seed"].get<uint64_t>() << "); dataset " << r["dataset"].get<std::string>() << "\n\n";
}

void summary(std::ostringstream& o, const json& r) {
  const json& e = r["energy"];
  const json& l = r["latency"];
  const json& acc = r["accuracy"];
  o << "## Summary\n\n| quantity | value |\n|---|---|\n";
  o << "| energy per inference, replayed | " << num(e["replayed_uj"].get<double>(), "%.4f") << " µJ |\n";
  o << "| of which PE array (LUT scope) | " << num(e["array_uj"].get<double>(), "%.4f") << " µJ |\n";
  o << "| of which post-processing unit | " << num(e["ppu_uj"].get<double>(), "%.4f") << " µJ |\n";
  o << "| LUT estimate (PE array) | " << num(e["lut_estimate_uj"].get<double>(), "%.4f") << " µJ |\n";
  o << "| relative LUT error (array vs LUT) | " << num(100 * e["relative_lut_error"].get<double>(), "%+.3f") << " % |\n";
  o << "| budget | " << opt(e["budget_uj"], "%.4f") << " µJ |\n";
  o << "| latency | " << num(l["cycles"].get<double>(), "%.0f") << " cycles, " << num(l["us"].get<double>(), "%.2f")
    << " µs, " << num(l["inferences_per_second"].get<double>(), "%.1f") << " inferences/s at "
    << num(l["clock_mhz"].get<double>(), "%.0f") << " MHz |\n";
  o << "| array utilization | " << num(100 * r["utilization"]["array"].get<double>(), "%.1f") << " % |\n";
  o << "| bit-exact | " << (r["bit_exact"]["ok"].get<bool>() ? "yes" : "NO") << " ("
    << r["bit_exact"]["checked_values"].get<int64_t>() << " values, " << r["bit_exact"]["mismatches"].get<int64_t>()
    << " mismatches) |\n";
  o << "| accuracy on " << acc["images"].get<int64_t>() << " images | " << num(100 * acc["accuracy"].get<double>(), "%.1f")
    << " % (fake-quantized model agreement " << opt(acc["fake_quant_agreement"], "%.3f") << ") |\n\n";
}

void breakdowns(std::ostringstream& o, const json& r) {
  o << "## Energy by level (pJ per inference)\n\n| level | pJ |\n|---|---|\n";
  for (const auto& [k, v] : r["energy"]["by_level_pj"].items()) o << "| " << k << " | " << num(v.get<double>(), "%.1f") << " |\n";
  o << "\n## Energy by operator (pJ per inference)\n\n| operator | pJ |\n|---|---|\n";
  for (const auto& [k, v] : r["energy"]["by_operator_pj"].items()) o << "| " << k << " | " << num(v.get<double>(), "%.1f") << " |\n";
  o << "\n";
}

void layers(std::ostringstream& o, const json& r) {
  o << "## Layers\n\n| layer | type | unit | operator | replayed pJ | LUT pJ | LUT error | cycles | utilization | mismatches |\n"
       "|---|---|---|---|---|---|---|---|---|---|\n";
  for (const json& l : r["layers"]) {
    const bool mac = l["unit"] == "pe_array";
    o << "| " << l["name"].get<std::string>() << " | " << l["type"].get<std::string>() << " | "
      << l["unit"].get<std::string>() << " | " << (mac ? l["candidate"].get<std::string>() : "") << " | "
      << num(l["energy_pj"].get<double>(), "%.1f") << " | " << (mac ? num(l["lut_energy_pj"].get<double>(), "%.1f") : "")
      << " | " << (mac ? num(100 * l["relative_lut_error"].get<double>(), "%+.3f %%") : "") << " | "
      << num(l["cycles"].get<double>(), "%.0f") << " | " << (mac ? num(100 * l["utilization"].get<double>(), "%.1f %%") : "")
      << " | " << l["bit_exact"]["mismatches"].get<int64_t>() << " |\n";
  }
  o << "\nReplayed energy of a MAC layer = PE-array energy (what the LUT estimates) + its "
       "requantization on the post-processing unit; the LUT error compares the array part only.\n";
}

}  // namespace

std::string report_markdown(const json& r) {
  std::ostringstream o;
  header(o, r);
  summary(o, r);
  breakdowns(o, r);
  layers(o, r);
  return o.str();
}

}  // namespace enos::replay
