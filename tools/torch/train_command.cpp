// `enos train`: trains one network (float, or one fake-quantized candidate), resumably.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include <ATen/Parallel.h>
#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include "energy/lut.hpp"
#include "models/registry.hpp"
#include "models/trainer.hpp"
#include "models/workload_text.hpp"
#include "pe/candidate.hpp"
#include "search/export.hpp"
#include "search/quant_layer.hpp"
#include "spec/atomic_file.hpp"
#include "tools/cli.hpp"
#include "tools/shared_options.hpp"
#include "tools/torch/threads.hpp"
#include "tools/torch/train_record.hpp"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace enos::tools {
namespace {

po::options_description train_options(TrainOptions& o, std::string& resume, SharedOptions& shared) {
  po::options_description d("enos train --model NAME --dataset NAME[:DIR] --out DIR [options]\n"
                            "enos train --resume DIR [--threads N]\n\n"
                            "Trains a network with SGD (momentum, weight decay, warm-up then cosine learning rate per\n"
                            "step); logs every epoch to the terminal and to DIR/log.csv. After every epoch it writes\n"
                            "DIR/checkpoint.pt (everything a resume needs) and DIR/model.pt (the weights), each\n"
                            "atomically: a run killed at any moment continues with --resume DIR and ends with the\n"
                            "weights of an uninterrupted run. DIR/result.json at the end holds what the model zoo's\n"
                            "manifest takes (enos models --publish DIR).\n"
                            "Datasets: cifar10:DIR, cifar100:DIR (binary versions), fashion-mnist[:DIR].\n\noptions");
  const TrainOptions defaults;
  d.add_options()("help,h", "print this help")("model", po::value(&o.model), "network (enos models --list)")(
      "out", po::value(&o.out), "folder for log.csv, config.json and checkpoints (created; must not hold a run)")(
      "resume", po::value(&resume), "continue the interrupted run in this folder (its config.json gives every option)")(
      "epochs", po::value(&o.config.epochs)->default_value(defaults.config.epochs), "epochs")(
      "op", po::value(&o.op)->default_value(defaults.op),
      "operator of every MAC layer: float or a candidate (int:w8a8, bin:w1a8, mf:w8a8, shift:w4a8, ...)")(
      "batch", po::value(&o.config.batch)->default_value(defaults.config.batch), "batch size")(
      "lr", po::value(&o.config.lr)->default_value(defaults.config.lr), "peak learning rate (cosine-annealed to 0)")(
      "warmup", po::value(&o.config.warmup_epochs)->default_value(defaults.config.warmup_epochs),
      "epochs of linear learning-rate warm-up before the cosine")(
      "momentum", po::value(&o.config.momentum)->default_value(defaults.config.momentum), "SGD momentum (Nesterov)")(
      "weight-decay", po::value(&o.config.weight_decay)->default_value(defaults.config.weight_decay), "L2 weight decay")(
      "weight-decay-on", po::value(&o.weight_decay_on)->default_value(defaults.weight_decay_on),
      "all: every parameter; weights: convolution and fully connected weights only (not batch norm, not biases)")(
      "label-smoothing", po::value(&o.config.label_smoothing)->default_value(defaults.config.label_smoothing),
      "label smoothing of the loss")(
      "validation", po::value(&o.data.validation)->default_value(0),
      "hold out N training examples (seeded random choice) as a validation set")(
      "test-at", po::value(&o.test_at)->default_value(defaults.test_at),
      "every-epoch: evaluate the test set after every epoch; end: only once, after the last (choose\n"
      "recipes on --validation, report test accuracy once)")(
      "augment", po::value(&o.augment)->default_value(defaults.augment),
      "standard (CIFAR: random crop with 4-pixel padding + flip; Fashion-MNIST: flip), standard+cutout (and a\n"
      "mean-coloured square of half the image's side), flip or none")(
      "memory-format", po::value(&o.memory_format)->default_value(defaults.memory_format),
      "channels_last (fast depthwise convolutions) or contiguous")(
      "lut", po::value(&o.lut),
      "with --op CANDIDATE: after training, export the network for `enos validate` (docs/export-format.md) with\n"
      "this LUT's energies (enos characterize of the model's workload)");
  shared.declare(d);
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

models::CheckpointIdentity identity_of(const TrainOptions& o, const models::Dataset& data) {
  return {o.model, data.info.input, data.info.classes, o.op == "float" ? "float" : o.op + ", first/last " + pinning(o)};
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

void check_options(TrainOptions& o) {
  if (o.model.empty()) throw std::invalid_argument("the option '--model' is required but missing");
  if (o.dataset.empty()) throw std::invalid_argument("the option '--dataset' is required but missing");
  if (o.out.empty()) throw std::invalid_argument("the option '--out' is required but missing");
  check_operator(o.op, o.pin);
  if (!o.lut.empty() && o.op == "float") throw std::invalid_argument("--lut exports a quantized network: give --op CANDIDATE");
  if (o.memory_format != "channels_last" && o.memory_format != "contiguous")
    throw std::invalid_argument("--memory-format must be channels_last or contiguous, got " + o.memory_format);
  if (o.weight_decay_on != "all" && o.weight_decay_on != "weights")
    throw std::invalid_argument("--weight-decay-on must be all or weights, got " + o.weight_decay_on);
  o.config.decay_norm_and_bias = o.weight_decay_on == "all";
  if (o.test_at != "every-epoch" && o.test_at != "end")
    throw std::invalid_argument("--test-at must be every-epoch or end, got " + o.test_at);
  o.config.channels_last = o.memory_format == "channels_last";
  o.config.augment = models::parse_augment(o.augment);
  o.data.seed = o.config.seed;
}

std::string command_line(const Args& args) {
  std::string text = "enos train";
  for (const std::string& a : args) text += " " + a;
  return text;
}

// A fresh run: options from the command line, a new folder (or an empty one).
TrainOptions fresh_run(TrainOptions o, const Args& args) {
  check_options(o);
  if (fs::exists(o.out + "/checkpoint.pt") || fs::exists(o.out + "/config.json"))
    throw std::invalid_argument(o.out + ": holds a training run already: continue it with --resume " + o.out +
                                " or give another --out");
  create_output_folder(o.out);
  o.command = command_line(args);
  return o;
}

// A resumed run: every option from DIR/config.json; only --threads may be given again.
TrainOptions resumed_run(const std::string& dir, const po::variables_map& given, int threads) {
  for (const auto& option : given)
    if (!option.second.defaulted() && option.first != "resume" && option.first != "threads")
      throw std::invalid_argument("--resume takes every option from " + dir + "/config.json; --" + option.first +
                                  " cannot be given with it (only --threads)");
  TrainOptions o = options_from_json(dir + "/config.json");
  o.out = dir;
  if (given.count("threads") && !given["threads"].defaulted()) o.threads = threads;
  check_options(o);
  return o;
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

void write_result(const TrainOptions& o, const models::Dataset& data, const TrainRecord& record) {
  const models::Evaluation& test = record.final_test;
  const nlohmann::json j = {{"model", o.model},
                            {"dataset", data.info.name},
                            {"input", models::input_shape_text(data.info.input)},
                            {"classes", data.info.classes},
                            {"op", o.op},
                            {"checkpoint", "model.pt"},
                            {"command", o.command},
                            {"seed", o.config.seed},
                            {"epochs", o.config.epochs},
                            {"train_seconds", record.train_seconds},
                            {"wall_seconds", record.wall_seconds},
                            {"threads", record.session_threads},
                            {"test_accuracy", test.accuracy},
                            {"test_top5", test.top5},
                            {"test_images", test.count},
                            {"tool_version", ENOS_VERSION}};
  spec::write_file_atomically(o.out + "/result.json", j.dump(2) + "\n");
}

void print_header(const TrainOptions& o, const models::Dataset& data, int64_t parameters, int from_epoch) {
  std::printf("train %s (%lld parameters, %s) on %s: %lld train, %lld validation, %lld test; %d threads, %s\n",
              o.model.c_str(), static_cast<long long>(parameters),
              (o.op + (pinning(o) == "none" ? "" : ", first/last layers " + pinning(o))).c_str(), data.info.name.c_str(),
              static_cast<long long>(data.train.size()), static_cast<long long>(data.validation.size()),
              static_cast<long long>(data.test.size()), at::get_num_threads(), o.memory_format.c_str());
  if (from_epoch > 1) std::printf("resuming %s after epoch %d\n", o.out.c_str(), from_epoch - 1);
  std::printf("%-7s %-8s %-7s %-8s %-8s %-8s %9s %8s\n", "epoch", "lr", "loss", "train", "val", "test", "seconds",
              "img/s");
  std::fflush(stdout);
}

int run_train(const TrainOptions& o, bool resuming) {
  use_threads(o.threads);
  const models::Dataset data = models::load_dataset(o.dataset, o.data);
  at::manual_seed(o.config.seed);
  const std::shared_ptr<models::Network> net = build_network(o, data);
  const int64_t parameters = models::parameter_count(*net);
  models::Trainer trainer(net, data, o.config);
  const models::CheckpointIdentity id = identity_of(o, data);
  const std::string state_file = o.out + "/checkpoint.pt";
  TrainRecord record;
  if (resuming && fs::exists(state_file)) {  // (a run killed in its first epoch has none yet)
    record = record_from_text(trainer.load_state(state_file, id), state_file);
  } else if (!resuming) {
    spec::write_file_atomically(o.out + "/config.json",
                                options_to_json(o, at::get_num_threads(), parameters, data).dump(2) + "\n");
  }
  record.session_threads.push_back(at::get_num_threads());
  const int from_epoch = int(record.history.size()) + 1;
  print_header(o, data, parameters, from_epoch);
  for (int epoch = from_epoch; epoch <= o.config.epochs; ++epoch) {
    const auto epoch_start = std::chrono::steady_clock::now();
    ProgressBar bar(epoch, o.config.epochs);
    models::EpochReport r = trainer.train_epoch(epoch, [&bar](const models::StepProgress& p) { bar(p); },
                                                o.test_at == "every-epoch");
    bar.clear();
    std::printf("%-7s %-8.5f %-7.4f %-8s %-8s %-8s %9.1f %8.1f\n",
                (std::to_string(epoch) + "/" + std::to_string(o.config.epochs)).c_str(), r.lr, r.train.loss,
                percent(r.train).c_str(), percent(r.validation).c_str(), percent(r.test).c_str(), r.seconds,
                r.images_per_second);
    std::fflush(stdout);
    record.history.push_back(r);
    record.train_seconds += r.seconds;
    if (epoch == o.config.epochs) record.final_test = o.test_at == "end" ? trainer.evaluate(data.test) : r.test;
    record.wall_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - epoch_start).count();
    trainer.save_state(state_file, id, record_to_text(record));
    models::save_checkpoint(o.out + "/model.pt", *net, id);
    write_log(o.out + "/log.csv", record);
  }
  if (o.test_at == "end")
    std::printf("test accuracy after %d epochs: %s (%lld images)\n", o.config.epochs, percent(record.final_test).c_str(),
                static_cast<long long>(record.final_test.count));
  write_result(o, data, record);
  if (!o.lut.empty()) {
    net->eval();
    export_uniform(o, data, *net, trainer.evaluate(data.test));
  }
  return int(kOk);
}

// The shared options' defaults are TrainOptions' own.
SharedOptions shared_options_of(const TrainOptions& o) {
  SharedOptionValues v;
  v.dataset = o.dataset, v.train_limit = o.data.train_limit, v.test_limit = o.data.test_limit, v.threads = o.threads;
  v.seed = std::to_string(o.config.seed), v.pin = o.pin;
  return training_options(v);
}

void take_shared_options(const SharedOptions& shared, TrainOptions& o) {
  shared.check();
  const SharedOptionValues& v = shared.values();
  o.dataset = v.dataset, o.data.train_limit = v.train_limit, o.data.test_limit = v.test_limit, o.threads = v.threads;
  o.config.seed = shared.seed(), o.pin = v.pin;
}

}  // namespace

int train_command(const Args& args) {
  return guarded("train", [&] {
    TrainOptions given;
    SharedOptions shared = shared_options_of(given);
    std::string resume;
    const po::options_description d = train_options(given, resume, shared);
    po::variables_map vm;
    if (!parse_options(args, d, &vm)) return int(kOk);
    take_shared_options(shared, given);
    if (!resume.empty()) return run_train(resumed_run(resume, vm, given.threads), true);
    return run_train(fresh_run(given, args), false);
  });
}

}  // namespace enos::tools
