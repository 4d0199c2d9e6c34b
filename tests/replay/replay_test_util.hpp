#pragma once
// Shared by the replay tests: a generated export (replay/testgen) in a fresh folder.
#include <filesystem>
#include <string>

#include "replay/testgen.hpp"
#include "characterize/energy_cost.hpp"
#include "spec/arch.hpp"
#include "spec/workload.hpp"

namespace enos::test {

inline std::string replay_data(const std::string& name) { return std::string(ENOS_REPLAY_DATA) + "/" + name; }
inline std::string config_file(const std::string& rel) { return std::string(ENOS_CONFIG_DIR) + "/" + rel; }

struct Generated {
  spec::ArchSpec arch;
  energy::EnergyTable table;
  spec::Workload workload;
  std::string dir;
};

// Generates DIR (removed first) from a workload with the given candidates on `runner`.
inline void generate(sim::Runner& runner, Generated& g, const std::string& workload, const std::string& dir,
                     const std::vector<pe::Candidate>& candidates, int images = 4, uint64_t seed = 7) {
  std::filesystem::remove_all(dir);
  g.workload = spec::load_workload(workload);
  g.dir = dir;
  replay::TestExportRequest req;
  req.workload = &g.workload;
  req.table = &g.table;
  req.candidates = candidates;
  req.seed = seed;
  req.images = images;
  req.out_dir = dir;
  replay::make_test_export(runner, req);
}

inline Generated default_target() {
  Generated g;
  g.arch = spec::load_arch(config_file("arch/default_reconfigurable_16x16.json"));
  g.table = characterize::load_arch_energy_table(g.arch, config_file("energy/default_45nm.json"));
  return g;
}

}  // namespace enos::test
