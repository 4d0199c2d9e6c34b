#pragma once
// What `enos train` keeps about a run besides the weights: its options (config.json, from
// which --resume rebuilds the run), its history (inside the checkpoint, so the log can never
// disagree with the weights), log.csv made from that history, and result.json at the end
// (what the model zoo's manifest takes).
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/trainer.hpp"
#include "pe/candidate.hpp"

namespace enos::tools {

struct TrainOptions {
  std::string model, dataset, op = "float", pin = pe::to_string(pe::reference_candidate()), out, memory_format = "channels_last",
                                 augment = "standard", lut, test_at = "every-epoch", weight_decay_on = "all";
  models::TrainConfig config;
  models::DataOptions data;
  int threads = 0;
  std::string command;  // the command line that started the run, for the manifest
};

// config.json ↔ options. Reading names the file and key of anything missing or wrong.
nlohmann::json options_to_json(const TrainOptions& o, int threads, int64_t parameters, const models::Dataset& data);
TrainOptions options_from_json(const std::string& file);

struct TrainRecord {
  std::vector<models::EpochReport> history;  // one per finished epoch
  double train_seconds = 0;                 // of the training steps, summed over every session of the run
  double wall_seconds = 0;                  // of the epochs (training, evaluation, checkpoints), likewise
  std::vector<int> session_threads;         // threads of each session (a resume starts one)
  models::Evaluation final_test;            // with --test-at end, after the last epoch
};
std::string record_to_text(const TrainRecord& r);
TrainRecord record_from_text(const std::string& text, const std::string& file);

// log.csv: the header and one row per epoch of the history (written atomically).
void write_log(const std::string& path, const TrainRecord& r);

}  // namespace enos::tools
