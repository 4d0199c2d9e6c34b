#pragma once
// A dataset file that is missing, truncated or not in the expected format: the user's
// mistake, so an std::invalid_argument (tools/cli.cpp's `guarded` maps it to exit code 2).
// Kept free of LibTorch so non-LibTorch code may catch it.
#include <stdexcept>
#include <string>

namespace enos::datasets {

class DataError : public std::invalid_argument {
 public:
  // what() is "<file>: <reason>".
  DataError(const std::string& file, const std::string& reason)
      : std::invalid_argument(file + ": " + reason), file_(file) {}
  const std::string& file() const { return file_; }

 private:
  std::string file_;
};

}  // namespace enos::datasets
