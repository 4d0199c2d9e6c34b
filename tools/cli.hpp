#pragma once
// What every `enos` subcommand shares: exit codes, error reporting, default paths.
#include <functional>
#include <string>
#include <vector>

#include "spec/config_files.hpp"

namespace boost::program_options {
class options_description;
class variables_map;
}

namespace enos::tools {

// Exit codes, documented in docs/cli.md.
enum ExitCode : int {
  kOk = 0,
  kCheckFailed = 1,   // the model disagreed with the reference (a bug in the model)
  kBadInput = 2,      // the user's files or options are wrong
  kOverBudget = 3,    // validate: energy above the budget
  kInternalError = 4  // a bug in enos itself
};

using Args = std::vector<std::string>;

// Runs a subcommand body, turning exceptions into a message on stderr and an exit code:
// spec::SpecError, dataflow::MappingError, boost option errors, std::invalid_argument → 2;
// anything else → 4 ("internal error", with the message).
int guarded(const std::string& command, const std::function<int()>& body);

// Parses a subcommand's options (notifying required ones); on --help prints them and
// returns false, so the caller returns kOk. `parsed`, when given, receives the variables map
// (for commands that must know which options were given at all).
bool parse_options(const Args& args, const boost::program_options::options_description& options,
                   boost::program_options::variables_map* parsed = nullptr);

// The shipped configs folder and the default files (spec/config_files.hpp), which the
// libraries resolve too; named here as every command names them.
using spec::config_dir;
using spec::default_arch_path;
using spec::default_energy_table_path;
using spec::default_workload_path;
// The model zoo (zoo/ beside the sources, or $ENOS_ZOO_DIR): docs/models.md.
std::string zoo_dir();

int simulate_command(const Args& args);
int characterize_command(const Args& args);
int validate_command(const Args& args);     // tools/validate_command.cpp
int make_export_command(const Args& args);  // tools/make_export_command.cpp (developer)
int run_command(const Args& args);          // tools/run_command.cpp
int explore_command(const Args& args);  // tools/explore_command.cpp
// In the enos-nn binary (tools/torch/), built only with LibTorch.
int models_command(const Args& args);  // tools/torch/models_command.cpp
int train_command(const Args& args);   // tools/torch/train_command.cpp

}  // namespace enos::tools
