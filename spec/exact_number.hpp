#pragma once
// A double written as text that reads back as the same double, for numbers handed on as text:
// a child process's command line, a cache key. (std::to_string keeps 6 decimals, so 1/3 came
// back as 0.333333 and two shares of zeros that differ past the sixth decimal shared a key.)
#include <string>

namespace enos::spec {

std::string exact_number(double value);

}  // namespace enos::spec
