// The `enos` command: a thin dispatcher to one function per subcommand. Commands that need
// LibTorch run in the sibling binary `enos-nn` (see tools/CMakeLists.txt for why).
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <cstdio>
#include <cstdlib>
#include <string>

#include <systemc>  // declares sc_main with the C linkage libsystemc expects

#include "spec/process.hpp"
#include "tools/cli.hpp"

namespace {

struct Command {
  const char* name;
  int (*run)(const enos::tools::Args&);  // null: the command lives in enos-nn
  const char* summary;
};

const Command kCommands[] = {
    {"simulate", enos::tools::simulate_command,
     "run layers on the cycle-level SystemC model and check them bit for bit"},
    {"characterize", enos::tools::characterize_command,
     "measure the per-layer energy/latency LUT of a workload for every operator candidate"},
    {"explore", enos::tools::explore_command,
     "design-space exploration: sweep architectures, Pareto front of energy, latency, area"},
    {"validate", enos::tools::validate_command,
     "replay an exported network on the SystemC model with real images; energy/budget report"},
    {"run", enos::tools::run_command,
     "the whole pipeline on a config (default: built in): characterize, search, replay, report"},
    {"models", nullptr, "list the networks with their counts; export their workloads"},
    {"train", nullptr, "train a network on CIFAR-10/100 or Fashion-MNIST"},
    {"search", nullptr, "search one operator per layer under an energy budget (ENOS); export for validate"},
    {"compare", nullptr, "ENOS in every mode against uni-operator and int-only baselines at one budget"},
    // Developer command for the tests: not listed (empty summary).
    {"dev-make-export", enos::tools::make_export_command, ""},
};

void usage(std::FILE* to) {
  std::fprintf(to, "usage: enos <command> [options]   (enos <command> --help for its options)\n\ncommands:\n");
  for (const Command& c : kCommands)
    if (c.summary[0]) std::fprintf(to, "  %-13s %s\n", c.name, c.summary);
}

int run_in_enos_nn(const std::string& command, char* argv[]) {
  const std::string nn = enos::spec::sibling_executable("enos-nn");
  argv[0] = const_cast<char*>(nn.c_str());
  // LibTorch's OpenMP threads spin-wait by default; on a shared machine a spinning thread
  // takes the core its partner needs and training runs many times slower (docs/models.md).
  // libgomp reads this once at load, so it is set here, before enos-nn starts.
  setenv("OMP_WAIT_POLICY", "PASSIVE", /*overwrite=*/0);
  execv(nn.c_str(), argv);
  std::fprintf(stderr,
               "enos: '%s' needs the LibTorch part of enos (%s), which this build does not have "
               "(configure with -DENOS_WITH_TORCH=ON)\n",
               command.c_str(), nn.c_str());
  return enos::tools::kBadInput;
}

}  // namespace

// Our own main instead of libsystemc's: SystemC prints its banner before sc_main runs,
// unless told not to, and the command's output should start with its own.
int main(int argc, char* argv[]) {
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
#ifdef __GLIBC__
  // Every layer allocates and frees buffers of megabytes (its data, the global-buffer tiles,
  // the reference outputs). By default glibc maps each from the kernel and unmaps it on free,
  // so every layer pays page faults on fresh pages again; keeping them in the heap lets the
  // next layer reuse them (the SCALE-Sim cross-check's 36 layers on 16×16 WS: 7,300 page
  // faults instead of 13,100, a few per cent of `enos simulate`'s time).
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
#endif
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
  for (const Command& c : kCommands) {
    if (name != c.name) continue;
    if (!c.run) return run_in_enos_nn(name, argv);
    return c.run(enos::tools::Args(argv + 2, argv + argc));
  }
  std::fprintf(stderr, "enos: unknown command '%s'\n", name.c_str());
  usage(stderr);
  return enos::tools::kBadInput;
}
