#include "spec/config_files.hpp"

#include <cstdlib>

namespace enos::spec {

std::string config_dir() {
  if (const char* env = std::getenv("ENOS_CONFIG_DIR")) return env;
  return ENOS_CONFIG_DIR;
}

std::string default_arch_path() { return config_dir() + "/arch/default_reconfigurable_16x16.json"; }

std::string default_energy_table_path() { return config_dir() + "/energy/default_45nm.json"; }

std::string default_workload_path() {
  return config_dir() + "/workloads/shufflenetv2_x0.5_32x32x3.json";
}

}  // namespace enos::spec
