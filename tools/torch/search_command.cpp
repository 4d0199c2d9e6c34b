// `enos search`: ENOS operator search under an energy budget (docs/search.md, docs/cli.md).
#include <boost/program_options.hpp>

#include "tools/cli.hpp"
#include "tools/torch/search_pipeline.hpp"

namespace po = boost::program_options;

namespace enos::tools {
namespace {

po::options_description search_options(SharedSearchOptions& s) {
  search::PipelineOptions& o = s.pipeline;
  po::options_description d(
      "enos search --lut lut.json --model NAME --dataset NAME[:DIR] (--budget-uj X | --budget-frac F)\n"
      "            --mode MODE --epochs N --out DIR [options]\n\n"
      "Searches one operator candidate per MAC layer (the LUT's candidates) under an energy budget per\n"
      "inference, starting from the model zoo's trained network (--init), fine-tunes the chosen network\n"
      "with distillation and exports it for `enos validate` (docs/export-format.md). Logs every epoch\n"
      "to the terminal and DIR/log.csv.\n\noptions");
  d.add_options()("help,h", "print this help")("budget-uj", po::value(&s.budget_uj), "energy budget, uJ per inference")(
      "mode", po::value(&o.mode)->default_value(o.mode), "single, bilevel, sequential or stochastic")(
      "validation-frac", po::value(&o.validation_frac)->default_value(o.validation_frac),
      "bilevel: the share of the training split that alpha learns on");
  add_shared_search_options(d, s);
  return d;
}

}  // namespace

int search_command(const Args& args) {
  return guarded("search", [&] {
    SharedSearchOptions s;
    const po::options_description d = search_options(s);
    po::variables_map vm;
    if (!parse_options(args, d, &vm)) return int(kOk);
    finish_shared_search_options(s, vm);
    run_search({s.pipeline, false});
    return int(kOk);
  });
}

}  // namespace enos::tools
