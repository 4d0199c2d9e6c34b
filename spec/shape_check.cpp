#include "spec/shape_check.hpp"

namespace enos::spec {

namespace {
std::string str(int v) { return std::to_string(v); }
}  // namespace

std::optional<ShapeProblem> conv_problem(const pe::ConvShape& s) {
  // The field-specific checks below divide by and compare fields; leave non-positive fields
  // to ConvShape::check(), which names them.
  if (s.C < 1 || s.K < 1 || s.H < 1 || s.W < 1 || s.R < 1 || s.S < 1 || s.stride < 1 || s.pad < 0 || s.groups < 1)
    return ShapeProblem{"", s.check()};
  if (s.C % s.groups != 0)
    return ShapeProblem{"groups", "must divide the input channels (" + str(s.C) + "), got " + str(s.groups)};
  if (s.K % s.groups != 0)
    return ShapeProblem{"groups", "must divide out_channels (" + str(s.K) + "), got " + str(s.groups)};
  // Padding of a whole kernel or more gives outputs that see nothing but zeros.
  if (s.pad >= s.R || s.pad >= s.S)
    return ShapeProblem{"pad", "must be smaller than the kernel (" + str(s.R) + "×" + str(s.S) + "), got " + str(s.pad)};
  if (s.R > s.H + 2 * s.pad || s.S > s.W + 2 * s.pad)
    return ShapeProblem{"kernel", "kernel " + str(s.R) + "×" + str(s.S) + " is larger than the padded input " +
                                      str(s.H + 2 * s.pad) + "×" + str(s.W + 2 * s.pad)};
  std::string reason = s.check();
  if (!reason.empty()) return ShapeProblem{"", reason};
  return std::nullopt;
}

int pool_out(int size, int kernel, int stride, int pad) { return (size + 2 * pad - kernel) / stride + 1; }

std::optional<ShapeProblem> pool_problem(int H, int W, int kernel, int pad) {
  // Same rule as PyTorch: a window must overlap the real map by at least half.
  if (2 * pad > kernel)
    return ShapeProblem{"pad", "must be at most half the kernel (" + str(kernel) + "), got " + str(pad)};
  if (kernel > H + 2 * pad || kernel > W + 2 * pad)
    return ShapeProblem{"kernel", "window " + str(kernel) + " is larger than the padded input " +
                                      str(H + 2 * pad) + "×" + str(W + 2 * pad)};
  return std::nullopt;
}

}  // namespace enos::spec
