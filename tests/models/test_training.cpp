// Tensors, batches and splits of a dataset; one training step; determinism for a seed; the
// `enos train` and `enos models` commands end to end on small generated files.
#include <fstream>

#include <ATen/ATen.h>
#include <ATen/Context.h>

#include <nlohmann/json.hpp>

#include "models/registry.hpp"
#include "models/trainer.hpp"
#include "tests/tools/run_command.hpp"
#include "models_test_util.hpp"  // last: it includes Catch after LibTorch

using namespace enos;
using namespace enos::models;
using Catch::Contains;
namespace mt = enos::models::test;  // scratch folders, synthetic images
namespace et = enos::test;          // running the enos binary

namespace {

datasets::RawDataset small_fashion(int64_t train, int64_t test) {
  datasets::RawDataset raw{datasets::parse_dataset_ref("fashion-mnist").info, mt::synthetic_images(train, 1, 28, 28, 10, 1),
                 mt::synthetic_images(test, 1, 28, 28, 10, 2)};
  return raw;
}

datasets::RawDataset small_cifar(int64_t train) {
  return {datasets::parse_dataset_ref("cifar10:/unused").info, mt::synthetic_images(train, 3, 32, 32, 10, 1),
          mt::synthetic_images(8, 3, 32, 32, 10, 2)};
}

std::vector<at::Tensor> train_once(uint64_t seed, const Dataset& data) {
  at::manual_seed(seed);
  const auto net = make_model("shufflenetv2_x0.5", {data.info.input, 10});
  TrainConfig config;
  config.epochs = 1, config.batch = 16, config.seed = seed;
  Trainer trainer(net, data, config);
  trainer.train_epoch(1);
  return net->parameters();
}

}  // namespace

TEST_CASE("limits take the first examples, the validation split is seeded and disjoint", "[models][data]") {
  DataOptions o;
  o.train_limit = 50, o.test_limit = 5, o.validation = 10, o.seed = 3;
  const Dataset d = make_dataset(small_fashion(80, 20), o);
  CHECK(d.train.size() == 40);
  CHECK(d.validation.size() == 10);
  CHECK(d.test.size() == 5);
  CHECK(d.train.images.sizes() == at::IntArrayRef({40, 1, 28, 28}));
  // Together the two parts are the first 50 examples: each labelled i % 10, so 5 of each class.
  const at::Tensor counts = at::bincount(at::cat({d.train.labels, d.validation.labels}), {}, 10);
  CHECK(at::equal(counts, at::full({10}, 5, at::kLong)));
  const Dataset again = make_dataset(small_fashion(80, 20), o);
  CHECK(at::equal(d.validation.images, again.validation.images));
  o.seed = 4;
  CHECK_FALSE(at::equal(d.validation.images, make_dataset(small_fashion(80, 20), o).validation.images));
  o.validation = 50;
  CHECK_THROWS_WITH(make_dataset(small_fashion(80, 20), o), Contains("leaves no training examples"));
}

TEST_CASE("batches are normalized, seeded, augmented only when training", "[models][data]") {
  const Dataset d = make_dataset(small_cifar(20), {});
  const Preprocess plain = preprocess_for(d.info, Augment::None, true);
  BatchStream in_order(d.train, 8, plain, std::nullopt);
  CHECK(in_order.batches() == 3);
  at::Tensor x, y;
  REQUIRE(in_order.next(x, y));
  CHECK(x.is_contiguous(at::MemoryFormat::ChannelsLast));
  CHECK(at::equal(y, d.train.labels.narrow(0, 0, 8)));
  const at::Tensor expected = (d.train.images[0].to(at::kFloat) / 255.0 - 0.4914) / 0.2470;
  CHECK(at::allclose(x[0][0], expected[0], 1e-4, 1e-4));
  in_order.next(x, y);
  CHECK(in_order.next(x, y));
  CHECK(x.size(0) == 4);  // the last, partial batch
  CHECK_FALSE(in_order.next(x, y));

  const Preprocess augmented = preprocess_for(d.info, Augment::Standard, true);
  CHECK(augmented.crop_pad == 4);
  CHECK(augmented.flip);
  CHECK(preprocess_for(d.info, Augment::Flip, true).crop_pad == 0);
  CHECK(parse_augment("flip") == Augment::Flip);
  CHECK_THROWS_WITH(parse_augment("crop"), Contains("none, flip, standard or standard+cutout"));
  at::Tensor a, b, c, ya, yb;
  BatchStream(d.train, 20, augmented, Rng(5, 1)).next(a, ya);
  BatchStream(d.train, 20, augmented, Rng(5, 1)).next(b, yb);
  BatchStream(d.train, 20, augmented, Rng(5, 2)).next(c, yb);
  CHECK(a.sizes() == at::IntArrayRef({20, 3, 32, 32}));
  CHECK(at::equal(a, b));
  CHECK_FALSE(at::equal(a, c));
  CHECK_FALSE(at::equal(ya, d.train.labels));  // shuffled
}

