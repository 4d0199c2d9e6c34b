#pragma once
// The shipped workloads and the MAC layers of a workload: shared by characterize/ and explore/,
// and free of SystemC so the sweep loader builds alone (the fuzz targets, fuzz/).
#include <string>
#include <vector>

#include "spec/workload.hpp"

namespace enos::spec {

// The class counts a model's classifier may have: from a binary classifier up to a bound that
// keeps a hostile --classes or "classes" from asking for a classifier of unbounded size.
constexpr int kMinClasses = 2;
constexpr int kMaxClasses = 100000;

// A model's workload name: "<model>_<input>" for 10 classes, "<model>_<input>_<classes>classes"
// otherwise (CIFAR-100's classifier has 100 outputs, so its LUT is another workload's).
std::string model_workload_name(const std::string& model, const std::string& input, int classes = 10);
// The shipped workload configs/workloads/<model_workload_name>.json. SpecError when absent,
// saying how to export one.
std::string model_workload_file(const std::string& model, const std::string& input, int classes = 10);

// The MAC layers of the workload, in order.
std::vector<const spec::Layer*> mac_layers(const spec::Workload& w);

}  // namespace enos::spec
