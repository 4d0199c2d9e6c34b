#pragma once
// A one-line progress bar on a terminal (stderr), silent when stderr is not a terminal.
#include <chrono>
#include <string>

namespace enos::tools {

class ProgressBar {
 public:
  explicit ProgressBar(std::string label);
  void update(long done, long total);
  void finish();  // ends the line

 private:
  std::string label_;
  bool tty_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace enos::tools
