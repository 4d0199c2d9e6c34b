#include "tools/progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace enos::tools {

ProgressBar::ProgressBar(std::string label)
    : label_(std::move(label)), tty_(isatty(STDERR_FILENO)), start_(std::chrono::steady_clock::now()) {}

void ProgressBar::update(long done, long total) {
  if (!tty_ || total <= 0) return;
  constexpr int kWidth = 30;
  const int filled = int(kWidth * done / total);
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  std::fprintf(stderr, "\r%s [%.*s%*s] %ld/%ld  %.1f s", label_.c_str(), filled,
               "##############################", kWidth - filled, "", done, total, s);
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressBar::finish() {
  if (drawn_) std::fprintf(stderr, "\n");
  drawn_ = false;
}

}  // namespace enos::tools
