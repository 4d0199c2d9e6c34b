// report.json `flags`: what a reader should look at, found automatically. Each flag names its
// kind, the threshold it was held to and the layers concerned, so renderers list them as data.
#include <cstdio>

#include "replay/report_parts.hpp"

namespace enos::replay::detail {
namespace {

using nlohmann::json;

// A layer that is not a MAC but costs this share of the energy is where the PPU/DRAM model
// (docs/validate.md) matters most; below this PE utilization a layer wastes most of the array.
constexpr double kNonMacEnergyFrac = 0.05;
constexpr double kAgreementFrac = 0.99;
constexpr double kLowUtilizationFrac = 0.05;

std::string percent(double frac) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f %%", 100 * frac);
  return buf;
}

json flag(const std::string& kind, const std::string& severity, double threshold, const json& layers,
          const std::string& message) {
  return {{"kind", kind}, {"severity", severity}, {"threshold_frac", threshold}, {"layers", layers}, {"message", message}};
}

std::string listed(const json& names) {
  std::string out;
  const std::size_t shown = std::min<std::size_t>(names.size(), 6);
  for (std::size_t i = 0; i < shown; ++i) out += (i ? ", " : "") + names[i].get<std::string>();
  if (names.size() > shown) out += " and " + std::to_string(names.size() - shown) + " more";
  return out;
}

void layer_flags(const json& r, json& flags) {
  json heavy = json::array(), idle = json::array();
  for (const json& l : r["layers"]) {
    if (l["unit"] != "pe_array" && l["energy_frac"].get<double>() > kNonMacEnergyFrac) heavy.push_back(l["name"]);
    if (l["unit"] == "pe_array" && l["pe_busy_frac"].get<double>() < kLowUtilizationFrac) idle.push_back(l["name"]);
  }
  if (!heavy.empty())
    flags.push_back(flag("non_mac_energy", "warning", kNonMacEnergyFrac, heavy,
                         std::to_string(heavy.size()) + " layer(s) off the PE array above " + percent(kNonMacEnergyFrac) +
                             " of the energy: " + listed(heavy)));
  if (!idle.empty())
    flags.push_back(flag("low_utilization", "warning", kLowUtilizationFrac, idle,
                         std::to_string(idle.size()) + " MAC layer(s) keep fewer than " + percent(kLowUtilizationFrac) +
                             " of the PE-cycles busy: " + listed(idle)));
}

void agreement_flags(const json& r, json& flags) {
  const json& a = r["accuracy"];
  const auto check = [&](const char* key, const char* kind, const std::string& what) {
    if (a[key].is_null() || a[key].get<double>() >= kAgreementFrac) return;
    flags.push_back(flag(kind, "warning", kAgreementFrac, json::array(),
                         "predictions agree with " + what + " on " + percent(a[key].get<double>()) + " of the images (below " +
                             percent(kAgreementFrac) + ")"));
  };
  check("integer_reference_agreement_frac", "low_integer_reference_agreement", "the C++ integer reference");
  check("fake_quant_agreement_frac", "low_fake_quant_agreement", "the fake-quantized model (reference.json)");
}

}  // namespace

json report_flags(const json& r) {
  json flags = json::array();
  if (!r["bit_exact"]["ok"].get<bool>())
    flags.push_back(flag("mismatch", "error", 0, json::array(),
                         std::to_string(r["bit_exact"]["mismatches"].get<int64_t>()) +
                             " values differ from the C++ integer reference (layers[].bit_exact)"));
  layer_flags(r, flags);
  agreement_flags(r, flags);
  json varying = json::array();
  for (const json& l : r["layers"])
    if (l.value("counts_vary_between_images", false)) varying.push_back(l["name"]);
  if (!varying.empty())
    flags.push_back(flag("counts_vary_between_images", "info", 0, varying,
                         "action counts differ between images (energy is their mean): " + listed(varying)));
  if (!r["energy_table"]["matches_export"].get<bool>())
    flags.push_back(flag("energy_table_differs", "info", 0, json::array(),
                         "priced with another energy table than the search's LUT"));
  return flags;
}

}  // namespace enos::replay::detail
