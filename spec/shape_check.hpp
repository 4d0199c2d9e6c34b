#pragma once
// Shape checks shared by the workload parser and the --layer option (internal to spec/).
// Each problem names the field a user would change, so both callers can point at it.
#include <optional>
#include <string>

#include "pe/conv_shape.hpp"

namespace enos::spec {

struct ShapeProblem {
  std::string field;  // "groups", "kernel", "pad", "stride", "" when no single field is to blame
  std::string reason;
};

std::optional<ShapeProblem> conv_problem(const pe::ConvShape& s);
// A max/avg pool window of `kernel` with `pad` over an H×W map (any stride ≥ 1 then works).
std::optional<ShapeProblem> pool_problem(int H, int W, int kernel, int pad);
int pool_out(int size, int kernel, int stride, int pad);

}  // namespace enos::spec
