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
// without commit() removes the temporary file. `temp_suffix` ends the temporary name, for
// writers that append an extension of their own (SystemC adds ".vcd").
class TempTarget {
 public:
  explicit TempTarget(std::string path, const std::string& temp_suffix = "");
  ~TempTarget();
  TempTarget(const TempTarget&) = delete;
  TempTarget& operator=(const TempTarget&) = delete;

  const std::string& temp() const { return temp_; }
  const std::string& path() const { return path_; }
  void commit();  // fsync + rename; SpecError naming the target on failure
  // Writes `content` to temp() (not yet committed); SpecError naming the target on failure.
  void write(std::string_view content) const;
  // Creates temp() empty now, so a folder that is missing or unwritable is found before any
  // work, not when the writer opens it.
  void create_empty() const;

 private:
  std::string path_, temp_;
  bool committed_ = false;
};

}  // namespace enos::spec
