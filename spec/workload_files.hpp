#pragma once
// The shipped workloads and the MAC layers of a workload: shared by characterize/ and explore/,
// and free of SystemC so the sweep loader builds alone (the fuzz targets, fuzz/).
#include <string>
#include <vector>

#include "spec/workload.hpp"

namespace enos::spec {

// The shipped workload configs/workloads/<model>_<input>.json (SpecError when absent).
std::string model_workload_file(const std::string& model, const std::string& input);

// The MAC layers of the workload, in order.
std::vector<const spec::Layer*> mac_layers(const spec::Workload& w);

}  // namespace enos::spec
