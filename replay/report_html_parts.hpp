#pragma once
// Pieces of report.html (report_html.cpp assembles them; not part of the replay's interface).
#include <string>

#include <nlohmann/json.hpp>

namespace enos::replay::html {

// A number from report.json as shown: `<span class="v" data-k="/energy/replayed_uj">…</span>`.
// The pointer and scale let a test (and the browser check) compare every shown number with
// report.json. Null values show as "—".
std::string value(const nlohmann::json& report, const std::string& pointer, double scale, int decimals);
std::string percent_value(const nlohmann::json& report, const std::string& pointer, int decimals = 1);

std::string verdict_banner(const nlohmann::json& report);
std::string summary_cards(const nlohmann::json& report);
std::string flag_list(const nlohmann::json& report);
std::string layer_panel(const nlohmann::json& report);  // the aligned per-layer charts

}  // namespace enos::replay::html
