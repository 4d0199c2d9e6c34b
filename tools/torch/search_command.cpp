// `enos search`: ENOS operator search under an energy budget (docs/search.md, docs/cli.md).
#include <iostream>

#include <ATen/Parallel.h>
#include <boost/program_options.hpp>

#include "models/registry.hpp"
#include "tools/cli.hpp"
#include "tools/torch/search_pipeline.hpp"

namespace po = boost::program_options;

namespace enos::tools {
namespace {

struct CommandOptions {
  SearchRunOptions run;
  double budget_uj = 0, budget_frac = 0;
  std::string augment;
  int threads = 0;
};

po::options_description search_options(CommandOptions& c) {
  SearchRunOptions& o = c.run;
  po::options_description d(
      "enos search --lut lut.json --model NAME --dataset NAME[:DIR] (--budget-uj X | --budget-frac F)\n"
      "            --mode MODE --epochs N --out DIR [options]\n\n"
      "Searches one operator candidate per MAC layer (the LUT's candidates) under an energy budget per\n"
      "inference, fine-tunes the chosen network and exports it for `enos validate` (docs/export-format.md).\n"
      "Logs every epoch to the terminal and DIR/log.csv.\n\noptions");
  d.add_options()("help,h", "print this help")("lut", po::value(&o.lut_file)->required(),
                                               "LUT from `enos characterize` for this model's workload")(
      "model", po::value(&o.model)->required(), "network (enos models --list)")(
      "dataset", po::value(&o.dataset)->required(), "cifar10:DIR, cifar100:DIR or fashion-mnist[:DIR]")(
      "out", po::value(&o.out)->required(), "folder for log.csv and the export (created)")(
      "budget-uj", po::value(&c.budget_uj), "energy budget, uJ per inference")(
      "budget-frac", po::value(&c.budget_frac), "energy budget as a fraction of the all-int:w8a8 network's LUT energy")(
      "mode", po::value(&o.mode)->default_value("single"), "single, bilevel, sequential or stochastic")(
      "epochs", po::value(&o.config.epochs)->default_value(1), "search epochs")(
      "finetune-epochs", po::value(&o.finetune_epochs)->default_value(2), "fine-tuning epochs of the chosen network")(
      "pin-first-last", po::value(&o.pin)->default_value("int:w8a8"),
      "candidate of the first and last MAC layers, or none (search them too)")(
      "seed", po::value(&o.config.seed)->default_value(1), "seed of everything random")(
      "train-limit", po::value(&o.data.train_limit)->default_value(0), "use the first N training examples (0: all)")(
      "test-limit", po::value(&o.data.test_limit)->default_value(0), "use the first N test examples (0: all)")(
      "validation-frac", po::value(&o.validation_frac)->default_value(0.5),
      "bilevel: the share of the training split that alpha learns on")(
      "batch", po::value(&o.config.batch)->default_value(128), "batch size")(
      "lr", po::value(&o.config.lr)->default_value(0.05), "weights: peak SGD learning rate (cosine)")(
      "alpha-lr", po::value(&o.config.alpha_lr)->default_value(0.05), "architecture logits: Adam learning rate")(
      "dual-rate", po::value(&o.config.dual_rate)->default_value(0.05),
      "step of the Lagrange multiplier per relative budget excess")(
      "finetune-lr", po::value(&o.finetune_lr)->default_value(0.01), "fine-tuning: peak learning rate (cosine)")(
      "augment", po::value(&c.augment)->default_value("standard"), "standard, flip or none")(
      "threads", po::value(&c.threads)->default_value(0), "intra-op threads (0: every core)");
  return d;
}

}  // namespace

int search_command(const Args& args) {
  return guarded("search", [&] {
    CommandOptions c;
    const po::options_description d = search_options(c);
    po::variables_map vm;
    if (!parse_options(args, d, &vm)) return int(kOk);
    if (vm.count("budget-uj")) c.run.budget_uj = c.budget_uj;
    if (vm.count("budget-frac")) c.run.budget_frac = c.budget_frac;
    c.run.config.augment = models::parse_augment(c.augment);
    if (c.threads < 0) throw std::invalid_argument("--threads must be ≥ 0");
    if (c.threads == 0)
      models::use_all_cores();
    else
      at::set_num_threads(c.threads);
    run_search(c.run);
    return int(kOk);
  });
}

}  // namespace enos::tools
