#pragma once
// Shared by the hostile-input end-to-end tests (issue 18): edited copies of the shipped
// configs, generated exports, and checks that a refusal names its file, path and reason.
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "run_command.hpp"

namespace enos::test {

inline nlohmann::json read_json(const std::string& file) {
  std::ifstream f(file);
  return nlohmann::json::parse(f);
}

inline void write_json(const std::string& file, const nlohmann::json& j) { std::ofstream(file) << j.dump(1); }

// The default architecture with `edit` applied, written to `file` (its energy table absolute).
inline std::string edited_arch(const std::string& file, const std::function<void(nlohmann::json&)>& edit) {
  nlohmann::json a = read_json(config("arch/default_reconfigurable_16x16.json"));
  a["energy_table"] = config("energy/default_45nm.json");
  edit(a);
  write_json(file, a);
  return file;
}

// A generated export of tests/replay/data/two_layer.json in DIR (removed first).
inline std::string make_export(const std::string& dir) {
  std::filesystem::remove_all(dir);
  const CommandResult r = run_enos("dev-make-export --workload " + std::string(ENOS_SOURCE_DIR) +
                                   "/tests/replay/data/two_layer.json --candidates int:w8a8 --images 4 --out " + dir);
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  return dir + "/mapping.json";
}

inline std::string validate(const std::string& dir, const std::string& extra) {
  return "validate --mapping " + dir + "/mapping.json --dataset fashion-mnist:" + dir + "/data --images 4 " + extra;
}

// Exit 2, and every fragment in the output.
inline void require_refusal(const CommandResult& r, std::initializer_list<std::string> fragments) {
  INFO(r.output);
  CHECK(r.exit_code == 2);
  for (const std::string& f : fragments) CHECK_THAT(r.output, Catch::Contains(f));
  CHECK_THAT(r.output, !Catch::Contains("internal error"));
}

}  // namespace enos::test
