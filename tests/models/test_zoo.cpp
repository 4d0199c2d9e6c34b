// The model zoo: the shipped manifest agrees with its files and every checkpoint whose dataset
// is on this machine reaches its target on a fixed slice of the test set; publishing a run,
// listing, evaluating, and refusing a damaged file (both hashes named), end to end.
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "models/checkpoint.hpp"
#include "models/file_hash.hpp"
#include "models/registry.hpp"
#include "models/trainer.hpp"
#include "models/workload_text.hpp"
#include "models/zoo.hpp"
#include "tests/tools/run_command.hpp"
#include "models_test_util.hpp"  // last: it includes Catch after LibTorch

using namespace enos;
using namespace enos::models;
using Catch::Contains;
namespace mt = enos::models::test;
namespace et = enos::test;

namespace {

const std::string kShippedZoo = ENOS_SOURCE_DIR "/zoo";

}  // namespace

TEST_CASE("the shipped zoo's manifest agrees with its checkpoints", "[models][zoo]") {
  const Zoo zoo = load_zoo(kShippedZoo);
  for (const ZooEntry& e : zoo.entries) {
    INFO(e.model << " on " << e.dataset);
    CHECK(sha256_of_file(zoo.path_of(e)) == e.sha256);
    const CheckpointIdentity id = read_checkpoint_identity(zoo.path_of(e));
    CHECK(id == CheckpointIdentity{e.model, parse_input_shape(e.input), e.classes, "float"});
    CHECK(e.test_images >= 10000);  // the full test set
    CHECK(e.test_accuracy >= e.target_accuracy);
    CHECK_THAT(e.command, Contains("enos train --model " + e.model));
  }
}

TEST_CASE("every shipped checkpoint whose dataset is here reaches its target on 2,000 test images",
          "[models][zoo]") {
  mt::single_thread();
  const Zoo zoo = load_zoo(kShippedZoo);
  for (const ZooEntry& e : zoo.entries) {
    const std::string dataset = mt::dataset_on_this_machine(e.dataset);
    if (dataset.empty()) {
      WARN("skipped " << e.model << " on " << e.dataset << ": dataset not on this machine (set ENOS_DATA_DIR)");
      continue;
    }
    DataOptions options;
    options.train_limit = 1, options.test_limit = 2000;
    const Dataset data = load_dataset(dataset, options);
    const auto net = make_model(e.model, {data.info.input, data.info.classes});
    load_checkpoint(verified_checkpoint(zoo, e), *net, {e.model, data.info.input, data.info.classes, "float"});
    to_channels_last(*net);
    net->eval();
    const Evaluation result = evaluate_network(*net, data.test, data.info, true);
    INFO(e.model << " on " << e.dataset << ": " << result.accuracy << " on 2,000 images, full set " << e.test_accuracy);
    // 2,000 images: a binomial standard error of about 0.6 points at 90 %; 2 points of slack.
    CHECK(result.accuracy >= e.target_accuracy - 0.02);
  }
}

TEST_CASE("enos models publishes a run, lists and evaluates it, and refuses a damaged file", "[models][zoo][e2e]") {
  mt::ScratchDir dir;
  write_idx_pair(dir.file("train-images-idx3-ubyte.gz"), dir.file("train-labels-idx1-ubyte.gz"),
                 mt::synthetic_images(64, 1, 28, 28, 10, 1), true);
  write_idx_pair(dir.file("t10k-images-idx3-ubyte.gz"), dir.file("t10k-labels-idx1-ubyte.gz"),
                 mt::synthetic_images(24, 1, 28, 28, 10, 2), true);
  const std::string data = "fashion-mnist:" + dir.path(), zoo = dir.file("zoo");
  et::CommandResult r = et::run_enos("train --model shufflenetv2_x0.5 --dataset " + data +
                                     " --epochs 1 --batch 32 --threads 1 --test-at end --out " + dir.file("run"));
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  r = et::run_enos("models --publish " + dir.file("run") + " --target 0.01 --zoo " + zoo);
  INFO(r.output);
  REQUIRE(r.exit_code == 0);

  r = et::run_enos("models --list --json --zoo " + zoo);
  REQUIRE(r.exit_code == 0);
  const nlohmann::json list = nlohmann::json::parse(r.output);
  REQUIRE(list.size() == 1);
  CHECK(list[0].at("model") == "shufflenetv2_x0.5");
  CHECK(list[0].at("dataset") == "fashion-mnist");
  CHECK(list[0].at("file") == "shufflenetv2_x0.5-fashion-mnist.pt");
  CHECK(list[0].at("test_images") == 24);

  r = et::run_enos("models --evaluate shufflenetv2_x0.5 --dataset " + data + " --json --threads 1 --zoo " + zoo);
  REQUIRE(r.exit_code == 0);
  const nlohmann::json evaluation = nlohmann::json::parse(r.output);
  CHECK(evaluation.at("images") == 24);
  CHECK(evaluation.at("accuracy").get<double>() == Approx(list[0].at("test_accuracy").get<double>()));
  CHECK(evaluation.at("sha256") == list[0].at("sha256"));

  const std::string file = zoo + "/shufflenetv2_x0.5-fashion-mnist.pt";
  std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
  f.seekg(5000);
  char byte = 0;
  f.read(&byte, 1);
  f.seekp(5000);
  byte = char(byte ^ 0x10);
  f.write(&byte, 1);
  f.close();
  r = et::run_enos("models --evaluate shufflenetv2_x0.5 --dataset " + data + " --threads 1 --zoo " + zoo);
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.output, Contains(file) && Contains(list[0].at("sha256").get<std::string>()) &&
                           Contains(sha256_of_file(file)));

  r = et::run_enos("models --evaluate squeezenet1_1 --dataset " + data + " --threads 1 --checkpoint " +
                   dir.file("run") + "/model.pt");
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.output, Contains("holds shufflenetv2_x0.5") && Contains("needs squeezenet1_1"));
  r = et::run_enos("models --evaluate squeezenet1_1 --dataset " + data + " --zoo " + zoo);
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.output, Contains("has no squeezenet1_1 trained on fashion-mnist"));
}
