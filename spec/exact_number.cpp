#include "spec/exact_number.hpp"

#include <cstdio>

namespace enos::spec {

std::string exact_number(double value) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", value);  // 17 significant digits identify any double
  return buf;
}

}  // namespace enos::spec
