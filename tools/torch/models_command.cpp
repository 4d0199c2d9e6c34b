// `enos models`: the networks of models/ with their counts and workload export, and the model
// zoo: its entries (--list), the accuracy of one of its checkpoints or of any file
// (--evaluate), and adding a finished training run to it (--publish).
#include <cstdio>
#include <fstream>
#include <iostream>

#include <ATen/Parallel.h>
#include <boost/program_options.hpp>

#include "models/checkpoint.hpp"
#include "models/file_hash.hpp"
#include "models/registry.hpp"
#include "models/trainer.hpp"
#include "models/workload_text.hpp"
#include "models/zoo.hpp"
#include "spec/atomic_file.hpp"
#include "spec/json_reader.hpp"
#include "tools/cli.hpp"
#include "tools/shared_options.hpp"
#include "tools/torch/threads.hpp"

namespace po = boost::program_options;

namespace enos::tools {
namespace {

struct ModelsOptions {
  bool list = false, json = false;
  std::string export_name, input, out, evaluate, checkpoint, publish, zoo = zoo_dir();
  int classes = 10;
  double target = 0;
  SharedOptions shared{{SharedOption::Dataset, SharedOption::TestLimit, SharedOption::Threads}, {}};
};

po::options_description models_options(ModelsOptions& o) {
  po::options_description d(
      "enos models --list [--json]\n"
      "enos models --export NAME [--input HxWxC] [--classes N] [--out W.json]\n"
      "enos models --evaluate NAME --dataset NAME[:DIR] [--checkpoint FILE] [--test-limit N] [--json]\n"
      "enos models --publish RUN_DIR --target ACCURACY\n\n"
      "Lists the networks with parameter and MAC counts per input shape and the model zoo's trained\n"
      "checkpoints with their test accuracy (--json: the zoo's manifest entries); writes a network's\n"
      "workload description (docs/workload-format.md); evaluates the zoo checkpoint of a model and\n"
      "dataset (its sha256 checked against the manifest) or the given checkpoint on the test set;\n"
      "adds a finished `enos train` run to the zoo (docs/models.md).\n\noptions");
  d.add_options()("help,h", "print this help")("list", po::bool_switch(&o.list), "list the models and the zoo")(
      "json", po::bool_switch(&o.json), "with --list or --evaluate: JSON on standard output")(
      "export", po::value(&o.export_name), "the model to export")(
      "input", po::value(&o.input)->default_value("32x32x3"), "input shape HxWxC (32x32x3 CIFAR, 28x28x1 Fashion-MNIST)")(
      "classes", po::value(&o.classes)->default_value(10), "number of classes (100 for CIFAR-100)")(
      "out", po::value(&o.out), "write the workload here (default: standard output)")(
      "evaluate", po::value(&o.evaluate), "the model to evaluate")(
      "checkpoint", po::value(&o.checkpoint), "with --evaluate: this file instead of the zoo's entry")(
      "publish", po::value(&o.publish), "a finished `enos train` run's folder to add to the zoo")(
      "target", po::value(&o.target)->default_value(0), "with --publish: the test accuracy (fraction) the entry must keep")(
      "zoo", po::value(&o.zoo), "the zoo folder (default: zoo/ beside the sources, or $ENOS_ZOO_DIR)");
  o.shared.declare(d);  // with --evaluate: --dataset (its test set), --test-limit, --threads
  return d;
}

std::string thousands(int64_t v) {
  std::string digits = std::to_string(v), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

void print_networks(int classes) {
  std::printf("%-19s %-8s %12s %14s %7s %7s\n", "model", "input", "parameters", "MACs", "layers", "conv/fc");
  for (const models::ModelInfo& m : models::model_catalog()) {
    for (const spec::FeatureShape input : {spec::FeatureShape{3, 32, 32}, spec::FeatureShape{1, 28, 28}}) {
      const std::shared_ptr<models::Network> net = models::make_model(m.name, {input, classes});
      const spec::Workload w = models::export_workload(*net, input, m.name, "");
      int mac_layers = 0;
      for (const spec::Layer& l : w.layers) mac_layers += l.is_mac();
      std::printf("%-19s %-8s %12s %14s %7zu %7d\n", m.name.c_str(), models::input_shape_text(input).c_str(),
                  thousands(models::parameter_count(*net)).c_str(), thousands(spec::mac_count(w)).c_str(),
                  w.layers.size(), mac_layers);
    }
  }
  std::printf("\n%d classes; parameters include batch norm; MACs of one inference; layers of the exported\n"
              "workload (conv/fc: MAC layers, batch norm and ReLU folded in)\n", classes);
}

void print_zoo(const models::Zoo& zoo) {
  std::printf("\nmodel zoo (%s): trained float checkpoints, test accuracy on the full test set\n", zoo.dir.c_str());
  if (zoo.entries.empty()) {
    std::printf("  (empty)\n");
    return;
  }
  std::printf("%-19s %-14s %-8s %9s %7s %9s %7s %9s  %s\n", "model", "dataset", "input", "accuracy", "top-5", "target",
              "epochs", "hours", "file");
  for (const models::ZooEntry& e : zoo.entries)
    std::printf("%-19s %-14s %-8s %8.2f%% %6.2f%% %8.1f%% %7d %9.1f  %s\n", e.model.c_str(), e.dataset.c_str(),
                e.input.c_str(), 100 * e.test_accuracy, 100 * e.test_top5, 100 * e.target_accuracy, e.epochs,
                e.wall_seconds / 3600, e.file.c_str());
}

int list_models(const ModelsOptions& o) {
  const models::Zoo zoo = models::load_zoo(o.zoo);
  if (o.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const models::ZooEntry& e : zoo.entries) list.push_back(models::to_json(e));
    std::cout << list.dump(2) << "\n";
    return kOk;
  }
  print_networks(o.classes);
  print_zoo(zoo);
  return kOk;
}

int export_one(const ModelsOptions& o) {
  if (o.classes < 1) throw std::invalid_argument("--classes must be ≥ 1");
  const models::ModelConfig config{models::parse_input_shape(o.input), o.classes};
  const std::string text = models::workload_text(models::export_model(o.export_name, config));
  if (o.out.empty()) {
    std::cout << text;
    return kOk;
  }
  spec::write_file_atomically(o.out, text);
  return kOk;
}

// The checkpoint --evaluate uses: the given file, or the zoo's entry after its hash check.
std::string checkpoint_to_evaluate(const ModelsOptions& o, const std::string& dataset_name) {
  if (!o.checkpoint.empty()) return o.checkpoint;
  const models::Zoo zoo = models::load_zoo(o.zoo);
  const models::ZooEntry* e = zoo.find(o.evaluate, dataset_name);
  if (!e)
    throw std::invalid_argument("the zoo (" + zoo.dir + ") has no " + o.evaluate + " trained on " + dataset_name +
                                ": give --checkpoint FILE (enos models --list shows the zoo)");
  return models::verified_checkpoint(zoo, *e);
}

int evaluate_one(const ModelsOptions& o) {
  const SharedOptionValues& v = o.shared.values();
  if (v.dataset.empty()) throw std::invalid_argument("--evaluate needs --dataset NAME[:DIR]");
  const datasets::DatasetRef ref = datasets::parse_dataset_ref(v.dataset);
  const std::string file = checkpoint_to_evaluate(o, ref.info.name);
  const models::ModelConfig config{ref.info.input, ref.info.classes};
  const std::shared_ptr<models::Network> net = models::make_model(o.evaluate, config);
  models::load_checkpoint(file, *net, {o.evaluate, ref.info.input, ref.info.classes, "float"});
  use_threads(v.threads);
  models::DataOptions data_options;
  data_options.test_limit = v.test_limit;
  data_options.train_limit = 1;  // only the test set is used
  const models::Dataset data = models::load_dataset(v.dataset, data_options);
  models::to_channels_last(*net);
  net->eval();
  const models::Evaluation e = models::evaluate_network(*net, data.test, data.info, true);
  const std::string hash = models::sha256_of_file(file);
  if (o.json) {
    nlohmann::json j = {{"model", o.evaluate}, {"dataset", ref.info.name}, {"checkpoint", file}, {"sha256", hash},
                        {"images", e.count}, {"accuracy", e.accuracy}, {"loss", e.loss}};
    if (ref.info.classes >= 5) j["top5"] = e.top5;
    std::cout << j.dump(2) << "\n";
  } else {
    std::printf("%s on %s (%s, sha256 %s): %lld test images, accuracy %.2f%%", o.evaluate.c_str(),
                ref.info.name.c_str(), file.c_str(), hash.substr(0, 16).c_str(), static_cast<long long>(e.count),
                100 * e.accuracy);
    if (ref.info.classes >= 5) std::printf(", top-5 %.2f%%", 100 * e.top5);
    std::printf(", loss %.4f\n", e.loss);
  }
  return kOk;
}

int publish_one(const ModelsOptions& o) {
  if (!(o.target > 0 && o.target <= 1)) throw std::invalid_argument("--publish needs --target ACCURACY in (0, 1]");
  const models::ZooEntry e = models::publish_run(o.zoo, o.publish, o.target);
  std::printf("added %s on %s to %s: %s (%.2f%% test accuracy, target %.1f%%), sha256 %s\n", e.model.c_str(),
              e.dataset.c_str(), o.zoo.c_str(), e.file.c_str(), 100 * e.test_accuracy, 100 * e.target_accuracy,
              e.sha256.c_str());
  return kOk;
}

}  // namespace

int models_command(const Args& args) {
  return guarded("models", [&] {
    ModelsOptions o;
    const po::options_description d = models_options(o);
    if (!parse_options(args, d)) return int(kOk);
    o.shared.check();
    const int actions = int(o.list) + int(!o.export_name.empty()) + int(!o.evaluate.empty()) + int(!o.publish.empty());
    if (actions != 1) throw std::invalid_argument("give exactly one of --list, --export NAME, --evaluate NAME and --publish DIR");
    if (o.list) return list_models(o);
    if (!o.evaluate.empty()) return evaluate_one(o);
    if (!o.publish.empty()) return publish_one(o);
    return export_one(o);
  });
}

}  // namespace enos::tools
