#pragma once
// Runs the built `enos` binary and captures what it printed and how it exited.
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace enos::test {

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

inline std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

inline CommandResult run_enos(const std::string& args) {
  CommandResult r;
  const std::string cmd = std::string(ENOS_BINARY) + " " + args + " 2>&1";
  FILE* pipe = popen(cmd.c_str(), "r");
  if (!pipe) return r;
  std::array<char, 4096> buf{};
  while (std::size_t n = fread(buf.data(), 1, buf.size(), pipe)) r.output.append(buf.data(), n);
  const int status = pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

// What `enos <command>` said after "enos <command>: error: " (its first error line).
inline std::string error_message(const CommandResult& r, const std::string& command) {
  const std::string lead = "enos " + command + ": error: ";
  const auto at = r.output.find(lead);
  if (at == std::string::npos) return "(no error line) " + r.output;
  const auto end = r.output.find('\n', at);
  return r.output.substr(at + lead.size(), end - at - lead.size());
}

inline std::string config(const std::string& rel) { return std::string(ENOS_CONFIG_DIR) + "/" + rel; }

}  // namespace enos::test
