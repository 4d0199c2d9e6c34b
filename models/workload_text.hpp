#pragma once
// The text form of exported workloads: spec::to_json's content, one layer per line with
// name, type and inputs first, so shipped files diff well and a fresh export can be compared
// byte for byte. Also the HxWxC spelling of input shapes used in file names and options.
#include <string>

#include "spec/workload.hpp"

namespace enos::models {

std::string workload_text(const spec::Workload& w);

// "32x32x3" (height × width × channels, the file-name order) ↔ FeatureShape {C, H, W}.
// parse_input_shape throws std::invalid_argument with the reason.
spec::FeatureShape parse_input_shape(const std::string& text);
std::string input_shape_text(const spec::FeatureShape& s);

}  // namespace enos::models
