#pragma once
// Helpers for the exploration library's tests: a small sweep of the shipped configs, written
// where the test runs (each TEST_CASE is its own process and names its own files).
#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

namespace enos::test {

inline std::string config(const std::string& relative) { return std::string(ENOS_CONFIG_DIR) + "/" + relative; }

// 2 clocks × 3 global-buffer sizes on the tiny workload in one operator: 6 points.
inline nlohmann::json small_sweep() {
  nlohmann::json s = nlohmann::json::parse(R"({
    "name": "unit",
    "parameters": [
      {"key": "clock_mhz", "values": [250, 500]},
      {"key": "global_buffer.size_kib", "range": {"from": 32, "to": 128, "times": 2}}
    ],
    "workloads": [{"candidates": ["int:w8a8"]}]
  })");
  s["base"] = config("arch/default_reconfigurable_16x16.json");
  s["area_table"] = config("area/default_45nm.json");
  s["workloads"][0]["workload"] = config("workloads/tiny.json");
  return s;
}

inline std::string write_json(const std::string& file, const nlohmann::json& doc) {
  const std::filesystem::path parent = std::filesystem::path(file).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent);
  std::ofstream(file) << doc.dump(1);
  return file;
}

inline std::string read_text(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace enos::test
