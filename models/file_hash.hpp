#pragma once
// SHA-256, as lowercase hex: how the model zoo's manifest pins its checkpoint files and how a
// checkpoint pins its own tensors.
#include <cstddef>
#include <memory>
#include <string>

namespace enos::models {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(const void* data, std::size_t size);
  void update(const std::string& text) { update(text.data(), text.size()); }
  std::string hex();  // ends the digest

 private:
  struct Context;
  std::unique_ptr<Context> context_;
};

// std::invalid_argument naming the file when it cannot be read.
std::string sha256_of_file(const std::string& path);

}  // namespace enos::models
