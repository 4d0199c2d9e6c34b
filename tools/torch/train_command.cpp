// `enos train`: trains one network in float (the uni-operator baseline of the search issue).
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include <ATen/Context.h>
#include <ATen/Parallel.h>
#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include "models/registry.hpp"
#include "models/trainer.hpp"
#include "pe/candidate.hpp"
#include "energy/lut.hpp"
#include "search/export.hpp"
#include "search/quant_layer.hpp"
#include "tools/cli.hpp"

namespace po = boost::program_options;

namespace enos::tools {
namespace {

struct TrainOptions {
  std::string model, dataset, op, pin, out, memory_format, augment, lut;
  models::TrainConfig config;
  models::DataOptions data;
  int threads = 0;
};

po::options_description train_options(TrainOptions& o) {
  po::options_description d("enos train --model NAME --dataset NAME[:DIR] --out DIR [options]\n\n"
                            "Trains a network with SGD (momentum, weight decay, cosine learning rate per step);\n"
                            "logs every epoch to the terminal and to DIR/log.csv, checkpoints to DIR/model.pt.\n"
                            "Datasets: cifar10:DIR, cifar100:DIR (binary versions), fashion-mnist[:DIR].\n\noptions");
  d.add_options()("help,h", "print this help")("model", po::value(&o.model)->required(), "network (enos models --list)")(
      "dataset", po::value(&o.dataset)->required(), "NAME[:DIR]")(
      "out", po::value(&o.out)->required(), "folder for log.csv, config.json and checkpoints (created)")(
      "epochs", po::value(&o.config.epochs)->default_value(5), "epochs")(
      "op", po::value(&o.op)->default_value("float"), "operator of every MAC layer: float or a candidate (int:w8a8, bin:w1a8, mf:w8a8, shift:w4a8, ...)")(
      "pin-first-last", po::value(&o.pin)->default_value("int:w8a8"),
      "candidate of the first and last MAC layers when --op is a candidate, or none")(
      "batch", po::value(&o.config.batch)->default_value(128), "batch size")(
      "lr", po::value(&o.config.lr)->default_value(0.1), "peak learning rate (cosine-annealed to 0)")(
      "warmup", po::value(&o.config.warmup_epochs)->default_value(0.0),
      "epochs of linear learning-rate warm-up before the cosine")(
      "momentum", po::value(&o.config.momentum)->default_value(0.9), "SGD momentum (Nesterov)")(
      "weight-decay", po::value(&o.config.weight_decay)->default_value(5e-4), "L2 weight decay")(
      "label-smoothing", po::value(&o.config.label_smoothing)->default_value(0.0), "label smoothing of the loss")(
      "seed", po::value(&o.config.seed)->default_value(1), "seed of the initialization, batch order and augmentation")(
      "train-limit", po::value(&o.data.train_limit)->default_value(0), "use the first N training examples (0: all)")(
      "test-limit", po::value(&o.data.test_limit)->default_value(0), "use the first N test examples (0: all)")(
      "validation", po::value(&o.data.validation)->default_value(0),
      "hold out N training examples (seeded random choice) as a validation set")(
      "augment", po::value(&o.augment)->default_value("standard"),
      "standard (CIFAR: random crop with 4-pixel padding + flip; Fashion-MNIST: flip), flip or none")(
      "memory-format", po::value(&o.memory_format)->default_value("channels_last"),
      "channels_last (fast depthwise convolutions) or contiguous")(
      "threads", po::value(&o.threads)->default_value(0), "intra-op threads (0: every core)")(
      "lut", po::value(&o.lut),
      "with --op CANDIDATE: after training, export the network for `enos validate` (docs/export-format.md) with\n"
      "this LUT's energies (enos characterize of the model's workload)");
  return d;
}

void check_operator(const std::string& op, const std::string& pin) {
  try {
    if (op != "float") pe::parse_candidate(op);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument("--op " + op + ": " + e.what() + " (or float)");
  }
  try {
    if (pin != "none") pe::parse_candidate(pin);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument("--pin-first-last " + pin + ": " + e.what() + " (or none)");
  }
}

// What the first and last MAC layers run: reports must say when they differ from --op.
std::string pinning(const TrainOptions& o) { return o.op == "float" ? "none" : o.pin; }

std::shared_ptr<models::Network> build_network(const TrainOptions& o, const models::Dataset& data) {
  const models::ModelConfig model_config{data.info.input, data.info.classes};
  if (o.op == "float") return models::make_model(o.model, model_config);
  search::QuantFactoryConfig q;
  q.candidate = pe::parse_candidate(o.op);
  q.pin_first_last.reset();
  if (o.pin != "none") q.pin_first_last = pe::parse_candidate(o.pin);
  q.input = search::InputNormalization{data.info.mean, data.info.stddev};  // the input layer sees pixels
  return models::make_model(o.model, model_config, search::QuantLayerFactory(q));
}

// One line redrawn in place while an epoch runs, only when stdout is a terminal.
class ProgressBar {
 public:
  ProgressBar(int epoch, int epochs) : tty_(isatty(fileno(stdout)) != 0), epoch_(epoch), epochs_(epochs) {}
  void operator()(const models::StepProgress& p) {
    if (!tty_ || (p.step % 5 != 0 && p.step != p.steps)) return;
    const int width = 30, filled = int(width * p.step / p.steps);
    std::printf("\r  epoch %d/%d [%s%s] %lld/%lld  loss %.3f  acc %5.1f%%  %.0f img/s", epoch_, epochs_,
                std::string(std::size_t(filled), '#').c_str(), std::string(std::size_t(width - filled), '.').c_str(),
                static_cast<long long>(p.step), static_cast<long long>(p.steps), p.loss, 100 * p.accuracy,
                p.images_per_second);
    std::fflush(stdout);
  }
  void clear() const {
    if (tty_) std::printf("\r\033[K");
  }

