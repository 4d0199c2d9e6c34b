#include "spec/workload_files.hpp"

#include <filesystem>

#include "spec/config_files.hpp"
#include "spec/json_reader.hpp"

namespace enos::spec {

std::string model_workload_name(const std::string& model, const std::string& input, int classes) {
  return model + "_" + input + (classes == 10 ? "" : "_" + std::to_string(classes) + "classes");
}

std::string model_workload_file(const std::string& model, const std::string& input, int classes) {
  const std::string file = config_dir() + "/workloads/" + model_workload_name(model, input, classes) + ".json";
  if (!std::filesystem::exists(file))
    throw spec::SpecError("--model", model,
                          "no shipped workload for this model, input " + input + " and " + std::to_string(classes) +
                              " classes (looked for " + file + "); write one with `enos models --export " + model +
                              " --input " + input + " --classes " + std::to_string(classes) +
                              " --out W.json` and give --workload W.json");
  return file;
}

std::vector<const spec::Layer*> mac_layers(const spec::Workload& w) {
  std::vector<const spec::Layer*> out;
  for (const spec::Layer& l : w.layers)
    if (l.is_mac()) out.push_back(&l);
  return out;
}

}  // namespace enos::spec
