#pragma once
// What every fuzz target shares (docs/fuzzing.md). A target feeds its bytes to one loader and
// accepts exactly two outcomes: a value, or spec::SpecError (the documented refusal, exit 2
// in `enos`). Anything else — another exception, a crash, a sanitizer report, a timeout, an
// allocation beyond -rss_limit_mb — is a finding.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "spec/json_reader.hpp"

namespace enos::fuzz {

inline std::string text_of(const uint8_t* data, std::size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

// A private folder for the targets that read files, one per process, removed when it exits
// normally (libFuzzer runs one input at a time, so files are simply overwritten).
class ScratchDir {
 public:
  ScratchDir() {
    const char* base = std::getenv("TMPDIR");
    path_ = std::string(base && *base ? base : "/tmp") + "/enos-fuzz-" + std::to_string(getpid());
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

inline const std::string& scratch_dir() {
  static const ScratchDir dir;
  return dir.path();
}

inline void write_file(const std::string& path, const std::string& content) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
}

// Splits an input into `count` parts at kSeparator (the export's four files, the options'
// fields); missing parts are empty.
inline const std::string kSeparator = "\n--enos-fuzz-part--\n";
inline std::vector<std::string> split_parts(const std::string& text, std::size_t count) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (parts.size() + 1 < count) {
    const std::size_t at = text.find(kSeparator, start);
    if (at == std::string::npos) break;
    parts.push_back(text.substr(start, at - start));
    start = at + kSeparator.size();
  }
  parts.push_back(start <= text.size() ? text.substr(start) : std::string());
  parts.resize(count);
  return parts;
}

// Runs `body`; a SpecError is the expected refusal, everything else escapes to libFuzzer
// (an uncaught exception aborts, which it reports as a crash with the input).
template <class Body>
void expect_value_or_spec_error(Body&& body) {
  try {
    body();
  } catch (const spec::SpecError&) {
  }
}

// A broken invariant (a round trip that changed a value): abort so libFuzzer keeps the input.
[[noreturn]] inline void invariant_broken(const char* what) {
  std::fprintf(stderr, "enos fuzz: invariant broken: %s\n", what);
  std::abort();
}

}  // namespace enos::fuzz
