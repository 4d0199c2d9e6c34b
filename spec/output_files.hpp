#pragma once
// What one command writes, published together at its end (docs/cli.md, "Outputs"): every file
// is first written whole under a temporary name beside its target, and only when all of them
// are written are they renamed into place. A command that fails before that leaves none of its
// outputs (and any older files of the same names untouched); a rename that fails halfway (it
// does not, short of the disk going away) is reported with the files that were published.
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "spec/atomic_file.hpp"

namespace enos::spec {

// A folder a command writes into (`option` names where it came from, e.g. "--out"): created
// when missing, a SpecError when it is a file or cannot be made. If the command fails, the
// folders this object created are removed again while they are empty.
class OutputFolder {
 public:
  OutputFolder(std::string path, std::string option);
  ~OutputFolder();
  OutputFolder(const OutputFolder&) = delete;
  OutputFolder& operator=(const OutputFolder&) = delete;

  const std::string& path() const { return path_; }
  void keep() { keep_ = true; }

 private:
  std::string path_;
  std::vector<std::string> created_;  // the folders this made, innermost first
  bool keep_ = false;
};

class OutputFiles {
 public:
  // `option` names where the path came from, for messages ("--out", "--trace").
  // check() refuses a target that is a folder or whose folder is missing or unwritable, by
  // creating its temporary file now: call it before the work for every path known up front.
  void check(const std::string& path, const std::string& option);
  // Stages a file's content; it is written at publish().
  void add(const std::string& path, std::string content);
  // A file a writer (SystemC's VCD) fills under `target.temp()`; renamed at publish().
  void add_written(TempTarget& target);
  // Writes every staged content under its temporary name, then renames all into place.
  void publish();
  // The targets, in the order they were added (for "wrote ..." lines).
  std::vector<std::string> paths() const;

 private:
  struct Pending {
    std::string path, content;
    TempTarget* written = nullptr;              // add_written: owned by the caller
    std::unique_ptr<TempTarget> own;            // add: ours
  };
  Pending* find(const std::string& path);
  std::vector<Pending> pending_;
  std::vector<std::unique_ptr<TempTarget>> checked_;  // check(): temporary files made early
  std::vector<std::pair<std::string, std::string>> checked_paths_;  // normalized path, option
};

}  // namespace enos::spec