 private:
  bool tty_;
  int epoch_, epochs_;
};

std::string percent(const models::Evaluation& e) {
  if (e.count == 0) return "-";
  char text[16];
  std::snprintf(text, sizeof text, "%.2f%%", 100 * e.accuracy);
  return text;
}

std::string csv_number(const models::Evaluation& e, bool accuracy) {
  return e.count == 0 ? "" : std::to_string(accuracy ? e.accuracy : e.loss);
}

void write_config(const TrainOptions& o, const models::Dataset& data, int64_t parameters) {
  const nlohmann::json j = {{"model", o.model}, {"dataset", o.dataset}, {"op", o.op}, {"pin_first_last", pinning(o)}, {"epochs", o.config.epochs},
                            {"batch", o.config.batch}, {"lr", o.config.lr}, {"warmup_epochs", o.config.warmup_epochs}, {"momentum", o.config.momentum},
                            {"weight_decay", o.config.weight_decay}, {"label_smoothing", o.config.label_smoothing}, {"seed", o.config.seed},
                            {"augment", o.augment}, {"memory_format", o.memory_format},
                            {"threads", at::get_num_threads()}, {"parameters", parameters},
                            {"train_examples", data.train.size()}, {"validation_examples", data.validation.size()},
                            {"test_examples", data.test.size()}};
  std::ofstream(o.out + "/config.json") << j.dump(2) << "\n";
}

void prepare(TrainOptions& o) {
  check_operator(o.op, o.pin);
  if (!o.lut.empty() && o.op == "float") throw std::invalid_argument("--lut exports a quantized network: give --op CANDIDATE");
  if (o.memory_format != "channels_last" && o.memory_format != "contiguous")
    throw std::invalid_argument("--memory-format must be channels_last or contiguous, got " + o.memory_format);
  o.config.channels_last = o.memory_format == "channels_last";
  o.config.augment = models::parse_augment(o.augment);
  o.data.seed = o.config.seed;
  if (o.threads < 0) throw std::invalid_argument("--threads must be ≥ 0");
  if (o.threads == 0)
    models::use_all_cores();
  else
    at::set_num_threads(o.threads);
  std::error_code error;
  std::filesystem::create_directories(o.out, error);
  if (error) throw std::invalid_argument(o.out + ": cannot create the output folder: " + error.message());
}

// The uni-operator network in the search's export format, so `enos validate` replays it too.
void export_uniform(const TrainOptions& o, const models::Dataset& data, models::Network& net,
                    const models::Evaluation& test) {
  const energy::Lut lut = energy::load_lut(o.lut);
  search::ExportInfo info;
  info.tool_version = ENOS_VERSION;
  info.model = o.model, info.dataset = o.dataset.substr(0, o.dataset.find(':')), info.mode = "uniform";
  info.seed = o.config.seed;
  if (o.pin != "none") info.pin_first_last = o.pin;
  info.lut = &lut, info.lut_file = o.lut, info.accuracy = test.accuracy, info.test_images = test.count;
  const search::ExportSummary s = search::export_network(net, data, info, o.out);
  std::printf("exported %s/mapping.json: LUT energy %.4f uJ per inference, test accuracy %.2f%%\n", o.out.c_str(),
              s.energy_pj * 1e-6, 100 * test.accuracy);
}

int run_train(TrainOptions& o) {
  prepare(o);
  const models::Dataset data = models::load_dataset(o.dataset, o.data);
  at::manual_seed(o.config.seed);
  const std::shared_ptr<models::Network> net = build_network(o, data);
  const int64_t parameters = models::parameter_count(*net);
  models::Trainer trainer(net, data, o.config);
  write_config(o, data, parameters);
  std::printf("train %s (%lld parameters, %s) on %s: %lld train, %lld validation, %lld test; %d threads, %s\n",
              o.model.c_str(), static_cast<long long>(parameters),
              (o.op + (pinning(o) == "none" ? "" : ", first/last layers " + pinning(o))).c_str(), data.info.name.c_str(),
              static_cast<long long>(data.train.size()), static_cast<long long>(data.validation.size()),
              static_cast<long long>(data.test.size()), at::get_num_threads(), o.memory_format.c_str());
  std::printf("%-7s %-8s %-7s %-8s %-8s %-8s %9s %8s\n", "epoch", "lr", "loss", "train", "val", "test", "seconds",
              "img/s");
  std::fflush(stdout);
  std::ofstream log(o.out + "/log.csv");
  log << "epoch,lr,train_loss,train_acc,val_loss,val_acc,test_loss,test_acc,seconds,images_per_s\n";
  for (int epoch = 1; epoch <= o.config.epochs; ++epoch) {
    ProgressBar bar(epoch, o.config.epochs);
    const models::EpochReport r = trainer.train_epoch(epoch, [&bar](const models::StepProgress& p) { bar(p); });
    bar.clear();
    std::printf("%-7s %-8.5f %-7.4f %-8s %-8s %-8s %9.1f %8.1f\n",
                (std::to_string(epoch) + "/" + std::to_string(o.config.epochs)).c_str(), r.lr, r.train.loss,
                percent(r.train).c_str(), percent(r.validation).c_str(), percent(r.test).c_str(), r.seconds,
                r.images_per_second);
    std::fflush(stdout);
    log << epoch << "," << r.lr << "," << r.train.loss << "," << r.train.accuracy << ","
        << csv_number(r.validation, false) << "," << csv_number(r.validation, true) << ","
        << csv_number(r.test, false) << "," << csv_number(r.test, true) << "," << r.seconds << ","
        << r.images_per_second << std::endl;
    trainer.save(o.out);
  }
  if (!o.lut.empty()) {
    net->eval();
    export_uniform(o, data, *net, trainer.evaluate(data.test));
  }
  return int(kOk);
}

}  // namespace

int train_command(const Args& args) {
  return guarded("train", [&] {
    TrainOptions o;
    const po::options_description d = train_options(o);
    if (!parse_options(args, d)) return int(kOk);
    return run_train(o);
  });
}

}  // namespace enos::tools
