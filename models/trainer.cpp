#include "models/trainer.hpp"

#include <chrono>
#include <cmath>
#include <stdexcept>

#include <ATen/CPUGeneratorImpl.h>
#include <torch/nn/functional/activation.h>
#include <torch/nn/functional/loss.h>
#include <torch/serialize.h>

#include "models/registry.hpp"
#include "spec/atomic_file.hpp"

namespace enos::models {
namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

Trainer::Trainer(std::shared_ptr<Network> net, const Dataset& data, const TrainConfig& config)
    : net_(std::move(net)), data_(data), config_(config) {
  if (config.epochs < 1) throw std::invalid_argument("--epochs must be ≥ 1");
  if (config.batch < 1) throw std::invalid_argument("--batch must be ≥ 1");
  if (!(config.lr > 0)) throw std::invalid_argument("--lr must be > 0");
  if (!(config.warmup_epochs >= 0 && config.warmup_epochs < config.epochs))
    throw std::invalid_argument("--warmup must be ≥ 0 and below --epochs");
  if (!(config.label_smoothing >= 0 && config.label_smoothing < 1))
    throw std::invalid_argument("--label-smoothing must be in [0, 1)");
  if (data.train.size() == 0) throw std::invalid_argument("no training examples");
  if (config.channels_last) to_channels_last(*net_);
  auto options = torch::optim::SGDOptions(config.lr)
                     .momentum(config.momentum)
                     .weight_decay(config.weight_decay)
                     .nesterov(config.nesterov && config.momentum > 0);
  if (config.decay_norm_and_bias) {
    optimizer_ = std::make_unique<torch::optim::SGD>(net_->parameters(), options);
    return;
  }
  // Two groups, weights (≥ 2-D) first: the order is fixed so a resumed optimizer state matches.
  std::vector<at::Tensor> weights, others;
  for (const at::Tensor& p : net_->parameters()) (p.dim() >= 2 ? weights : others).push_back(p);
  auto undecayed = std::make_unique<torch::optim::SGDOptions>(options);
  undecayed->weight_decay(0);
  optimizer_ = std::make_unique<torch::optim::SGD>(
      std::vector<torch::optim::OptimizerParamGroup>{
          torch::optim::OptimizerParamGroup(weights, std::make_unique<torch::optim::SGDOptions>(options)),
          torch::optim::OptimizerParamGroup(others, std::move(undecayed))},
      options);
}

int64_t Trainer::steps_per_epoch() const { return (data_.train.size() + config_.batch - 1) / config_.batch; }

double Trainer::lr_at(int64_t step) const {
  const double total = double(config_.epochs) * double(steps_per_epoch());
  const double warmup = std::min(config_.warmup_epochs * double(steps_per_epoch()), total - 1);
  const double s = std::min(double(step), total);
  if (s < warmup) return config_.lr * (s + 1) / warmup;
  return 0.5 * config_.lr * (1.0 + std::cos(M_PI * (s - warmup) / (total - warmup)));
}

void Trainer::set_teacher(std::shared_ptr<Network> teacher) {
  teacher_ = std::move(teacher);
  if (config_.channels_last) to_channels_last(*teacher_);
  teacher_->eval();
}

at::Tensor training_loss(const at::Tensor& logits, const at::Tensor& labels, const at::Tensor& teacher_logits,
                         double label_smoothing, double distill_weight, double temperature) {
  namespace F = torch::nn::functional;
  const at::Tensor ce = F::cross_entropy(logits, labels, F::CrossEntropyFuncOptions().label_smoothing(label_smoothing));
  if (!teacher_logits.defined() || distill_weight <= 0) return ce;
  const at::Tensor kl = F::kl_div(F::log_softmax(logits / temperature, F::LogSoftmaxFuncOptions(1)),
                                  F::softmax(teacher_logits.to(logits.scalar_type()) / temperature, F::SoftmaxFuncOptions(1)),
                                  F::KLDivFuncOptions().reduction(torch::kBatchMean));
  return (1 - distill_weight) * ce + distill_weight * temperature * temperature * kl;
}

double Trainer::step(const at::Tensor& images, const at::Tensor& labels, int64_t* correct) {
  net_->train();
  for (auto& group : optimizer_->param_groups()) group.options().set_lr(lr_at(step_));
  optimizer_->zero_grad();
  const at::Tensor logits = net_->forward(images);
  at::Tensor teacher_logits;
  if (teacher_) {
    torch::NoGradGuard no_grad;
    teacher_logits = teacher_->forward(images);
  }
  const at::Tensor loss = training_loss(logits, labels, teacher_logits, config_.label_smoothing, config_.distill_weight,
                                        config_.distill_temperature);
  loss.backward();
  optimizer_->step();
  ++step_;
  if (correct) *correct = logits.argmax(1).eq(labels).sum().item<int64_t>();
  return loss.item<double>();
}

EpochReport Trainer::train_epoch(int epoch, const std::function<void(const StepProgress&)>& progress,
                                 bool evaluate_test) {
  EpochReport r;
  r.epoch = epoch;
  const Preprocess prep = preprocess_for(data_.info, config_.augment, config_.channels_last);
  BatchStream batches(data_.train, config_.batch, prep, Rng(config_.seed, uint64_t(epoch)));
  const auto t0 = std::chrono::steady_clock::now();
  at::Tensor x, y;
  double loss_sum = 0;
  int64_t correct_sum = 0, seen = 0, i = 0;
  while (batches.next(x, y)) {
    int64_t correct = 0;
    loss_sum += step(x, y, &correct) * double(y.size(0));
    correct_sum += correct, seen += y.size(0);
    if (progress)
      progress({++i, batches.batches(), loss_sum / double(seen), double(correct_sum) / double(seen),
                double(seen) / seconds_since(t0)});
  }
  r.seconds = seconds_since(t0);
  r.images_per_second = double(seen) / r.seconds;
  r.lr = lr_at(step_ - 1);
  r.train = {loss_sum / double(seen), double(correct_sum) / double(seen), seen};
  r.validation = evaluate(data_.validation);
  if (evaluate_test) r.test = evaluate(data_.test);
  return r;
}

Evaluation Trainer::evaluate(const TensorSet& set) const {
  net_->eval();
  return evaluate_network(*net_, set, data_.info, config_.channels_last);
}

Evaluation evaluate_network(Network& net, const TensorSet& set, const datasets::DatasetInfo& info, bool channels_last) {
  Evaluation e;
  if (set.size() == 0) return e;
  torch::NoGradGuard no_grad;
  BatchStream batches(set, 500, preprocess_for(info, Augment::None, channels_last), std::nullopt);
  at::Tensor x, y;
  double loss_sum = 0;
  int64_t correct = 0, correct5 = 0;
  while (batches.next(x, y)) {
    const at::Tensor logits = net.forward(x);
    loss_sum += torch::nn::functional::cross_entropy(logits, y).item<double>() * double(y.size(0));
    correct += logits.argmax(1).eq(y).sum().item<int64_t>();
    if (logits.size(1) >= 5)
      correct5 += std::get<1>(logits.topk(5, 1)).eq(y.unsqueeze(1)).any(1).sum().item<int64_t>();
  }
  e.count = set.size();
  e.loss = loss_sum / double(e.count), e.accuracy = double(correct) / double(e.count);
  e.top5 = double(correct5) / double(e.count);
  return e;
}

void Trainer::save_state(const std::string& file, const CheckpointIdentity& id, const std::string& record) const {
  torch::serialize::OutputArchive archive, optimizer;
  write_identity(archive, id);
  write_tensors(archive, *net_);
  optimizer_->save(optimizer);
  archive.write("enos_optimizer", optimizer);
  archive.write("enos_step", c10::IValue(step_));
  archive.write("enos_record", c10::IValue(record));
  at::Generator generator = at::detail::getDefaultCPUGenerator();
  {
    std::lock_guard<std::mutex> lock(generator.mutex());
    archive.write("enos_rng", generator.get_state());
  }
  spec::TempTarget target(file);
  save_archive(archive, target.temp(), file);
  target.commit();
}

std::string Trainer::load_state(const std::string& file, const CheckpointIdentity& id) {
  torch::serialize::InputArchive archive, optimizer;
  open_archive(archive, file);
  check_identity(read_identity(archive, file), id, file);
  read_tensors(archive, *net_, file);
  c10::IValue step, record;
  at::Tensor rng;
  if (!archive.try_read("enos_optimizer", optimizer) || !archive.try_read("enos_step", step) || !step.isInt() ||
      !archive.try_read("enos_record", record) || !record.isString() || !archive.try_read("enos_rng", rng))
    throw std::invalid_argument(file + ": not a resumable training state (no optimizer, step, record or generator)");
  try {
    optimizer_->load(optimizer);
    at::Generator generator = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(generator.mutex());
    generator.set_state(rng);
  } catch (const c10::Error& e) {
    throw std::invalid_argument(file + ": damaged optimizer or generator state");
  }
  step_ = step.toInt();
  return record.toStringRef();
}

}  // namespace enos::models
