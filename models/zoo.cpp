#include "models/zoo.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "models/file_hash.hpp"
#include "spec/atomic_file.hpp"
#include "spec/json_reader.hpp"
#include "spec/workload_files.hpp"

namespace enos::models {
namespace {

constexpr const char* kFormat = "enos-zoo/1";

// What a manifest entry and a training run's result.json both say of the run.
void read_training_fields(const spec::JsonNode& n, ZooEntry& e) {
  e.model = n.at("model").as_string();
  e.dataset = n.at("dataset").as_string();
  e.input = n.at("input").as_string();
  e.classes = int(n.at("classes").as_int(spec::kMinClasses, spec::kMaxClasses));
  e.command = n.at("command").as_string();
  e.seed = uint64_t(n.at("seed").as_int(0, INT64_MAX));
  e.epochs = int(n.at("epochs").as_int(1, 1 << 20));
  e.train_seconds = n.at("train_seconds").as_number(0, 1e12);
  e.wall_seconds = n.at("wall_seconds").as_number(0, 1e12);
  const spec::JsonNode threads = n.at("threads");
  for (std::size_t i = 0; i < threads.size(); ++i) e.threads.push_back(int(threads.at(i).as_int(1, 4096)));
  e.test_accuracy = n.at("test_accuracy").as_number(0, 1);
  e.test_top5 = n.at("test_top5").as_number(0, 1);
  e.test_images = n.at("test_images").as_int(1, INT64_MAX);
  e.tool_version = n.at("tool_version").as_string();
}

ZooEntry entry_from(const spec::JsonNode& n) {
  n.reject_unknown_keys({"model", "dataset", "input", "classes", "file", "sha256", "command", "seed", "epochs",
                         "train_seconds", "wall_seconds", "threads", "test_accuracy", "test_top5", "test_images",
                         "target_accuracy", "tool_version"});
  ZooEntry e;
  read_training_fields(n, e);
  e.file = n.at("file").as_string();
  if (e.file.empty() || e.file.find('/') != std::string::npos) n.at("file").fail("must be a file name in the zoo folder");
  e.sha256 = n.at("sha256").as_string();
  if (e.sha256.size() != 64) n.at("sha256").fail("must be 64 hex digits");
  e.target_accuracy = n.at("target_accuracy").as_number(0, 1);
  return e;
}

nlohmann::json manifest_json(const std::vector<ZooEntry>& entries) {
  nlohmann::json list = nlohmann::json::array();
  for (const ZooEntry& e : entries) list.push_back(to_json(e));
  return {{"format", kFormat}, {"models", list}};
}

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::invalid_argument(path + ": cannot open (missing file?)");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

const ZooEntry* Zoo::find(const std::string& model, const std::string& dataset) const {
  for (const ZooEntry& e : entries)
    if (e.model == model && e.dataset == dataset) return &e;
  return nullptr;
}

Zoo load_zoo(const std::string& dir) {
  Zoo zoo{dir, {}};
  const std::string file = dir + "/manifest.json";
  if (!std::filesystem::exists(file)) return zoo;
  const nlohmann::json j = spec::load_json_file(file, "zoo");
  const spec::JsonNode root(j, file, "zoo");
  root.reject_unknown_keys({"format", "models"});
  if (root.at("format").as_string() != kFormat) root.at("format").fail(std::string("must be \"") + kFormat + "\"");
  const spec::JsonNode list = root.at("models");
  for (std::size_t i = 0; i < list.size(); ++i) {
    ZooEntry e = entry_from(list.at(i));
    if (zoo.find(e.model, e.dataset)) list.at(i).fail("a second entry for " + e.model + " on " + e.dataset);
    zoo.entries.push_back(std::move(e));
  }
  return zoo;
}

nlohmann::json to_json(const ZooEntry& e) {
  return {{"model", e.model}, {"dataset", e.dataset}, {"input", e.input}, {"classes", e.classes},
          {"file", e.file}, {"sha256", e.sha256}, {"command", e.command}, {"seed", e.seed},
          {"epochs", e.epochs}, {"train_seconds", e.train_seconds}, {"wall_seconds", e.wall_seconds},
          {"threads", e.threads}, {"test_accuracy", e.test_accuracy}, {"test_top5", e.test_top5},
          {"test_images", e.test_images}, {"target_accuracy", e.target_accuracy}, {"tool_version", e.tool_version}};
}

std::string verified_checkpoint(const Zoo& zoo, const ZooEntry& e) {
  const std::string path = zoo.path_of(e);
  const std::string actual = sha256_of_file(path);
  if (actual != e.sha256)
    throw std::invalid_argument(path + ": sha256 " + actual + " differs from the manifest's " + e.sha256 +
                                " (damaged or replaced file; " + zoo.dir + "/manifest.json)");
  return path;
}

ZooEntry publish_run(const std::string& zoo_dir, const std::string& run_dir, double target) {
  const std::string result_file = run_dir + "/result.json";
  const nlohmann::json r = spec::load_json_file(result_file, "result");
  const spec::JsonNode n(r, result_file, "result");
  ZooEntry e;
  if (n.at("op").as_string() != "float") n.at("op").fail("the zoo holds float networks");
  read_training_fields(n, e);
  e.target_accuracy = target;
  e.file = e.model + "-" + e.dataset + ".pt";
  const std::string source = run_dir + "/" + n.at("checkpoint").as_string();
  std::filesystem::create_directories(zoo_dir);
  spec::write_file_atomically(zoo_dir + "/" + e.file, read_all(source));
  e.sha256 = sha256_of_file(zoo_dir + "/" + e.file);
  Zoo zoo = load_zoo(zoo_dir);
  std::vector<ZooEntry> entries;
  for (const ZooEntry& old : zoo.entries)
    if (!(old.model == e.model && old.dataset == e.dataset)) entries.push_back(old);
  entries.push_back(e);
  spec::write_file_atomically(zoo_dir + "/manifest.json", manifest_json(entries).dump(2) + "\n");
  return e;
}

}  // namespace enos::models
