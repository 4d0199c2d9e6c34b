// The options the LibTorch commands share (tools/torch/shared_options.hpp): `train`, `models
// --evaluate`, `search` and `compare` refuse the same bad values with the same message, exit 2,
// before any work (no LUT, checkpoint or dataset is read: the files named here need not exist).
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "tests/tools/run_command.hpp"
#include "tests/models/models_test_util.hpp"

namespace et = enos::test;

namespace {

// Each command with every option it needs, bar the shared one under test.
struct Command {
  std::string name, base;
  std::vector<std::string> takes;  // the shared options it takes
};

std::vector<Command> commands(const std::string& dir) {
  const std::string search = " --lut " + dir + "/lut.json --model shufflenetv2_x0.5 --out " + dir + "/out";
  const std::vector<std::string> all{"dataset", "train-limit", "test-limit", "threads", "seed", "pin-first-last"};
  return {{"train", "train --model shufflenetv2_x0.5 --out " + dir + "/train", all},
          {"models", "models --evaluate shufflenetv2_x0.5 --checkpoint " + dir + "/m.pt", {"dataset", "test-limit", "threads"}},
          {"search", "search --budget-frac 0.5" + search, all},
          {"compare", "compare --budget-frac 0.5" + search, all}};
}


}  // namespace

TEST_CASE("every LibTorch command refuses the same bad shared option values with the same message") {
  enos::models::test::ScratchDir dir;
  const std::map<std::string, std::vector<std::string>> bad{
      {"dataset", {"mnist"}},
      {"train-limit", {"-1"}},
      {"test-limit", {"-5"}},
      {"threads", {"-1", "1025"}},
      {"seed", {"-1", "1.5"}},  // Boost alone took "-1" as 2^64−1
      {"pin-first-last", {"foo:w8a8"}}};
  for (const auto& [option, values] : bad)
    for (const std::string& value : values) {
      std::string first_message, first_command;
      for (const Command& c : commands(dir.path())) {
        if (std::find(c.takes.begin(), c.takes.end(), option) == c.takes.end()) continue;
        const bool needs_dataset = option != "dataset";
        const std::string args = c.base + (needs_dataset ? " --dataset fashion-mnist:" + dir.path() : "") + " --" +
                                 option + " " + value;
        const et::CommandResult r = et::run_enos(args);
        INFO("enos " << args << "\n" << r.output);
        CHECK(r.exit_code == 2);
        const std::string said = et::error_message(r, c.name);
        CHECK_THAT(said, Catch::StartsWith("--" + option + ": " + value + ": "));
        if (first_command.empty()) {
          first_message = said, first_command = c.name;
        } else {
          INFO("as enos " << first_command << " said: " << first_message);
          CHECK(said == first_message);
        }
      }
    }
}

TEST_CASE("the shared options' good values pass their check (the commands then fail on the missing files)") {
  enos::models::test::ScratchDir dir;
  for (const Command& c : commands(dir.path())) {
    const et::CommandResult r = et::run_enos(c.base + " --dataset fashion-mnist:" + dir.path() + " --threads 1" +
                                             (c.name == "models" ? "" : " --seed 18446744073709551615"));
    INFO(r.output);
    CHECK(r.exit_code == 2);  // the LUT, the checkpoint or the dataset files do not exist
    for (const std::string option : {"--dataset:", "--threads:", "--seed:"})
      CHECK(et::error_message(r, c.name).rfind(option, 0) != 0);
  }
}
