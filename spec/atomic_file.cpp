#include "spec/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "spec/json_reader.hpp"

namespace enos::spec {
namespace {

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw SpecError(path, "(file)", what + ": " + std::strerror(errno));
}

// Makes the temporary file's content durable before the rename publishes it.
void sync_file(const std::string& temp, const std::string& path) {
  const int fd = ::open(temp.c_str(), O_RDONLY);
  if (fd < 0) fail(path, "cannot reopen the temporary file " + temp);
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) fail(path, "cannot flush to disk");
}

}  // namespace

TempTarget::TempTarget(std::string path, const std::string& temp_suffix) : path_(std::move(path)) {
  temp_ = path_ + ".tmp." + std::to_string(::getpid()) + temp_suffix;
}

TempTarget::~TempTarget() {
  if (!committed_) std::remove(temp_.c_str());
}

void TempTarget::commit() {
  sync_file(temp_, path_);
  if (std::rename(temp_.c_str(), path_.c_str()) != 0) fail(path_, "cannot rename " + temp_ + " to it");
  committed_ = true;
}

void TempTarget::write(std::string_view content) const {
  const int fd = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail(path_, "cannot open for writing");
  std::size_t written = 0;
  while (written < content.size()) {
    const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      fail(path_, "write failed");
    }
    written += std::size_t(n);
  }
  if (::close(fd) != 0) fail(path_, "write failed");
}

void TempTarget::create_empty() const { write({}); }

void write_file_atomically(const std::string& path, std::string_view content) {
  TempTarget target(path);
  target.write(content);
  target.commit();
}

}  // namespace enos::spec
