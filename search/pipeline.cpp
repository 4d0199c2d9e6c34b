#include "search/pipeline.hpp"

#include <chrono>
#include <filesystem>
#include <stdexcept>

#include <ATen/Context.h>

#include "energy/lut.hpp"
#include "models/registry.hpp"
#include "models/zoo.hpp"
#include "search/budget.hpp"
#include "search/export.hpp"
#include "search/unreachable_budget.hpp"

namespace enos::search {
namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

std::string uj(double pj) {
  char t[32];
  std::snprintf(t, sizeof t, "%.4f", pj * 1e-6);
  return t;
}

std::vector<std::string> names(const std::vector<SuperMac>& layers, const std::vector<int>& a) {
  std::vector<std::string> n;
  for (std::size_t i = 0; i < layers.size(); ++i) n.push_back(layers[i]->choices()[std::size_t(a[i])].candidate);
  return n;
}

models::Dataset load_data(PipelineOptions& o) {
  datasets::RawDataset raw = datasets::load_raw_dataset(datasets::parse_dataset_ref(o.dataset));
  o.data.seed = o.config.seed;
  if (o.holdout < 0) throw std::invalid_argument("--holdout must be ≥ 0");
  if (o.holdout > 0 && o.config.mode == SearchMode::Bilevel)
    throw std::invalid_argument("--holdout cannot be used with --mode bilevel (its alpha learns on the validation split)");
  o.data.validation = o.holdout;
  if (o.config.mode == SearchMode::Bilevel) {
    if (!(o.validation_frac > 0 && o.validation_frac < 1))
      throw std::invalid_argument("--validation-frac must be in (0, 1)");
    int64_t n = raw.train.count();
    if (o.data.train_limit > 0) n = std::min(n, o.data.train_limit);
    o.data.validation = std::max<int64_t>(1, int64_t(double(n) * o.validation_frac));
  }
  return models::make_dataset(std::move(raw), o.data);
}

std::optional<pe::Candidate> parse_pin(const std::string& pin) {
  if (pin == "none") return std::nullopt;
  try {
    return pe::parse_candidate(pin);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument("--pin-first-last " + pin + ": " + e.what() + " (or none)");
  }
}

void notify(const std::function<void(const std::string&)>& note, const std::string& text) {
  if (note) note(text);
}

// The float network of the start checkpoint, for distillation.
std::shared_ptr<models::Network> load_teacher(const PipelineOptions& o, const std::string& file,
                                              const models::ModelConfig& config) {
  auto teacher = models::make_model(o.model, config);
  models::load_checkpoint(file, *teacher, {o.model, config.input, config.classes, "float"});
  return teacher;
}

// The discrete network fine-tuned (with distillation from `teacher` when given), its batch
// norms re-estimated.
models::Evaluation finetune(const PipelineOptions& o, const models::Dataset& data, std::shared_ptr<models::Network> net,
                            std::shared_ptr<models::Network> teacher, const PipelineEvents& events) {
  models::TrainConfig ft;
  ft.epochs = std::max(1, o.finetune_epochs), ft.batch = o.config.batch, ft.lr = o.finetune_lr;
  ft.augment = o.config.augment, ft.seed = o.config.seed + 1, ft.channels_last = o.config.channels_last;
  ft.distill_weight = o.finetune_distill;
  models::Trainer trainer(net, data, ft);
  if (teacher && o.finetune_distill > 0) trainer.set_teacher(std::move(teacher));
  for (int epoch = 1; epoch <= o.finetune_epochs; ++epoch) {
    const models::EpochReport e = trainer.train_epoch(epoch);
    if (events.finetuned_epoch) events.finetuned_epoch(epoch, e);
  }
  // Eval mode normalizes with the running statistics: those of the final weights, not the
  // supernet's mixture (no fine-tuning) or a lagging average over the fine-tuning steps.
  recalibrate_batch_norm(*net, data.train, data.info, batch_norm_recalibration(o.config));
  return trainer.evaluate(data.test);
}

// What the export records of the search (the final one and the provisional ones alike).
ExportInfo export_info(const PipelineOptions& o, const std::string& dataset_name, const energy::Lut& lut,
                       const std::optional<pe::Candidate>& pin, double budget_pj) {
  ExportInfo info;
  info.tool_version = o.tool_version;
  info.model = o.model, info.dataset = dataset_name, info.seed = o.config.seed;
  info.mode = o.only ? "uniform" : o.mode;
  if (pin) info.pin_first_last = o.pin;
  info.lut = &lut, info.lut_file = o.lut_file, info.reference_images = o.reference_images;
  info.budget_uj = o.budget_uj ? *o.budget_uj : budget_pj * 1e-6;
  return info;
}

// Removes a scratch folder however the scope ends.
struct ScratchFolder {
  std::string path;
  ~ScratchFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
};

// The replay-measured fit (search/replay_fit.hpp). Each provisional export is the assignment's
// discrete network before fine-tuning, its batch norms re-estimated: fine-tuning changes
// values, not the counts the energy comes from (zero activations aside, where the array
// gates them). No reference images: only the energy is read.
std::vector<int> fit_by_replay(const PipelineOptions& o, const models::Dataset& data, const ExportInfo& info,
                               const std::vector<SuperMac>& layers, models::Network& supernet,
                               const std::vector<LayerPreference>& preferences, const std::vector<int>& chosen,
                               double minimum_pj, PipelineResult& r, const PipelineEvents& events) {
  const models::ModelConfig config{data.info.input, data.info.classes};
  const InputNormalization input{data.info.mean, data.info.stddev};
  ExportInfo provisional = info;
  provisional.reference_images = 1, provisional.accuracy = 0, provisional.test_images = 0;
  const ScratchFolder scratch{o.out + "/replay-fit"};
  const auto measure = [&](const std::vector<int>& a) {
    auto net = make_discrete_network(o.model, config, input, layers, a, supernet);
    recalibrate_batch_norm(*net, data.train, data.info, batch_norm_recalibration(o.config));
    std::filesystem::remove_all(scratch.path);
    std::filesystem::create_directories(scratch.path);
    export_network(*net, data, provisional, scratch.path);
    const ReplayedEnergy m = o.replay_energy(scratch.path);
    notify(events.note, "replayed a provisional export: " + uj(m.total_pj) + " uJ per inference (PE array " +
                            uj(m.array_pj) + " + post-processing " + uj(m.postproc_pj) + ") of the budget " +
                            uj(r.budget_pj) + " uJ; LUT energy " + uj(assignment_energy_pj(layers, a)) + " uJ");
    return m;
  };
  const ReplayFit fit =
      fit_to_replay(preferences, chosen, r.array_budget_pj, r.budget_pj, minimum_pj, measure, o.replay_fit);
  r.replayed = fit.measured, r.replay_rounds = fit.rounds, r.replay_within_budget = fit.within_budget;
  r.array_budget_pj = fit.array_budget_pj;
  if (!fit.within_budget)
    notify(events.note, "no network tried met the budget by replay: kept the cheapest replayed (" +
                            uj(fit.measured.total_pj) + " uJ); enos validate will say over budget");
  return fit.assignment;
}

}  // namespace

