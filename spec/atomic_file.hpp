#pragma once
// Files written whole or not at all: the content goes to a temporary file in the same folder,
// is flushed to disk, and is renamed over the target (atomic on one file system). A command
// killed at any moment leaves the old file or the new one, never half of either.
#include <string>
#include <string_view>

namespace enos::spec {

// SpecError naming `path` when the folder is missing or unwritable, or the disk is full.
void write_file_atomically(const std::string& path, std::string_view content);

// For writers that insist on a file name of their own (LibTorch archives, SystemC's VCD):
// they write to temp(), then commit() renames it to the target. A TempTarget destroyed
// without commit() removes the temporary file.
class TempTarget {
 public:
  explicit TempTarget(std::string path);
  ~TempTarget();
  TempTarget(const TempTarget&) = delete;
  TempTarget& operator=(const TempTarget&) = delete;

  const std::string& temp() const { return temp_; }
  const std::string& path() const { return path_; }
  void commit();  // fsync + rename; SpecError naming the target on failure

 private:
  std::string path_, temp_;
  bool committed_ = false;
};

}  // namespace enos::spec
