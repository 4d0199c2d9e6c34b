#include "tools/torch/search_pipeline.hpp"
#include "tools/torch/replay_energy.hpp"
#include "tools/torch/threads.hpp"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <ATen/Parallel.h>
#include <boost/program_options.hpp>

#include "models/registry.hpp"
#include "tools/cli.hpp"

namespace po = boost::program_options;

namespace enos::tools {
namespace {

std::string uj(double pj) {
  char t[32];
  std::snprintf(t, sizeof t, "%.4f", pj * 1e-6);
  return t;
}

std::string percent(const models::Evaluation& e) {
  if (e.count == 0) return "-";
  char t[16];
  std::snprintf(t, sizeof t, "%.2f%%", 100 * e.accuracy);
  return t;
}

// "int:w8a8x2 int:w4a4x40": how many layers run each candidate, in the LUT's candidate order.
std::string assignment_summary(const std::vector<std::string>& a, const std::vector<std::string>& order) {
  std::map<std::string, int> count;
  for (const std::string& c : a) ++count[c];
  std::string s;
  for (const std::string& c : order)
    if (count[c] > 0) s += (s.empty() ? "" : " ") + c + "x" + std::to_string(count[c]);
  return s;
}

// Full precision for the log: it is read by scripts, not people.
std::string number(double v) {
  std::ostringstream s;
  s.precision(10);
  s << v;
  return s.str();
}

// One line redrawn in place while an epoch runs, only on a terminal.
void draw_progress(const search::SearchProgress& p, int epoch, int epochs, double budget_pj) {
  if (!isatty(fileno(stdout)) || (p.step % 5 != 0 && p.step != p.steps)) return;
  const int width = 24, filled = int(width * p.step / p.steps);
  std::printf("\r  epoch %d/%d [%s%s] %lld/%lld  loss %.3f  acc %5.1f%%  E %.1f%% of budget  lambda %.3f  %.0f img/s\033[K",
              epoch, epochs, std::string(std::size_t(filled), '#').c_str(),
              std::string(std::size_t(width - filled), '.').c_str(), static_cast<long long>(p.step),
              static_cast<long long>(p.steps), p.loss, 100 * p.accuracy, 100 * p.expected_energy_pj / budget_pj, p.lambda,
              p.images_per_second);
  std::fflush(stdout);
}

void clear_progress() {
  if (isatty(fileno(stdout))) std::printf("\r\033[K");
}

// What `enos search` prints and logs while the pipeline runs.
class SearchPrinter {
 public:
  SearchPrinter(const SearchRunOptions& o) : o_(o.pipeline), quiet_(o.quiet), log_(o.pipeline.out + "/log.csv") {
    log_ << "epoch,train_loss,train_acc,val_acc,test_acc,expected_energy_uj,argmax_energy_uj,array_budget_uj,lambda,"
            "temperature,seconds,assignment\n";
  }
  search::PipelineEvents events() {
    search::PipelineEvents e;
    e.started = [this](const search::PipelineStart& s) { started(s); };
    e.progress = [this](int epoch, const search::SearchProgress& p) {
      if (!quiet_) draw_progress(p, epoch, o_.config.epochs, budget_pj_);
    };
    e.searched_epoch = [this](const search::SearchEpochReport& r, const std::vector<std::string>& a) { epoch(r, a); };
    e.note = [this](const std::string& text) {
      if (!quiet_) std::printf("%s\n", text.c_str());
    };
    e.finetuned_epoch = [this](int epoch, const models::EpochReport& r) {
      if (!quiet_)
        std::printf("fine-tune %d/%d: loss %.4f, train %s, test %s, %.1f s\n", epoch, o_.finetune_epochs, r.train.loss,
                    percent(r.train).c_str(), percent(r.test).c_str(), r.seconds);
    };
    return e;
  }

 private:
  void started(const search::PipelineStart& s) {
    budget_pj_ = s.array_budget_pj, candidates_ = s.candidates;  // what E(α) aims at
    if (quiet_) return;
    std::printf("search %s on %s, mode %s, %d epochs: budget %s uJ (%.1f%% of all-int:w8a8 %s uJ), of which the PE "
                "array may take %s uJ (%.0f%% left for post-processing%s); cheapest %s uJ; "
                "first/last layers %s; %lld train, %lld validation, %lld test; %d threads\n",
                o_.model.c_str(), s.dataset_name.c_str(), o_.mode.c_str(), o_.config.epochs, uj(s.budget_pj).c_str(),
                100 * s.budget_pj / s.reference_pj, uj(s.reference_pj).c_str(), uj(s.array_budget_pj).c_str(),
                100 * o_.postproc_reserve,
                o_.replay_energy ? "; the chosen network is then fitted to the whole budget by replay" : "",
                uj(s.minimum_pj).c_str(),
                o_.pin == "none" ? "searched" : ("pinned to " + o_.pin).c_str(), static_cast<long long>(s.train),
                static_cast<long long>(s.validation), static_cast<long long>(s.test), at::get_num_threads());
    if (s.init.empty())
      std::printf("start: random weights\n");
    else
      std::printf("start: %s (weights and batch norms; %zu clips calibrated, %s)\n", s.init.c_str(), s.calibration.size(),
                  search::to_string(o_.calibration.method).c_str());
    std::printf("%-6s %-7s %-8s %-8s %-8s %-10s %-7s %-8s %7s  %s\n", "epoch", "loss", "train", "val", "test",
                "E(a) uJ", "budget", "lambda", "seconds", "assignment (argmax)");
    std::fflush(stdout);
  }

