// The `enos` command: a thin dispatcher to one function per subcommand.
#include <cstdio>
#include <string>

int sc_main(int argc, char* argv[]) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: enos <simulate> [options]\n");
    return 2;
  }
  std::fprintf(stderr, "enos: unknown command '%s'\n", argv[1]);
  return 2;
}
