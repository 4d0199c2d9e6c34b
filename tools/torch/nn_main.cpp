// `enos-nn`: the LibTorch commands of `enos` (which execs this binary for them).
#include <cstdio>
#include <string>

#include "tools/cli.hpp"
#include "tools/torch/search_pipeline.hpp"

namespace {

struct Command {
  const char* name;
  int (*run)(const enos::tools::Args&);
};

const Command kCommands[] = {
    {"models", enos::tools::models_command},
    {"train", enos::tools::train_command},
    {"search", enos::tools::search_command},
    {"compare", enos::tools::compare_command},
};

}  // namespace

int main(int argc, char* argv[]) {
  const std::string name = argc > 1 ? argv[1] : "";
  for (const Command& c : kCommands)
    if (name == c.name) return c.run(enos::tools::Args(argv + 2, argv + argc));
  std::fprintf(stderr, "enos-nn: unknown command '%s' (run 'enos --help')\n", name.c_str());
  return enos::tools::kBadInput;
}
