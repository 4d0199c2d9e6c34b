#pragma once
// Child processes: the path of this executable and of the ones beside it, and running a child
// on this terminal or with its output in a log file. One home for fork/exec: `enos run`'s
// stages, explore's searches, the search's replay of a provisional export.
#include <string>
#include <vector>

namespace enos::spec {

// /proc/self/exe ("enos" when it cannot be read).
std::string own_executable();
// The executable `name` in the folder of this one (enos and enos-nn are installed side by side).
std::string sibling_executable(const std::string& name);

// Runs argv (argv[0] a path) and waits for it: its exit code, 128 + the signal that killed it,
// or 127 when it did not start. With `log`, its standard output and error go to that file
// (truncated first); without, it shares this process's terminal (its progress bars show).
int run_child(const std::vector<std::string>& argv, const std::string& log = "");

}  // namespace enos::spec
