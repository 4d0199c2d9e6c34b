// The options the simulator commands share (tools/shared_options.hpp): `simulate`,
// `characterize`, `explore` and `dev-make-export` refuse the same bad values with the same
// message, exit 2, before any work.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "tests/tools/run_command.hpp"

namespace et = enos::test;

namespace {


// Runs each command with `--option value` and checks they all refuse it alike.
void refused_alike(const std::vector<std::pair<std::string, std::string>>& commands, const std::string& option,
                   const std::string& value) {
  std::string first;
  for (const auto& [name, base] : commands) {
    const std::string args = base + " --" + option + " " + value;
    const et::CommandResult r = et::run_enos(args);
    INFO("enos " << args << "\n" << r.output);
    CHECK(r.exit_code == 2);
    const std::string said = et::error_message(r, name);
    CHECK_THAT(said, Catch::StartsWith("--" + option + ": " + value + ": "));
    if (first.empty()) first = said;
    CHECK(said == first);
  }
}

}  // namespace

TEST_CASE("the simulator commands refuse the same bad shared option values with the same message") {
  const std::string out = " --out /nonexistent-enos-dir/x";
  const std::vector<std::pair<std::string, std::string>> seeded{
      {"simulate", "simulate --layer fc:8,4" + out},
      {"characterize", "characterize --model shufflenetv2_x0.5" + out},
      {"dev-make-export", "dev-make-export --workload w.json" + out}};
  for (const std::string value : {"-1", "1.5", "18446744073709551616"}) refused_alike(seeded, "seed", value);
  const std::vector<std::pair<std::string, std::string>> workers{
      {"characterize", "characterize --model shufflenetv2_x0.5" + out}, {"explore", "explore --sweep s.json" + out}};
  for (const std::string value : {"0", "-3", "1025"}) refused_alike(workers, "jobs", value);
}
