#include "tools/torch/replay_energy.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "energy/lut.hpp"
#include "spec/json_reader.hpp"
#include "spec/process.hpp"

namespace enos::tools {
namespace {

std::string last_lines(const std::string& file, std::size_t n) {
  std::ifstream in(file);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  std::string out;
  for (std::size_t i = lines.size() > n ? lines.size() - n : 0; i < lines.size(); ++i) out += lines[i] + "\n";
  return out;
}

}  // namespace

search::ReplayedEnergy replay_energy(const ReplayEnergyOptions& o, const std::string& export_dir) {
  const energy::Lut lut = energy::load_lut(o.lut_file);
  const std::string report = export_dir + "/report", log = export_dir + "/validate.log";
  const std::vector<std::string> argv{o.enos.empty() ? spec::sibling_executable("enos") : o.enos,
                                      "validate", "--arch", lut.architecture.file, "--energy-table",
                                      lut.energy_table.file, "--mapping", export_dir + "/mapping.json",
                                      "--dataset", o.dataset, "--images", std::to_string(o.images), "--out", report};
  const int code = spec::run_child(argv, log);
  // 0: within the budget, 3: over it, 1: some output differs from the reference (which the
  // final export's validation reports): each measured the energy wanted here.
  if (code != 0 && code != 1 && code != 3)
    throw std::runtime_error("the replay of a provisional export (enos validate) ended with exit code " +
                             std::to_string(code) + ":\n" + last_lines(log, 20));
  const nlohmann::json energy = spec::load_json_file(report + "/report.json").at("energy");
  return {energy.at("replayed_uj").get<double>() * 1e6, energy.at("array_uj").get<double>() * 1e6,
          energy.at("ppu_uj").get<double>() * 1e6};
}

}  // namespace enos::tools
