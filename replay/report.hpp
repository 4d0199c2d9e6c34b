#pragma once
// The validation report (docs/validate.md): report.json with stable keys, and the Markdown
// and HTML renderings of the same JSON.
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "energy/table.hpp"
#include "replay/replay.hpp"

namespace enos::replay {

struct ReportInputs {
  const Export* exported = nullptr;
  const spec::ArchSpec* arch = nullptr;
  const energy::EnergyTable* table = nullptr;
  const ReplayResult* result = nullptr;
  std::string dataset;              // NAME[:DIR] as used
  std::optional<double> budget_uj;  // --budget-uj, else the export's
  std::string tool_version;
};

// "within_budget", "over_budget", "no_budget" or "mismatch" (outputs differ: the run fails).
nlohmann::json report_json(const ReportInputs& in);

std::string report_markdown(const nlohmann::json& report);
std::string report_html(const nlohmann::json& report);

}  // namespace enos::replay
