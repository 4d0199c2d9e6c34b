#pragma once
// The model zoo: trained float checkpoints shipped in the repository (zoo/), one manifest
// (zoo/manifest.json, docs/models.md) saying for each what it is, how it was made and how
// accurate it is, and the sha256 that pins its file. This is the one home of the manifest's
// format: reading, checking, and adding a finished `enos train` run.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace enos::models {

struct ZooEntry {
  std::string model, dataset, input;  // "shufflenetv2_x0.5", "fashion-mnist", "28x28x1"
  int classes = 10;
  std::string file, sha256;           // file relative to the zoo folder
  std::string command;                // the exact `enos train` command that made it
  uint64_t seed = 1;
  int epochs = 0;
  double train_seconds = 0, wall_seconds = 0;
  std::vector<int> threads;           // per training session (a resume starts one)
  double test_accuracy = 0, test_top5 = 0;  // on the full test set, fractions
  int64_t test_images = 0;
  double target_accuracy = 0;         // what the entry must reach (the zoo test checks it)
  std::string tool_version;
};

struct Zoo {
  std::string dir;
  std::vector<ZooEntry> entries;
  const ZooEntry* find(const std::string& model, const std::string& dataset) const;  // null when absent
  std::string path_of(const ZooEntry& e) const { return dir + "/" + e.file; }
};

// Reads dir/manifest.json strictly (spec::SpecError naming the file and the JSON path). A folder
// without a manifest is an empty zoo.
Zoo load_zoo(const std::string& dir);
nlohmann::json to_json(const ZooEntry& e);

// The entry's file, after checking its sha256 against the manifest: std::invalid_argument
// naming the file, the expected and the actual hash when they differ.
std::string verified_checkpoint(const Zoo& zoo, const ZooEntry& e);

// Adds (or replaces) the entry of a finished `enos train` run: copies run_dir/model.pt to
// <zoo>/<model>-<dataset>.pt and rewrites the manifest (both atomically). `result` is
// run_dir/result.json's content; `target` the accuracy the entry must keep.
ZooEntry publish_run(const std::string& zoo_dir, const std::string& run_dir, double target);

}  // namespace enos::models