TEST_CASE("one SGD step reduces the loss on a fixed batch", "[models][train]") {
  mt::single_thread();
  at::manual_seed(1);
  const Dataset d = make_dataset(small_cifar(32), {});
  for (const std::string name : {"shufflenetv2_x0.5", "squeezenet1_1", "shufflenetv1_g3"}) {
    INFO(name);
    const auto net = make_model(name, {d.info.input, 10});
    TrainConfig config;
    config.lr = 0.002, config.epochs = 10;  // ShuffleNet v1 overshoots on one batch from 0.02 up
    Trainer trainer(net, d, config);
    at::Tensor x, y;
    BatchStream(d.train, 32, preprocess_for(d.info, Augment::None, true), std::nullopt).next(x, y);
    // step() returns the loss before its update; SqueezeNet's dropout adds noise, so compare
    // the first step with the fourth.
    const double before = trainer.step(x, y);
    trainer.step(x, y), trainer.step(x, y);
    const double after = trainer.step(x, y);
    CHECK(after < before);
  }
}

TEST_CASE("cutout sets one square of half the side per image to the mean colour", "[models][data]") {
  const Dataset d = make_dataset(small_cifar(16), {});
  const Preprocess cut = preprocess_for(d.info, Augment::StandardCutout, true);
  CHECK(cut.cutout == 16);
  CHECK(cut.crop_pad == 4);
  CHECK(parse_augment("standard+cutout") == Augment::StandardCutout);
  CHECK(preprocess_for(d.info, Augment::Standard, true).cutout == 0);
  // Without crop and flip the only change is the square: 0 after normalization in every channel.
  Preprocess only_cut = cut;
  only_cut.crop_pad = 0, only_cut.flip = false;
  at::Tensor x, y, plain, y2;
  BatchStream(d.train, 16, only_cut, Rng(3, 1)).next(x, y);
  BatchStream(d.train, 16, preprocess_for(d.info, Augment::None, true), Rng(3, 1)).next(plain, y2);
  REQUIRE(at::equal(y, y2));  // the same order: cutout draws after the permutation
  for (int64_t i = 0; i < 16; ++i) {
    const at::Tensor changed = (x[i] != plain[i]).any(0);  // H×W
    const at::Tensor zero = (x[i].abs() < 1e-6).all(0);
    const int64_t n = changed.sum().item<int64_t>();
    INFO("image " << i << ": " << n << " pixels changed");
    CHECK(n <= 16 * 16);
    CHECK(n >= 8 * 8 / 2);  // a corner square keeps at least a quarter; random pixels may already equal the mean
    CHECK(((changed & ~zero).sum().item<int64_t>()) == 0);  // every changed pixel is the mean colour
  }
}

TEST_CASE("weight decay on weights only leaves batch norm and biases undecayed", "[models][train]") {
  mt::single_thread();
  const Dataset d = make_dataset(small_cifar(32), {});
  at::Tensor x, y;
  BatchStream(d.train, 32, preprocess_for(d.info, Augment::None, true), std::nullopt).next(x, y);
  // One step with a huge decay: lr·wd = 1 wipes out every decayed parameter's old value.
  auto batch_norm_scales_after_step = [&](bool decay_all) {
    at::manual_seed(3);
    const auto net = make_model("shufflenetv2_x0.5", {d.info.input, 10});
    TrainConfig c;
    c.lr = 0.1, c.weight_decay = 10, c.momentum = 0, c.decay_norm_and_bias = decay_all;
    Trainer trainer(net, d, c);
    trainer.step(x, y);
    return net->named_parameters()["conv1.0.bn.weight"].detach().abs().mean().item<double>();
  };
  CHECK(batch_norm_scales_after_step(true) < 0.1);   // from 1: decayed away
  CHECK(batch_norm_scales_after_step(false) > 0.5);  // only the gradient moved them
}

TEST_CASE("the learning rate warms up linearly, then follows a cosine to 0", "[models][train]") {
  const Dataset d = make_dataset(small_cifar(32), {});
  TrainConfig c;
  c.epochs = 4, c.batch = 16, c.lr = 0.2, c.warmup_epochs = 1;
  const auto net = make_model("shufflenetv2_x0.5", {d.info.input, 10});
  const Trainer warm(net, d, c);
  REQUIRE(warm.steps_per_epoch() == 2);
  CHECK(warm.lr_at(0) == Approx(0.1));
  CHECK(warm.lr_at(1) == Approx(0.2));
  CHECK(warm.lr_at(2) == Approx(0.2));  // the cosine starts at the peak
  CHECK(warm.lr_at(5) == Approx(0.1));  // halfway through the 6 cosine steps
  CHECK(warm.lr_at(8) == Approx(0).margin(1e-12));
  c.warmup_epochs = 0;
  CHECK(Trainer(net, d, c).lr_at(0) == Approx(0.2));
  c.warmup_epochs = 4;
  CHECK_THROWS_WITH(Trainer(net, d, c), Contains("--warmup"));
}

