// Checkpoints: round trip, identity and shape checks, damaged files refused (never a crash);
// `enos train --resume` after SIGKILL equals an uninterrupted run; the refusals of --resume.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include <ATen/ATen.h>
#include <ATen/Context.h>

#include "models/checkpoint.hpp"
#include "datasets/image_set.hpp"
#include "models/registry.hpp"
#include "models/rng.hpp"
#include "tests/tools/run_command.hpp"
#include "models_test_util.hpp"  // last: it includes Catch after LibTorch

using namespace enos;
using namespace enos::models;
using Catch::Contains;
namespace mt = enos::models::test;
namespace et = enos::test;

namespace {

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

bool same_tensors(torch::nn::Module& a, torch::nn::Module& b) {
  const auto pa = a.named_parameters(true), pb = b.named_parameters(true);
  const auto ba = a.named_buffers(true), bb = b.named_buffers(true);
  if (pa.size() != pb.size() || ba.size() != bb.size()) return false;
  for (const auto& p : pa)
    if (!at::equal(p.value(), pb[p.key()])) return false;
  for (const auto& x : ba)
    if (!at::equal(x.value(), bb[x.key()])) return false;
  return true;
}

const CheckpointIdentity kFashion{"shufflenetv2_x0.5", {1, 28, 28}, 10, "float"};

// Small Fashion-MNIST-shaped files the enos command can train on.
void write_small_fashion(const mt::ScratchDir& dir) {
  write_idx_pair(dir.file("train-images-idx3-ubyte.gz"), dir.file("train-labels-idx1-ubyte.gz"),
                 mt::synthetic_images(96, 1, 28, 28, 10, 1), true);
  write_idx_pair(dir.file("t10k-images-idx3-ubyte.gz"), dir.file("t10k-labels-idx1-ubyte.gz"),
                 mt::synthetic_images(16, 1, 28, 28, 10, 2), true);
}

}  // namespace

TEST_CASE("a checkpoint restores every parameter and batch-norm statistic bit for bit", "[models][checkpoint]") {
  mt::single_thread();
  mt::ScratchDir dir;
  at::manual_seed(3);
  const auto a = make_model("shufflenetv2_x0.5", {{1, 28, 28}, 10});
  {  // batch-norm statistics that differ from their initial values
    a->train();
    torch::NoGradGuard no_grad;
    a->forward(at::randn({4, 1, 28, 28}));
  }
  save_checkpoint(dir.file("a.pt"), *a, kFashion);
  at::manual_seed(4);
  const auto b = make_model("shufflenetv2_x0.5", {{1, 28, 28}, 10});
  REQUIRE_FALSE(same_tensors(*a, *b));
  load_checkpoint(dir.file("a.pt"), *b, kFashion);
  CHECK(same_tensors(*a, *b));
  CHECK(read_checkpoint_identity(dir.file("a.pt")) == kFashion);
  CHECK_FALSE(std::filesystem::exists(dir.file("a.pt.tmp." + std::to_string(getpid()))));
}

TEST_CASE("a checkpoint of another model, input shape or class count is refused naming both", "[models][checkpoint]") {
  mt::single_thread();
  mt::ScratchDir dir;
  const auto fashion = make_model("shufflenetv2_x0.5", {{1, 28, 28}, 10});
  save_checkpoint(dir.file("f.pt"), *fashion, kFashion);
  const auto cifar = make_model("shufflenetv2_x0.5", {{3, 32, 32}, 10});
  CHECK_THROWS_WITH(load_checkpoint(dir.file("f.pt"), *cifar, {"shufflenetv2_x0.5", {3, 32, 32}, 10, "float"}),
                    Contains("holds shufflenetv2_x0.5 on 28x28x1 inputs, 10 classes, float") &&
                        Contains("needs shufflenetv2_x0.5 on 32x32x3 inputs, 10 classes, float"));
  const auto squeeze = make_model("squeezenet1_1", {{1, 28, 28}, 100});
  CHECK_THROWS_WITH(load_checkpoint(dir.file("f.pt"), *squeeze, {"squeezenet1_1", {1, 28, 28}, 100, "float"}),
                    Contains("needs squeezenet1_1 on 28x28x1 inputs, 100 classes"));
  // An identity that lies about its tensors: the shapes are still compared.
  save_checkpoint(dir.file("lie.pt"), *cifar, kFashion);
  CHECK_THROWS_WITH(load_checkpoint(dir.file("lie.pt"), *fashion, kFashion),
                    Contains("tensor 'conv1.0.conv.weight' is [24,3,3,3]") && Contains("the network's is [24,1,3,3]"));
}

