#include "tools/torch/train_record.hpp"

#include <sstream>

#include "spec/atomic_file.hpp"
#include "spec/json_reader.hpp"

namespace enos::tools {
namespace {

nlohmann::json evaluation_json(const models::Evaluation& e) {
  return {{"loss", e.loss}, {"accuracy", e.accuracy}, {"top5", e.top5}, {"count", e.count}};
}

models::Evaluation evaluation_from(const nlohmann::json& j) {
  return {j.at("loss").get<double>(), j.at("accuracy").get<double>(), j.at("count").get<int64_t>(),
          j.at("top5").get<double>()};
}

// Full precision: the log is made again from these numbers at every resume.
std::string number(double v) {
  std::ostringstream s;
  s.precision(17);
  s << v;
  return s.str();
}

std::string csv_pair(const models::Evaluation& e) {
  return e.count == 0 ? "," : number(e.loss) + "," + number(e.accuracy);
}

}  // namespace

nlohmann::json options_to_json(const TrainOptions& o, int threads, int64_t parameters, const models::Dataset& data) {
  const models::TrainConfig& c = o.config;
  return {{"command", o.command}, {"tool_version", ENOS_VERSION}, {"model", o.model}, {"dataset", o.dataset},
          {"op", o.op}, {"pin_first_last", o.op == "float" ? "none" : o.pin}, {"epochs", c.epochs},
          {"batch", c.batch}, {"lr", c.lr}, {"warmup_epochs", c.warmup_epochs}, {"momentum", c.momentum},
          {"weight_decay", c.weight_decay}, {"weight_decay_on", o.weight_decay_on},
          {"label_smoothing", c.label_smoothing}, {"seed", c.seed},
          {"augment", o.augment}, {"memory_format", o.memory_format}, {"threads", threads},
          {"train_limit", o.data.train_limit}, {"test_limit", o.data.test_limit},
          {"validation", o.data.validation}, {"test_at", o.test_at}, {"lut", o.lut},
          {"parameters", parameters}, {"train_examples", data.train.size()},
          {"validation_examples", data.validation.size()}, {"test_examples", data.test.size()}};
}

TrainOptions options_from_json(const std::string& file) {
  const nlohmann::json j = spec::load_json_file(file, "config");
  const spec::JsonNode n(j, file, "config");
  TrainOptions o;
  o.command = n.at("command").as_string();
  o.model = n.at("model").as_string();
  o.dataset = n.at("dataset").as_string();
  o.op = n.at("op").as_string();
  o.pin = n.at("pin_first_last").as_string();
  if (o.op == "float") o.pin = pe::to_string(pe::reference_candidate());  // unused for float; the option's default
  o.config.epochs = int(n.at("epochs").as_int(1, 1 << 20));
  o.config.batch = n.at("batch").as_int(1, 1 << 20);
  o.config.lr = n.at("lr").as_number(0, 1e9);
  o.config.warmup_epochs = n.at("warmup_epochs").as_number(0, 1e9);
  o.config.momentum = n.at("momentum").as_number(0, 1);
  o.config.weight_decay = n.at("weight_decay").as_number(0, 1e9);
  // Runs started before the option existed decayed everything.
  o.weight_decay_on = n.has("weight_decay_on") ? n.at("weight_decay_on").as_enum({"all", "weights"}) : "all";
  o.config.decay_norm_and_bias = o.weight_decay_on == "all";
  o.config.label_smoothing = n.at("label_smoothing").as_number(0, 1);
  o.config.seed = uint64_t(n.at("seed").as_int(0, INT64_MAX));
  o.augment = n.at("augment").as_string();
  o.memory_format = n.at("memory_format").as_string();
  o.threads = int(n.at("threads").as_int(0, 4096));
  o.data.train_limit = n.at("train_limit").as_int(0, INT64_MAX);
  o.data.test_limit = n.at("test_limit").as_int(0, INT64_MAX);
  o.data.validation = n.at("validation").as_int(0, INT64_MAX);
  o.test_at = n.at("test_at").as_enum({"every-epoch", "end"});
  o.lut = n.at("lut").as_string();
  return o;
}

std::string record_to_text(const TrainRecord& r) {
  nlohmann::json history = nlohmann::json::array();
  for (const models::EpochReport& e : r.history)
    history.push_back({{"epoch", e.epoch}, {"lr", e.lr}, {"train", evaluation_json(e.train)},
                       {"validation", evaluation_json(e.validation)}, {"test", evaluation_json(e.test)},
                       {"seconds", e.seconds}, {"images_per_second", e.images_per_second}});
  return nlohmann::json{{"history", history}, {"train_seconds", r.train_seconds}, {"wall_seconds", r.wall_seconds},
                        {"session_threads", r.session_threads}, {"final_test", evaluation_json(r.final_test)}}
      .dump();
}

TrainRecord record_from_text(const std::string& text, const std::string& file) {
  TrainRecord r;
  try {
    const nlohmann::json j = nlohmann::json::parse(text);
    for (const nlohmann::json& e : j.at("history")) {
      models::EpochReport report;
      report.epoch = e.at("epoch").get<int>();
      report.lr = e.at("lr").get<double>();
      report.train = evaluation_from(e.at("train"));
      report.validation = evaluation_from(e.at("validation"));
      report.test = evaluation_from(e.at("test"));
      report.seconds = e.at("seconds").get<double>();
      report.images_per_second = e.at("images_per_second").get<double>();
      r.history.push_back(report);
    }
    r.train_seconds = j.at("train_seconds").get<double>();
    r.wall_seconds = j.at("wall_seconds").get<double>();
    r.session_threads = j.at("session_threads").get<std::vector<int>>();
    r.final_test = evaluation_from(j.at("final_test"));
  } catch (const nlohmann::json::exception& e) {
    throw std::invalid_argument(file + ": damaged training record (" + e.what() + ")");
  }
  return r;
}

void write_log(const std::string& path, const TrainRecord& r) {
  std::string text = "epoch,lr,train_loss,train_acc,val_loss,val_acc,test_loss,test_acc,seconds,images_per_s\n";
  for (const models::EpochReport& e : r.history)
    text += std::to_string(e.epoch) + "," + number(e.lr) + "," + csv_pair(e.train) + "," + csv_pair(e.validation) +
            "," + csv_pair(e.test) + "," + number(e.seconds) + "," + number(e.images_per_second) + "\n";
  spec::write_file_atomically(path, text);
}

}  // namespace enos::tools
