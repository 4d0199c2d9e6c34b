#include "tools/torch/search_pipeline.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <stdexcept>

#include <ATen/Context.h>
#include <nlohmann/json.hpp>

#include "energy/lut.hpp"
#include "models/registry.hpp"
#include "models/trainer.hpp"
#include "search/export.hpp"

namespace enos::tools {
namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

std::string uj(double pj) {
  char t[32];
  std::snprintf(t, sizeof t, "%.4f", pj * 1e-6);
  return t;
}

// "int:w8a8×2 int:w4a4×40": how many layers run each candidate, in the LUT's candidate order.
std::string assignment_summary(const std::vector<std::string>& a, const std::vector<std::string>& order) {
  std::map<std::string, int> count;
  for (const std::string& c : a) ++count[c];
  std::string s;
  for (const std::string& c : order)
    if (count[c] > 0) s += (s.empty() ? "" : " ") + c + "x" + std::to_string(count[c]);
  return s;
}

std::vector<std::string> names(const std::vector<search::SuperMac>& layers, const std::vector<int>& a) {
  std::vector<std::string> n;
  for (std::size_t i = 0; i < layers.size(); ++i) n.push_back(layers[i]->choices()[std::size_t(a[i])].candidate);
  return n;
}

// One line redrawn in place while an epoch runs, only on a terminal.
void draw_progress(const search::SearchProgress& p, int epoch, int epochs, double budget_pj) {
  static const bool tty = isatty(fileno(stdout)) != 0;
  if (!tty || (p.step % 5 != 0 && p.step != p.steps)) return;
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

std::string percent(const models::Evaluation& e) {
  if (e.count == 0) return "-";
  char t[16];
  std::snprintf(t, sizeof t, "%.2f%%", 100 * e.accuracy);
  return t;
}

models::Dataset load_data(SearchRunOptions& o) {
  models::RawDataset raw = models::load_raw_dataset(models::parse_dataset_ref(o.dataset));
  o.data.seed = o.config.seed;
  if (o.config.mode == search::SearchMode::Bilevel) {
    if (!(o.validation_frac > 0 && o.validation_frac < 1))
      throw std::invalid_argument("--validation-frac must be in (0, 1)");
    int64_t n = raw.train.count();
    if (o.data.train_limit > 0) n = std::min(n, o.data.train_limit);
    o.data.validation = std::max<int64_t>(1, int64_t(double(n) * o.validation_frac));
  }
  return models::make_dataset(std::move(raw), o.data);
}

std::string dataset_name(const std::string& text) { return text.substr(0, text.find(':')); }

}  // namespace

SearchRunResult run_search(SearchRunOptions o) {
  o.config.mode = search::parse_search_mode(o.mode);
  std::optional<pe::Candidate> pin;
  if (o.pin != "none") {
    try {
      pin = pe::parse_candidate(o.pin);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument("--pin-first-last " + o.pin + ": " + e.what() + " (or none)");
    }
  }
  if (o.finetune_epochs < 0) throw std::invalid_argument("--finetune-epochs must be ≥ 0");
  std::error_code error;
  std::filesystem::create_directories(o.out, error);
  if (error) throw std::invalid_argument(o.out + ": cannot create the output folder: " + error.message());

  const energy::Lut lut = energy::load_lut(o.lut_file);
  const models::Dataset data = load_data(o);
  const models::ModelConfig model_config{data.info.input, data.info.classes};
  const search::InputNormalization input{data.info.mean, data.info.stddev};
  search::SupernetConfig sc;
  sc.lut = &lut, sc.lut_file = o.lut_file, sc.pin_first_last = pin, sc.input = input, sc.int_only = o.int_only, sc.only = o.only;
  at::manual_seed(o.config.seed);
  const auto supernet = models::make_model(o.model, model_config, search::SupernetFactory(sc));
  const std::vector<search::SuperMac> layers = search::supernet_layers(*supernet, lut, o.lut_file);

  SearchRunResult r;
  r.budget_pj = search::resolve_budget_pj(o.budget_uj, o.budget_frac, lut, o.lut_file);
  r.reference_pj = lut.total_energy_pj("int:w8a8");
  const double minimum = search::minimum_energy_pj(layers);
  if (minimum > r.budget_pj)
    throw std::invalid_argument("the budget " + uj(r.budget_pj) + " uJ is unreachable: the cheapest network this LUT allows" +
                                (pin ? " (first and last layers pinned to " + o.pin + ")" : std::string()) + " costs " +
                                uj(minimum) + " uJ per inference");
  o.config.budget_pj = r.budget_pj;
  search::Searcher searcher(supernet, layers, data, o.config);
  if (!o.quiet) {
    std::printf("search %s on %s, mode %s, %d epochs: budget %s uJ (%.1f%% of all-int:w8a8 %s uJ; cheapest %s uJ); "
                "first/last layers %s; %lld train, %lld validation, %lld test; %d threads\n",
                o.model.c_str(), data.info.name.c_str(), o.mode.c_str(), o.config.epochs, uj(r.budget_pj).c_str(),
                100 * r.budget_pj / r.reference_pj, uj(r.reference_pj).c_str(), uj(minimum).c_str(),
                pin ? ("pinned to " + o.pin).c_str() : "searched", static_cast<long long>(data.train.size()),
                static_cast<long long>(data.validation.size()), static_cast<long long>(data.test.size()),
                at::get_num_threads());
    std::printf("%-6s %-7s %-8s %-8s %-8s %-10s %-7s %-8s %7s  %s\n", "epoch", "loss", "train", "val", "test",
                "E(a) uJ", "budget", "lambda", "seconds", "assignment (argmax)");
    std::fflush(stdout);
  }
  std::ofstream log(o.out + "/log.csv");
  log << "epoch,train_loss,train_acc,val_acc,test_acc,expected_energy_uj,argmax_energy_uj,budget_uj,lambda,"
         "temperature,seconds,assignment\n";
  const auto t0 = std::chrono::steady_clock::now();
  for (int epoch = 1; epoch <= o.config.epochs; ++epoch) {
    const search::SearchEpochReport e = searcher.train_epoch(epoch, [&](const search::SearchProgress& p) {
      if (!o.quiet) draw_progress(p, epoch, o.config.epochs, r.budget_pj);
    });
    const std::vector<std::string> a = names(layers, e.assignment);
    std::string joined;
    for (const std::string& c : a) joined += (joined.empty() ? "" : ";") + c;
    log << epoch << "," << e.train.loss << "," << e.train.accuracy << "," << (e.validation.count ? std::to_string(e.validation.accuracy) : "")
        << "," << (e.test.count ? std::to_string(e.test.accuracy) : "") << "," << e.expected_energy_pj * 1e-6 << ","
        << e.assignment_energy_pj * 1e-6 << "," << r.budget_pj * 1e-6 << "," << e.lambda << "," << e.temperature << ","
        << e.seconds << "," << joined << std::endl;
    if (o.quiet) continue;
    clear_progress();
    std::printf("%-6s %-7.4f %-8s %-8s %-8s %-10s %6.1f%% %-8.3f %7.1f  %s\n",
                (std::to_string(epoch) + "/" + std::to_string(o.config.epochs)).c_str(), e.train.loss,
                percent(e.train).c_str(), percent(e.validation).c_str(), percent(e.test).c_str(),
                uj(e.expected_energy_pj).c_str(), 100 * e.expected_energy_pj / r.budget_pj, e.lambda, e.seconds,
                assignment_summary(a, lut.candidates).c_str());
    std::fflush(stdout);
  }
  r.search_seconds = seconds_since(t0);

  // The argmax, fitted to the budget if it exceeds it: the budget is met, not merely penalized.
  const std::vector<int> argmax = search::argmax_assignment(layers);
  const std::vector<int> chosen = search::fit_budget(searcher.preferences(), r.budget_pj);
  r.fitted = chosen != argmax;
  r.assignment = names(layers, chosen);
  r.energy_pj = search::assignment_energy_pj(layers, chosen);
  if (!o.quiet && r.fitted)
    std::printf("the argmax network (%s uJ) exceeded the budget: fitted to %s uJ by moving the least-preferred layers "
                "to cheaper candidates\n",
                uj(search::assignment_energy_pj(layers, argmax)).c_str(), uj(r.energy_pj).c_str());

  auto discrete = search::make_discrete_network(o.model, model_config, input, layers, chosen, *supernet);
  models::TrainConfig ft;
  ft.epochs = std::max(1, o.finetune_epochs), ft.batch = o.config.batch, ft.lr = o.finetune_lr;
  ft.augment = o.config.augment, ft.seed = o.config.seed + 1;
  models::Trainer trainer(discrete, data, ft);
  const auto t1 = std::chrono::steady_clock::now();
  for (int epoch = 1; epoch <= o.finetune_epochs; ++epoch) {
    const models::EpochReport e = trainer.train_epoch(epoch);
    if (!o.quiet)
      std::printf("fine-tune %d/%d: loss %.4f, train %s, test %s, %.1f s\n", epoch, o.finetune_epochs, e.train.loss,
                  percent(e.train).c_str(), percent(e.test).c_str(), e.seconds);
  }
  r.finetune_seconds = seconds_since(t1);
  // Eval mode normalizes with the running statistics: those of the final weights, not the
  // supernet's mixture (no fine-tuning) or a lagging average over the fine-tuning steps.
  search::recalibrate_batch_norm(*discrete, data.train, data.info, o.config.channels_last);
  const models::Evaluation test = trainer.evaluate(data.test);
  r.accuracy = test.accuracy;

  search::ExportInfo info;
  info.tool_version = ENOS_VERSION;
  info.model = o.model, info.dataset = dataset_name(o.dataset), info.seed = o.config.seed;
  info.mode = o.only ? "uniform" : o.mode;
  if (pin) info.pin_first_last = o.pin;
  info.lut = &lut, info.lut_file = o.lut_file, info.reference_images = o.reference_images;
  if (o.budget_uj) info.budget_uj = *o.budget_uj;
  else info.budget_uj = r.budget_pj * 1e-6;
  info.accuracy = test.accuracy, info.test_images = test.count;
  const search::ExportSummary s = search::export_network(*discrete, data, info, o.out);
  if (!o.quiet)
    std::printf("result: test accuracy %s, LUT energy %s uJ per inference = %.1f%% of the budget (%s uJ); "
                "first/last layers %s; search %.1f s, fine-tune %.1f s\n"
                "(LUT energy: the PE array's; the post-processing unit adds about 5-10 %%, which enos validate "
                "replays and counts against the budget)\n"
                "exported %s/mapping.json (+ network.json, weights.bin, reference.json: %d calibrated tensors, %d "
                "rescaled inputs)\n",
                percent(test).c_str(), uj(r.energy_pj).c_str(), 100 * r.energy_pj / r.budget_pj,
                uj(r.budget_pj).c_str(), pin ? ("pinned to " + o.pin).c_str() : "searched", r.search_seconds,
                r.finetune_seconds, o.out.c_str(), s.calibrated_tensors, s.rescaled_inputs);
  return r;
}

}  // namespace enos::tools