TEST_CASE("damaged checkpoints are refused, never crash", "[models][checkpoint]") {
  mt::single_thread();
  mt::ScratchDir dir;
  const auto net = make_model("shufflenetv2_x0.5", {{1, 28, 28}, 10});
  save_checkpoint(dir.file("good.pt"), *net, kFashion);
  const std::string good = read_bytes(dir.file("good.pt"));
  REQUIRE(good.size() > 100000);
  Rng rng(11);
  int refused = 0, loaded = 0;
  std::vector<std::size_t> positions;
  for (std::size_t i = 0; i < 64; ++i) positions.push_back(i);                    // zip header
  for (std::size_t i = good.size() - 600; i < good.size(); i += 3) positions.push_back(i);  // central directory
  for (int i = 0; i < 64; ++i) positions.push_back(std::size_t(rng.below(good.size())));  // anywhere
  for (std::size_t pos : positions) {
    std::string bad = good;
    bad[pos] = char(bad[pos] ^ (1 << rng.below(8)));
    write_bytes(dir.file("bad.pt"), bad);
    const auto target = make_model("shufflenetv2_x0.5", {{1, 28, 28}, 10});
    try {
      load_checkpoint(dir.file("bad.pt"), *target, kFashion);
      // A flip in bytes no reader uses (zip timestamps, attributes, padding) is harmless, but
      // what loads must be exactly what was saved: the tensors carry their own sha256.
      CHECK(same_tensors(*target, *net));
      ++loaded;
    } catch (const std::invalid_argument& e) {
      CHECK_THAT(e.what(), Contains(dir.file("bad.pt")));
      ++refused;
    }
  }
  CHECK(refused > 0);
  CHECK(refused + loaded == int(positions.size()));
  for (std::size_t length : {std::size_t(0), std::size_t(10), good.size() / 2, good.size() - 1}) {
    write_bytes(dir.file("short.pt"), good.substr(0, length));
    const auto target = make_model("shufflenetv2_x0.5", {{1, 28, 28}, 10});
    CHECK_THROWS_AS(load_checkpoint(dir.file("short.pt"), *target, kFashion), std::invalid_argument);
  }
  const auto target = make_model("shufflenetv2_x0.5", {{1, 28, 28}, 10});
  CHECK_THROWS_WITH(load_checkpoint(dir.file("missing.pt"), *target, kFashion), Contains("missing.pt"));
}

TEST_CASE("enos train --resume after SIGKILL ends with the weights of an uninterrupted run", "[models][e2e][resume]") {
  mt::ScratchDir dir;
  write_small_fashion(dir);
  // SqueezeNet: its dropout draws from LibTorch's generator, which the checkpoint must restore;
  // --weight-decay-on weights: the optimizer's two parameter groups must come back in order.
  const std::string args = "train --model squeezenet1_1 --dataset fashion-mnist:" + dir.path() +
                           " --epochs 4 --batch 16 --lr 0.05 --seed 9 --threads 1 --test-limit 8 --weight-decay-on weights";
  const et::CommandResult whole = et::run_enos(args + " --out " + dir.file("whole"));
  INFO(whole.output);
  REQUIRE(whole.exit_code == 0);

  const std::string killed = dir.file("killed");
  const pid_t child = fork();
  if (child == 0) {
    const std::string cmd = std::string(ENOS_BINARY) + " " + args + " --out " + killed + " > /dev/null 2>&1";
    execl("/bin/sh", "sh", "-c", ("exec " + cmd).c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (!std::filesystem::exists(killed + "/checkpoint.pt") && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // somewhere inside a later epoch, or writing
  kill(child, SIGKILL);
  waitpid(child, nullptr, 0);
  REQUIRE(std::filesystem::exists(killed + "/checkpoint.pt"));
  const et::CommandResult resumed = et::run_enos("train --resume " + killed);
  INFO(resumed.output);
  REQUIRE(resumed.exit_code == 0);
  CHECK(read_bytes(killed + "/model.pt") == read_bytes(dir.file("whole") + "/model.pt"));
  std::ifstream log(killed + "/log.csv");
  int lines = 0;
  for (std::string line; std::getline(log, line);) ++lines;
  CHECK(lines == 5);  // header + 4 epochs, none twice
}

TEST_CASE("enos train refuses to mix --resume with options and to overwrite a run", "[models][e2e][resume]") {
  mt::ScratchDir dir;
  write_small_fashion(dir);
  const std::string out = dir.file("run");
  const std::string args = "train --model shufflenetv2_x0.5 --dataset fashion-mnist:" + dir.path() +
                           " --epochs 1 --batch 32 --threads 1 --test-limit 8 --out " + out;
  REQUIRE(et::run_enos(args).exit_code == 0);
  et::CommandResult r = et::run_enos(args);
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.output, Contains("holds a training run already") && Contains("--resume " + out));
  r = et::run_enos("train --resume " + out + " --epochs 9");
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.output, Contains("--epochs cannot be given with it"));
  r = et::run_enos("train --resume " + dir.file("nothing"));
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.output, Contains(dir.file("nothing") + "/config.json"));
  r = et::run_enos("train --resume " + out);  // a finished run: nothing left to do
  CHECK(r.exit_code == 0);
}
