#pragma once
// The options several commands take, declared once and checked once: every command that takes
// one of them accepts and refuses the same values with the same message (spec::SpecError
// "--option: value: reason", exit 2). The LibTorch commands (`train`, `models --evaluate`,
// `search`, `compare`) share the dataset, limits, threads, seed and pin; the simulator's
// (`simulate`, `characterize`, `validate`, `explore`) the architecture, the energy table, the
// worker processes and the seed. Defaults come from the caller, which takes them from its config
// struct.
#include <cstdint>
#include <initializer_list>
#include <string>

#include "spec/arch.hpp"
#include "tools/cli.hpp"

namespace boost::program_options {
class options_description;
}

namespace enos::tools {

enum class SharedOption : unsigned {
  Dataset = 1, TrainLimit = 2, TestLimit = 4, Threads = 8, Seed = 16, Pin = 32, Arch = 64, EnergyTable = 128, Jobs = 256
};

struct SharedOptionValues {
  std::string dataset;  // NAME[:DIR]
  int64_t train_limit = 0, test_limit = 0;
  int threads = 0;          // 0: every core
  std::string seed = "1";   // text: parse_seed reads it strictly (Boost wraps "-1" to 2^64−1)
  std::string pin = "none";  // a candidate or "none"
  std::string arch = default_arch_path();
  std::string energy_table;  // "": the one the architecture names
  int jobs = 1;              // worker processes
};

// The most intra-op threads or worker processes a command may ask for: far above any machine
// this runs on, low enough that a typo cannot start a million threads or fork a million workers.
constexpr int kMaxThreads = 1024, kMaxJobs = 1024;

class SharedOptions {
 public:
  SharedOptions(std::initializer_list<SharedOption> taken, SharedOptionValues defaults);
  // Declares the options this command takes, bound to values().
  void declare(boost::program_options::options_description& d);
  // Checks every value this command takes (an empty --dataset is left to the command, which
  // knows when it is required).
  void check() const;
  bool takes(SharedOption o) const { return (taken_ & unsigned(o)) != 0; }
  const SharedOptionValues& values() const { return values_; }
  uint64_t seed() const;  // the parsed --seed (check() has accepted it)
  // --arch, with --energy-table (when given) in place of the table the architecture names.
  spec::ArchSpec load_arch() const;

 private:
  unsigned taken_ = 0;
  SharedOptionValues values_;
};

// The options of the commands that train (train, search, compare): dataset, limits, threads,
// seed, first/last pin.
SharedOptions training_options(SharedOptionValues defaults);

// The defaults with one worker process per core (--jobs).
SharedOptionValues default_jobs();

// Creates a command's output folder (and its parents); std::invalid_argument naming it when it
// cannot be.
void create_output_folder(const std::string& dir);

}  // namespace enos::tools