  void epoch(const search::SearchEpochReport& e, const std::vector<std::string>& a) {
    std::string joined;
    for (const std::string& c : a) joined += (joined.empty() ? "" : ";") + c;
    log_ << e.epoch << "," << number(e.train.loss) << "," << number(e.train.accuracy) << ","
         << (e.validation.count ? number(e.validation.accuracy) : "") << ","
         << (e.test.count ? number(e.test.accuracy) : "") << "," << number(e.expected_energy_pj * 1e-6) << ","
         << number(e.assignment_energy_pj * 1e-6) << "," << number(budget_pj_ * 1e-6) << "," << number(e.lambda) << ","
         << number(e.temperature) << "," << number(e.seconds) << "," << joined << std::endl;
    if (quiet_) return;
    clear_progress();
    std::printf("%-6s %-7.4f %-8s %-8s %-8s %-10s %6.1f%% %-8.3f %7.1f  %s\n",
                (std::to_string(e.epoch) + "/" + std::to_string(o_.config.epochs)).c_str(), e.train.loss,
                percent(e.train).c_str(), percent(e.validation).c_str(), percent(e.test).c_str(),
                uj(e.expected_energy_pj).c_str(), 100 * e.expected_energy_pj / budget_pj_, e.lambda, e.seconds,
                assignment_summary(a, candidates_).c_str());
    std::fflush(stdout);
  }

