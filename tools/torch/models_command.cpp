// `enos models`: the networks of models/ with their counts, and their workload export.
#include <cstdio>
#include <fstream>
#include <iostream>

#include <boost/program_options.hpp>

#include "models/registry.hpp"
#include "models/workload_text.hpp"
#include "spec/json_reader.hpp"
#include "tools/cli.hpp"

namespace po = boost::program_options;

namespace enos::tools {
namespace {

struct ModelsOptions {
  bool list = false;
  std::string export_name, input, out;
  int classes = 10;
};

po::options_description models_options(ModelsOptions& o) {
  po::options_description d("enos models --list | --export NAME [--input HxWxC] [--out W.json]\n\n"
                            "Lists the networks with parameter and MAC counts per input shape, or writes one's\n"
                            "workload description (docs/workload-format.md) traced from the LibTorch model.\n\noptions");
  d.add_options()("help,h", "print this help")("list", po::bool_switch(&o.list), "list the models and their counts")(
      "export", po::value(&o.export_name), "the model to export")(
      "input", po::value(&o.input)->default_value("32x32x3"), "input shape HxWxC (32x32x3 CIFAR, 28x28x1 Fashion-MNIST)")(
      "classes", po::value(&o.classes)->default_value(10), "number of classes (100 for CIFAR-100)")(
      "out", po::value(&o.out), "write the workload here (default: standard output)");
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

int list_models(int classes) {
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
  std::ofstream f(o.out);
  if (!f) throw spec::SpecError(o.out, "(file)", "cannot open for writing");
  f << text;
  if (!f) throw spec::SpecError(o.out, "(file)", "write failed");
  return kOk;
}

}  // namespace

int models_command(const Args& args) {
  return guarded("models", [&] {
    ModelsOptions o;
    const po::options_description d = models_options(o);
    if (!parse_options(args, d)) return int(kOk);
    if (o.list == !o.export_name.empty()) throw std::invalid_argument("give exactly one of --list and --export NAME");
    return o.list ? list_models(o.classes) : export_one(o);
  });
}

}  // namespace enos::tools