std::string resolve_init(const std::string& init, const std::string& zoo_dir, const std::string& model,
                         const std::string& dataset_name, const std::function<void(const std::string&)>& note) {
  if (init == "none") return "";
  if (init != "zoo") {
    if (!std::filesystem::exists(init)) throw std::invalid_argument("--init " + init + ": no such file (or zoo, none)");
    return init;
  }
  const models::Zoo zoo = models::load_zoo(zoo_dir);
  const models::ZooEntry* e = zoo.find(model, dataset_name);
  if (!e) {
    notify(note, "the model zoo (" + zoo_dir + ") has no " + model + " trained on " + dataset_name +
                     ": the search starts from random weights");
    return "";
  }
  return models::verified_checkpoint(zoo, *e);
}

PipelineResult run_pipeline(PipelineOptions o, const PipelineEvents& events) {
  o.config.mode = parse_search_mode(o.mode);
  const std::optional<pe::Candidate> pin = parse_pin(o.pin);
  if (o.finetune_epochs < 0) throw std::invalid_argument("--finetune-epochs must be ≥ 0");
  std::error_code error;
  std::filesystem::create_directories(o.out, error);
  if (error) throw std::invalid_argument(o.out + ": cannot create the output folder: " + error.message());

  const energy::Lut lut = energy::load_lut(o.lut_file);
  const models::Dataset data = load_data(o);
  const models::ModelConfig model_config{data.info.input, data.info.classes};
  const InputNormalization input{data.info.mean, data.info.stddev};
  SupernetConfig sc;
  sc.lut = &lut, sc.lut_file = o.lut_file, sc.pin_first_last = pin, sc.input = input, sc.int_only = o.int_only, sc.only = o.only;
  at::manual_seed(o.config.seed);
  const auto supernet = models::make_model(o.model, model_config, SupernetFactory(sc));
  const std::vector<SuperMac> layers = supernet_layers(*supernet, lut, o.lut_file);

  PipelineResult r;
  r.seed = o.config.seed;
  r.budget_pj = resolve_budget_pj(o.budget_uj, o.budget_frac, lut, o.lut_file);
  r.reference_pj = lut.total_energy_pj(pe::to_string(pe::reference_candidate()));
  if (!(o.postproc_reserve >= 0 && o.postproc_reserve < 1))
    throw std::invalid_argument("--postproc-reserve must be in [0, 1)");
  r.array_budget_pj = r.budget_pj * (1 - o.postproc_reserve);
  const double minimum = minimum_energy_pj(layers);
  if (minimum > r.array_budget_pj)
    throw UnreachableBudget("the budget " + uj(r.budget_pj) + " uJ is unreachable: the cheapest network this LUT allows" +
                                (pin ? " (first and last layers pinned to " + o.pin + ")" : std::string()) + " costs " +
                                uj(minimum) + " uJ per inference on the PE array, above the " + uj(r.array_budget_pj) +
                                " uJ the budget leaves it after the post-processing reserve");
  o.config.budget_pj = r.array_budget_pj;

  PipelineStart start{data.info.name, "", r.budget_pj, r.array_budget_pj, r.reference_pj, minimum,
                      data.train.size(), data.validation.size(), data.test.size(), lut.candidates, {}};
  r.init = start.init = resolve_init(o.init, o.zoo_dir, o.model, data.info.name, events.note);
  std::shared_ptr<models::Network> teacher;
  if (!r.init.empty()) {
    load_float_checkpoint(*supernet, r.init, {o.model, data.info.input, data.info.classes, "float"});
    o.calibration.batch_norm = batch_norm_recalibration(o.config);
    start.calibration = calibrate_supernet(*supernet, layers, data.train, data.info, o.calibration);
    teacher = load_teacher(o, r.init, model_config);
    if (o.config.channels_last) models::to_channels_last(*teacher);
    teacher->eval();
    r.start_accuracy = models::evaluate_network(*teacher, data.test, data.info, o.config.channels_last).accuracy;
  }
  if (events.started) events.started(start);

  Searcher searcher(supernet, layers, data, o.config);
  if (teacher && o.config.distill_weight > 0) searcher.set_teacher(teacher);
  const auto t0 = std::chrono::steady_clock::now();
  for (int epoch = 1; epoch <= o.config.epochs; ++epoch) {
    const SearchEpochReport e = searcher.train_epoch(epoch, [&](const SearchProgress& p) {
      if (events.progress) events.progress(epoch, p);
    });
    if (events.searched_epoch) events.searched_epoch(e, names(layers, e.assignment));
  }
  r.search_seconds = seconds_since(t0);

  // The argmax, fitted to the budget if it exceeds it (the budget is met, not merely
  // penalized), then upgraded where the budget left room.
  const std::vector<int> argmax = argmax_assignment(layers);
  std::vector<int> chosen = fit_budget(searcher.preferences(), r.array_budget_pj);
  r.fitted = chosen != argmax;
  if (r.fitted)
    notify(events.note, "the argmax network (" + uj(assignment_energy_pj(layers, argmax)) +
                            " uJ) exceeded the budget: fitted to it by moving the least-preferred layers to cheaper candidates");
  const double before = assignment_energy_pj(layers, chosen);
  chosen = spend_leftover(searcher.preferences(), chosen, r.array_budget_pj);
  r.energy_pj = assignment_energy_pj(layers, chosen);
  r.spent_pj = r.energy_pj - before;
  if (r.spent_pj > 0)
    notify(events.note, "spent " + uj(r.spent_pj) + " uJ of leftover budget on wider candidates (" + uj(before) + " -> " +
                            uj(r.energy_pj) + " uJ)");
  const ExportInfo info = export_info(o, data.info.name, lut, pin, r.budget_pj);
  if (o.replay_energy && !o.only) {
    chosen = fit_by_replay(o, data, info, layers, *supernet, searcher.preferences(), chosen, minimum, r, events);
    r.energy_pj = assignment_energy_pj(layers, chosen);
  }
  r.assignment = names(layers, chosen);

  auto discrete = make_discrete_network(o.model, model_config, input, layers, chosen, *supernet);
  const auto t1 = std::chrono::steady_clock::now();
  const models::Evaluation test = finetune(o, data, discrete, teacher, events);
  r.finetune_seconds = seconds_since(t1);
  r.accuracy = test.accuracy, r.test_images = test.count;
  if (o.holdout > 0) r.holdout_accuracy = models::evaluate_network(*discrete, data.validation, data.info, o.config.channels_last).accuracy;

  ExportInfo final_info = info;
  final_info.accuracy = test.accuracy, final_info.test_images = test.count;
  export_network(*discrete, data, final_info, o.out);
  return r;
}

}  // namespace enos::search