  const search::PipelineOptions& o_;
  bool quiet_;
  std::ofstream log_;
  double budget_pj_ = 1;
  std::vector<std::string> candidates_;
};

}  // namespace

SearchRunResult run_search(const SearchRunOptions& o) {
  create_output_folder(o.pipeline.out);
  SearchPrinter printer(o);
  const SearchRunResult r = search::run_pipeline(o.pipeline, printer.events());
  if (!o.quiet)
    std::printf("result: test accuracy %.2f%% (%lld images), LUT energy %s uJ per inference = %.1f%% of the budget "
                "(%s uJ; the PE array's share %s uJ); first/last layers %s; search %.1f s, fine-tune %.1f s\n"
                "(LUT energy: the PE array's, as the LUT estimates it; enos validate replays it with the "
                "post-processing unit and counts the sum against the budget%s)\n"
                "exported %s/mapping.json (+ network.json, weights.bin, reference.json)\n",
                100 * r.accuracy, static_cast<long long>(r.test_images), uj(r.energy_pj).c_str(),
                100 * r.energy_pj / r.budget_pj, uj(r.budget_pj).c_str(), uj(r.array_budget_pj).c_str(),
                o.pipeline.pin == "none" ? "searched" : ("pinned to " + o.pipeline.pin).c_str(), r.search_seconds,
                r.finetune_seconds, r.replay_rounds > 0 ? ", as the fit below did" : "", o.pipeline.out.c_str());
  if (!o.quiet && r.replay_rounds > 0)
    std::printf("budget fitted by replay (%d provisional export%s, before fine-tuning): %s uJ per inference = PE array %s "
                "+ post-processing %s uJ, %.1f%% of the budget%s\n",
                r.replay_rounds, r.replay_rounds == 1 ? "" : "s", uj(r.replayed.total_pj).c_str(),
                uj(r.replayed.array_pj).c_str(), uj(r.replayed.postproc_pj).c_str(),
                100 * r.replayed.total_pj / r.budget_pj, r.replay_within_budget ? "" : " (OVER: no network tried fits)");
  if (!o.quiet && o.pipeline.holdout > 0)
    std::printf("held-out training images: accuracy %.2f%% (%lld images)\n", 100 * r.holdout_accuracy,
                static_cast<long long>(o.pipeline.holdout));
  return r;
}

SharedOptions search_shared_options() {
  const search::PipelineOptions defaults;
  SharedOptionValues v;
  v.train_limit = defaults.data.train_limit, v.test_limit = defaults.data.test_limit;
  v.seed = std::to_string(defaults.config.seed), v.pin = defaults.pin;
  return training_options(v);
}

void add_shared_search_options(po::options_description& d, SharedSearchOptions& s) {
  search::PipelineOptions& o = s.pipeline;
  const search::PipelineOptions defaults;
  d.add_options()("lut", po::value(&o.lut_file)->required(), "LUT from `enos characterize` for this model's workload")(
      "model", po::value(&o.model)->required(), "network (enos models --list)")(
      "out", po::value(&o.out)->required(), "output folder (created)")(
      "budget-frac", po::value(&s.budget_frac), "energy budget as a fraction of the all-int:w8a8 network's LUT energy")(
      "epochs", po::value(&o.config.epochs)->default_value(defaults.config.epochs), "search epochs")(
      "finetune-epochs", po::value(&o.finetune_epochs)->default_value(defaults.finetune_epochs),
      "fine-tuning epochs of the chosen network")(
      "init", po::value(&o.init)->default_value(defaults.init),
      "start: zoo (the model zoo's checkpoint for the model and dataset; random weights when it has none),\n"
      "none (random weights) or a checkpoint file (enos train's model.pt)")(
      "zoo", po::value(&o.zoo_dir)->default_value(zoo_dir()), "the model zoo folder")(
      "calibration", po::value(&s.calibration)->default_value(s.calibration),
      "clips of a trained start: mse (least quantization error), percentile (99.99 %) or lsq")(
      "calibration-images", po::value(&o.calibration.images)->default_value(defaults.calibration.images),
      "training images the clips are calibrated on")(
      "alpha-warmup", po::value(&o.config.alpha_warmup)->default_value(defaults.config.alpha_warmup),
      "fraction of the search's steps that train only the weights (alpha frozen)")(
      "distill", po::value(&o.config.distill_weight)->default_value(defaults.config.distill_weight),
      "weight of distillation from the start checkpoint in the search (0: off)")(
      "finetune-distill", po::value(&o.finetune_distill)->default_value(defaults.finetune_distill),
      "weight of distillation from the start checkpoint in the fine-tuning (0: off)")(
      "holdout", po::value(&o.holdout)->default_value(0),
      "hold out N training images and report the final network's accuracy on them (for choosing recipes)")(
      "batch", po::value(&o.config.batch)->default_value(defaults.config.batch), "batch size")(
      "lr", po::value(&o.config.lr)->default_value(defaults.config.lr), "weights: peak SGD learning rate (cosine)")(
      "alpha-lr", po::value(&o.config.alpha_lr)->default_value(defaults.config.alpha_lr),
      "architecture logits: Adam learning rate")(
      "dual-rate", po::value(&o.config.dual_rate)->default_value(defaults.config.dual_rate),
      "step of the Lagrange multiplier per relative budget excess")(
      "finetune-lr", po::value(&o.finetune_lr)->default_value(defaults.finetune_lr),
      "fine-tuning: peak learning rate (cosine)")(
      "postproc-reserve", po::value(&o.postproc_reserve)->default_value(defaults.postproc_reserve),
      "share of the budget left for the post-processing unit, which the LUT does not price (where the\n"
      "search aims; with --budget-fit reserve also where the chosen network must fit)")(
      "budget-fit", po::value(&s.budget_fit)->default_value(s.budget_fit),
      "replay: fit the chosen network to the whole budget by replaying provisional exports on the SystemC\n"
      "model (PE array and post-processing); reserve: its LUT energy within 1 - --postproc-reserve of it")(
      "augment", po::value(&s.augment)->default_value(s.augment), "standard, standard+cutout, flip or none");
  s.shared.declare(d);
}

void finish_shared_search_options(SharedSearchOptions& s, const po::variables_map& given) {
  search::PipelineOptions& o = s.pipeline;
  if (given.count("budget-frac")) o.budget_frac = s.budget_frac;
  if (given.count("budget-uj")) o.budget_uj = s.budget_uj;
  o.config.augment = models::parse_augment(s.augment);
  o.calibration.method = search::parse_clip_method(s.calibration);
  o.tool_version = ENOS_VERSION;
  s.shared.check();
  const SharedOptionValues& v = s.shared.values();
  if (v.dataset.empty()) throw po::required_option("--dataset");
  o.dataset = v.dataset, o.data.train_limit = v.train_limit, o.data.test_limit = v.test_limit;
  o.config.seed = s.shared.seed(), o.pin = v.pin;
  if (s.budget_fit == "replay") {
    ReplayEnergyOptions replay;
    replay.lut_file = o.lut_file, replay.dataset = o.dataset;
    o.replay_energy = [replay](const std::string& dir) { return replay_energy(replay, dir); };
  } else if (s.budget_fit != "reserve") {
    throw std::invalid_argument("--budget-fit must be replay or reserve (got '" + s.budget_fit + "')");
  }
  if (o.config.epochs < 1) throw std::invalid_argument("--epochs must be ≥ 1");
  if (o.finetune_epochs < 0) throw std::invalid_argument("--finetune-epochs must be ≥ 0");
  if (o.calibration.images < 1) throw std::invalid_argument("--calibration-images must be ≥ 1");
  if (!(o.config.alpha_warmup >= 0 && o.config.alpha_warmup < 1))
    throw std::invalid_argument("--alpha-warmup must be in [0, 1)");
  if (!(o.config.distill_weight >= 0 && o.config.distill_weight <= 1))
    throw std::invalid_argument("--distill must be in [0, 1]");
  if (!(o.finetune_distill >= 0 && o.finetune_distill <= 1))
    throw std::invalid_argument("--finetune-distill must be in [0, 1]");
  use_threads(v.threads);
}

}  // namespace enos::tools
