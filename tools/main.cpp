// The `enos` command: a thin dispatcher to one function per subcommand.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include <systemc>  // declares sc_main with the C linkage libsystemc expects

#include "tools/cli.hpp"

namespace {

struct Command {
  const char* name;
  int (*run)(const enos::tools::Args&);
  const char* summary;
};

const Command kCommands[] = {
    {"simulate", enos::tools::simulate_command,
     "run layers on the cycle-level SystemC model and check them bit for bit"},
};

void usage(std::FILE* to) {
  std::fprintf(to, "usage: enos <command> [options]   (enos <command> --help for its options)\n\ncommands:\n");
  for (const Command& c : kCommands) std::fprintf(to, "  %-10s %s\n", c.name, c.summary);
}

}  // namespace

// Our own main instead of libsystemc's: SystemC prints its banner before sc_main runs,
// unless told not to, and the command's output should start with its own.
int main(int argc, char* argv[]) {
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
  return sc_core::sc_elab_and_sim(argc, argv);
}

int sc_main(int argc, char* argv[]) {
  if (argc < 2) {
    usage(stderr);
    return enos::tools::kBadInput;
  }
  const std::string name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    usage(stdout);
    return enos::tools::kOk;
  }
  if (name == "--version") {
    std::printf("enos %s\n", ENOS_VERSION);
    return enos::tools::kOk;
  }
  for (const Command& c : kCommands)
    if (name == c.name) return c.run(enos::tools::Args(argv + 2, argv + argc));
  std::fprintf(stderr, "enos: unknown command '%s'\n", name.c_str());
  usage(stderr);
  return enos::tools::kBadInput;
}
