// The command line `enos explore --search` gives each front point's search (explore/search.cpp).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>

#include "explore/search.hpp"

using namespace enos;

TEST_CASE("the search's budget fraction reaches its command line exactly", "[explore][search]") {
  // Regression: std::to_string wrote 6 decimals, so 1/3 became 0.333333 and 1e-7 became 0.000000.
  for (const double frac : {0.5, 1.0 / 3.0, 0.123456789, 1e-7, 0.7000000000000001}) {
    INFO(frac);
    const explore::FrontSearchOptions o{"/bin/enos", "cifar10:DIR", frac, {"--epochs", "1"}};
    const std::vector<std::string> argv = explore::search_command(o, "shufflenetv2_x0.5", "out/search/p0001_w0");
    const auto at = std::find(argv.begin(), argv.end(), "--budget-frac");
    REQUIRE(at + 1 < argv.end());
    CHECK(std::strtod(at[1].c_str(), nullptr) == frac);
    CHECK(argv == std::vector<std::string>{"/bin/enos", "search", "--lut", "out/search/p0001_w0/lut.json", "--model",
                                           "shufflenetv2_x0.5", "--dataset", "cifar10:DIR", "--budget-frac", at[1],
                                           "--out", "out/search/p0001_w0/run", "--budget-fit", "reserve", "--epochs", "1"});
  }
  // A --budget-fit of the user's is not given twice (program_options refuses a repeated option).
  const explore::FrontSearchOptions own{"/bin/enos", "cifar10:DIR", 0.5, {"--budget-fit", "replay"}};
  const std::vector<std::string> argv = explore::search_command(own, "shufflenetv2_x0.5", "out");
  CHECK(std::count(argv.begin(), argv.end(), "--budget-fit") == 1);
  CHECK(argv.back() == "replay");
}
