// index.html of `enos explore` as a reader uses it: a legend, each point's swept settings and
// a link to its record, the invalid rows with their reasons, and numbers equal to
// results.json's.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include <nlohmann/json.hpp>

#include "../replay/html_values.hpp"
#include "run_command.hpp"

using namespace enos;

namespace {

std::string slurp(const std::string& path) {
  std::ifstream f(path);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("the explore page: legend, settings, links, reasons, and results.json's numbers", "[e2e][explore]") {
  std::filesystem::remove_all("ex_page");
  const test::CommandResult r = test::run_enos("explore --sweep " + test::config("sweeps/example_tiny.json") +
                                               " --out ex_page/out --cache ex_page/cache --jobs 1");
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  const std::string html = slurp("ex_page/out/index.html");
  const nlohmann::json res = nlohmann::json::parse(slurp("ex_page/out/results.json"));
  nlohmann::json doc = {{"rows", res["rows"]}};
  CHECK(test::check_shown_values(html, doc) > 20);
  // Every valid row says its point's dataflows, and the legend shapes them.
  for (const auto& row : res["rows"])
    if (row["valid"].get<bool>()) CHECK(row["dataflows"].size() >= 1);
  CHECK(html.find("class=\"legend\"") != std::string::npos);
  CHECK(html.find("WS+OS") != std::string::npos);
  // A marker's tooltip names every swept setting; it links to the point's record.
  CHECK(std::regex_search(html, std::regex("<a href=\"points/p\\d{4}\\.json\"><title>p\\d{4} · [^<]*noc\\.topology=[a-z_]+, "
                                           "dataflows=[A-Z+]+, clock_mhz=\\d+, pe\\.modes\\.int:w2a2=[^,]+, "
                                           "global_buffer\\.size_kib=\\d+")));
  for (const auto& row : res["rows"]) CHECK(std::filesystem::exists("ex_page/out/points/" + row["point"].get<std::string>() + ".json"));
  // Invalid rows by reason, with their count.
  CHECK(html.find("weight_stationary needs neighbour psum links") != std::string::npos);
  // (the operator's own row, and the mapped network's row naming its layer: two reasons)
  CHECK(html.find("<td>arch.pe.modes: does not support int:w2a2</td><td class=\"n\">8</td>") != std::string::npos);
  CHECK(html.find("<td>arch.pe.modes: does not support int:w2a2 (layer dw2)</td><td class=\"n\">8</td>") != std::string::npos);
  // How to read three 2-D views of one 3-D front; offline.
  CHECK(html.find("3-D") != std::string::npos);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(!std::regex_search(html, std::regex(R"((src|href)="(https?:)?//)")));
}