TEST_CASE("training is deterministic for a seed", "[models][train]") {
  mt::single_thread();
  const Dataset d = make_dataset(small_fashion(48, 8), {});
  const std::vector<at::Tensor> a = train_once(7, d), b = train_once(7, d), c = train_once(8, d);
  REQUIRE(a.size() == b.size());
  bool same = true, differs = false;
  for (std::size_t i = 0; i < a.size(); ++i) same = same && at::equal(a[i], b[i]), differs = differs || !at::equal(a[i], c[i]);
  CHECK(same);
  CHECK(differs);
}

TEST_CASE("enos train runs, logs every epoch and checkpoints", "[models][e2e]") {
  mt::ScratchDir dir;
  write_idx_pair(dir.file("train-images-idx3-ubyte.gz"), dir.file("train-labels-idx1-ubyte.gz"),
                 mt::synthetic_images(40, 1, 28, 28, 10, 1), true);
  write_idx_pair(dir.file("t10k-images-idx3-ubyte.gz"), dir.file("t10k-labels-idx1-ubyte.gz"),
                 mt::synthetic_images(20, 1, 28, 28, 10, 2), true);
  const std::string out = dir.file("run");
  const et::CommandResult r =
      et::run_enos("train --model shufflenetv2_x0.5 --dataset fashion-mnist:" + dir.path() +
                     " --epochs 2 --batch 16 --validation 8 --test-limit 10 --threads 1 --out " + out);
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.output, Contains("32 train, 8 validation, 10 test"));
  std::ifstream log(out + "/log.csv");
  std::string header, line;
  std::getline(log, header);
  CHECK(header == "epoch,lr,train_loss,train_acc,val_loss,val_acc,test_loss,test_acc,seconds,images_per_s");
  int epochs = 0;
  while (std::getline(log, line)) ++epochs;
  CHECK(epochs == 2);
  CHECK(std::ifstream(out + "/model.pt").good());
  CHECK(std::ifstream(out + "/checkpoint.pt").good());
  CHECK(std::ifstream(out + "/result.json").good());
  CHECK(std::ifstream(out + "/config.json").good());
}

TEST_CASE("enos train --op trains a fake-quantized network and records the pinning", "[models][e2e]") {
  mt::ScratchDir dir;
  write_idx_pair(dir.file("train-images-idx3-ubyte.gz"), dir.file("train-labels-idx1-ubyte.gz"),
                 mt::synthetic_images(32, 1, 28, 28, 10, 3), true);
  write_idx_pair(dir.file("t10k-images-idx3-ubyte.gz"), dir.file("t10k-labels-idx1-ubyte.gz"),
                 mt::synthetic_images(16, 1, 28, 28, 10, 4), true);
  const std::string out = dir.file("run");
  const et::CommandResult r =
      et::run_enos("train --model shufflenetv2_x0.5 --dataset fashion-mnist:" + dir.path() +
                   " --op bin:w1a4 --epochs 1 --batch 16 --threads 1 --out " + out);
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  std::ifstream config_file(out + "/config.json");
  const auto config = nlohmann::json::parse(config_file);
  CHECK(config.at("op") == "bin:w1a4");
  CHECK(config.at("pin_first_last") == "int:w8a8");  // the default: first and last layers stay 8-bit
}

TEST_CASE("enos train and enos models refuse bad input with exit code 2", "[models][e2e]") {
  auto r = et::run_enos("train --model shufflenetv2_x0.5 --dataset cifar10:/nonexistent --out /tmp/x");
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.output, Contains("/nonexistent/data_batch_1.bin: cannot open"));
  r = et::run_enos("train --model shufflenetv2_x0.5 --dataset fashion-mnist --op int:w99a8 --out /tmp/x");
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.output, Contains("--op int:w99a8"));
  r = et::run_enos("train --model lenet --dataset fashion-mnist --out /tmp/x --epochs 1 --train-limit 1");
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.output, Contains("unknown model 'lenet'"));
  r = et::run_enos("train --dataset fashion-mnist --out /tmp/x");
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.output, Contains("--model"));
  r = et::run_enos("models --export squeezenet1_1 --input 32x32");
  CHECK(r.exit_code == 2);
  r = et::run_enos("models --list --export squeezenet1_1");
  CHECK(r.exit_code == 2);
}

TEST_CASE("enos models lists every model and exports the shipped format", "[models][e2e]") {
  auto r = et::run_enos("models --list");
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.output, Contains("shufflenetv2_x0.5   32x32x3       352,042     10,902,016"));
  CHECK_THAT(r.output, Contains("squeezenet1_1       28x28x1"));
  mt::ScratchDir dir;
  r = et::run_enos("models --export shufflenetv2_x1.0 --input 28x28x1 --out " + dir.file("w.json"));
  REQUIRE(r.exit_code == 0);
  const spec::Workload w = spec::load_workload(dir.file("w.json"));
  CHECK(w.name == "shufflenetv2_x1.0_28x28x1");
  CHECK(spec::mac_count(w) == spec::mac_count(export_model("shufflenetv2_x1.0", {{1, 28, 28}, 10})));
}
