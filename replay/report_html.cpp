#include "replay/report.hpp"

namespace enos::replay {

std::string report_html(const nlohmann::json& r) {
  return "<!doctype html><html><body><pre>" + r.dump(1) + "</pre></body></html>\n";
}

}  // namespace enos::replay
