// The command-line values enos parses itself: --layer (spec/layer_option.cpp), --op and
// --candidates (pe/candidate.cpp), --seed, --budget-uj and --mapping (tools/option_values.cpp).
// The input is split into those fields at fuzz::kSeparator.
#include "fuzz_util.hpp"
#include "pe/candidate.hpp"
#include "spec/exact_number.hpp"
#include "spec/workload.hpp"
#include "tools/option_values.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  using namespace enos;
  const std::vector<std::string> f = fuzz::split_parts(fuzz::text_of(data, size), 5);
  fuzz::expect_value_or_spec_error([&] {
    const spec::Layer l = spec::parse_layer_option(f[0]);
    // What the option accepts, printed back, is the same layer (messages tell users to paste it).
    const spec::Layer again = spec::parse_layer_option(pe::to_string(l.conv));
    if (pe::to_string(again.conv) != pe::to_string(l.conv)) fuzz::invariant_broken("--layer does not print back");
  });
  try {
    const pe::Candidate c = pe::parse_candidate(f[1]);
    if (pe::parse_candidate(pe::to_string(c)) != c) fuzz::invariant_broken("--op does not print back");
  } catch (const std::invalid_argument&) {
    // the parser's documented refusal (callers add the option's name)
  }
  fuzz::expect_value_or_spec_error([&] { (void)tools::parse_seed(f[2], "--seed"); });
  fuzz::expect_value_or_spec_error([&] {
    const double budget = tools::parse_budget_uj(f[3], "--budget-uj");
    if (!(budget >= 0) || tools::parse_budget_uj(spec::exact_number(budget), "--budget-uj") != budget)
      fuzz::invariant_broken("--budget-uj does not round-trip");
  });
  fuzz::expect_value_or_spec_error([&] {
    const spec::PinnedMapping m = tools::parse_mapping_option(f[4], "--mapping");
    // What it accepts, written back as a workload writes it, reads back the same.
    const nlohmann::json j = spec::to_json(m);
    if (spec::to_json(tools::parse_mapping_option(j.dump(), "--mapping")) != j)
      fuzz::invariant_broken("--mapping does not round-trip");
  });
  return 0;
}
