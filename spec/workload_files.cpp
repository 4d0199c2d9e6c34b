#include "spec/workload_files.hpp"

#include <filesystem>

#include "spec/config_files.hpp"
#include "spec/json_reader.hpp"

namespace enos::spec {

std::string model_workload_file(const std::string& model, const std::string& input) {
  const std::string file = config_dir() + "/workloads/" + model + "_" + input + ".json";
  if (!std::filesystem::exists(file))
    throw spec::SpecError("--model", model,
                          "no shipped workload for this model and input " + input + " (looked for " + file + ")");
  return file;
}

std::vector<const spec::Layer*> mac_layers(const spec::Workload& w) {
  std::vector<const spec::Layer*> out;
  for (const spec::Layer& l : w.layers)
    if (l.is_mac()) out.push_back(&l);
  return out;
}

}  // namespace enos::spec
