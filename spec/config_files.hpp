#pragma once
// The shipped configs (configs/ beside the sources, or $ENOS_CONFIG_DIR) and the default files
// a command starts from. Here, not in tools/, because the characterization and exploration
// libraries resolve them too (an architecture naming no energy table, a sweep's model).
#include <string>

namespace enos::spec {

std::string config_dir();
std::string default_arch_path();
std::string default_workload_path();
std::string default_energy_table_path();

}  // namespace enos::spec
