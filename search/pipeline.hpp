#pragma once
// The whole search of one network (docs/search.md): warm start from a trained checkpoint and
// calibration of the quantizers, supernet search under the budget, the argmax fitted to the
// budget, fine-tuning of the discrete network with distillation, batch-norm re-estimation, test
// accuracy, export (docs/export-format.md). No printing: the caller hears of each stage through
// PipelineEvents (`enos search` prints and logs, `enos compare` tabulates).
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "models/data.hpp"
#include "models/trainer.hpp"
#include "pe/candidate.hpp"
#include "search/replay_fit.hpp"
#include "search/searcher.hpp"
#include "search/warm_start.hpp"

namespace enos::search {

struct PipelineOptions {
  std::string tool_version = "unknown";  // written into the export
  std::string lut_file, model, dataset, out, pin = pe::to_string(pe::reference_candidate()), mode = "single";
  std::optional<double> budget_uj, budget_frac;
  SearchConfig config;
  models::DataOptions data;
  int finetune_epochs = 2;
  double finetune_lr = 0.01;
  double finetune_distill = 0.5;    // distillation weight of the fine-tuning (0: off; needs a start checkpoint)
  double validation_frac = 0.5;     // bilevel: the share of the training split α learns on
  // Training images held out (seeded choice) and evaluated with the final network, for choosing
  // recipes without looking at the test set; not with bilevel, whose α uses the validation split.
  int64_t holdout = 0;
  bool int_only = false;            // the EdMIPS-like baseline: int:* candidates only
  std::optional<std::string> only;  // a uni-operator baseline: every hidden layer runs this candidate
  int reference_images = 256;
  // The share of the budget left for what the LUT does not price: the post-processing unit
  // (requantization, pools, concat rescales; ~7-8 % of a ShuffleNetV2 budget at 0.5-0.6),
  // which `enos validate` replays and counts. The PE array gets the rest.
  double postproc_reserve = 0.1;
  // Set: the chosen network is fitted to the whole budget by replaying provisional exports
  // (search/replay_fit.hpp); the reserve above is then only where the search's E(α) aims.
  // Given an export folder, returns what the replay counts. Unset: the LUT and the reserve
  // alone decide. Not used for uni-operator baselines (nothing to fit).
  std::function<ReplayedEnergy(const std::string& export_dir)> replay_energy;
  ReplayFitOptions replay_fit;
  // Where the search starts: "zoo" (the zoo's checkpoint for the model and dataset, random
  // weights when it has none), "none" (random weights), or a checkpoint file.
  std::string init = "zoo";
  std::string zoo_dir;
  CalibrationConfig calibration;
};

// What the pipeline tells its caller as it goes.
struct PipelineStart {
  std::string dataset_name, init;  // init: the checkpoint used ("" for random weights)
  double budget_pj = 0, array_budget_pj = 0, reference_pj = 0, minimum_pj = 0;
  int64_t train = 0, validation = 0, test = 0;
  std::vector<std::string> candidates;  // the LUT's, in its order
  std::vector<std::string> calibration;  // "layer aN clip" lines
};
struct PipelineEvents {
  std::function<void(const PipelineStart&)> started;
  std::function<void(int epoch, const SearchProgress&)> progress;
  std::function<void(const SearchEpochReport&, const std::vector<std::string>& assignment)> searched_epoch;
  std::function<void(const std::string&)> note;
  std::function<void(int epoch, const models::EpochReport&)> finetuned_epoch;
};

struct PipelineResult {
  std::vector<std::string> assignment;  // candidate per LUT layer
  double energy_pj = 0, budget_pj = 0, reference_pj = 0;  // reference: all-int:w8a8
  double array_budget_pj = 0;   // budget_pj less the post-processing reserve: what the LUT energy may reach
  double accuracy = 0;          // test accuracy after fine-tuning (fake-quantized)
  int64_t test_images = 0;
  double holdout_accuracy = 0;  // on the held-out training images (PipelineOptions::holdout)
  double search_seconds = 0, finetune_seconds = 0;
  bool fitted = false;          // the argmax exceeded the budget and was fitted to it
  double spent_pj = 0;          // leftover budget spent by spend_leftover (0: none)
  // With PipelineOptions::replay_energy: the replay of the chosen network before fine-tuning,
  // the replays made, and whether it met the budget.
  ReplayedEnergy replayed;
  int replay_rounds = 0;
  bool replay_within_budget = false;
  std::string init;             // the start checkpoint ("" for random weights)
  uint64_t seed = 0;
  double start_accuracy = -1;   // the start checkpoint's own (float) test accuracy; -1 without one
};

// Throws std::invalid_argument / spec::SpecError for bad input (exit 2 through guarded()).
PipelineResult run_pipeline(PipelineOptions o, const PipelineEvents& events = {});

// The start checkpoint `init` names for a model and dataset: "" for none (random weights).
// "zoo" without an entry is "", with a note through `note`.
std::string resolve_init(const std::string& init, const std::string& zoo_dir, const std::string& model,
                         const std::string& dataset_name, const std::function<void(const std::string&)>& note);

}  // namespace enos::search
