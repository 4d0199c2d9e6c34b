#include "search/searcher.hpp"

#include <chrono>
#include <map>
#include <cmath>
#include <stdexcept>

#include <torch/nn/functional/loss.h>

#include "search/enum_names.hpp"

namespace enos::search {
namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Cycles through a (non-empty) set's batches without end: bilevel's α steps read the
// validation split at the pace of the training batches, whatever their sizes.
class EndlessBatches {
 public:
  EndlessBatches(const models::TensorSet& set, int64_t batch, const models::Preprocess& prep, uint64_t seed,
                 uint64_t stream)
      : set_(set), batch_(batch), prep_(prep), seed_(seed), stream_(stream) {}
  void next(at::Tensor& x, at::Tensor& y) {
    if (!stream_batches_ || !stream_batches_->next(x, y)) {
      stream_batches_.emplace(set_, batch_, prep_, models::Rng(seed_, stream_ * 1000 + uint64_t(++round_)));
      stream_batches_->next(x, y);
    }
  }

 private:
  const models::TensorSet& set_;
  int64_t batch_;
  models::Preprocess prep_;
  uint64_t seed_, stream_;
  int round_ = 0;
  std::optional<models::BatchStream> stream_batches_;
};

}  // namespace

namespace {

const EnumNames<SearchMode>& search_mode_names() {
  static const EnumNames<SearchMode> names{{SearchMode::Single, "single"},
                                           {SearchMode::Bilevel, "bilevel"},
                                           {SearchMode::Sequential, "sequential"},
                                           {SearchMode::Stochastic, "stochastic"}};
  return names;
}

}  // namespace

SearchMode parse_search_mode(const std::string& text) { return parse_enum_name(text, search_mode_names(), "--mode"); }

std::string to_string(SearchMode m) { return enum_name(m, search_mode_names()); }

Searcher::Searcher(std::shared_ptr<models::Network> net, std::vector<SuperMac> layers, const models::Dataset& data,
                   const SearchConfig& config)
    : net_(std::move(net)),
      layers_(std::move(layers)),
      data_(data),
      config_(config),
      dual_(config.budget_pj * (1 - config.budget_margin), config.dual_rate) {
  if (config.epochs < 1) throw std::invalid_argument("--epochs must be ≥ 1");
  if (config.batch < 1) throw std::invalid_argument("--batch must be ≥ 1");
  if (!(config.budget_pj > 0)) throw std::invalid_argument("the energy budget must be > 0");
  if (data.train.size() == 0) throw std::invalid_argument("no training examples");
  rule_ = make_search_mode_rule(config.mode, config, int64_t(config.epochs) * steps_per_epoch());
  if (rule_->alpha_on_validation() && data.validation.size() == 0)
    throw std::invalid_argument("--mode " + to_string(config.mode) + " needs a validation split");
  if (config.channels_last) models::to_channels_last(*net_);
  std::vector<torch::Tensor> weights;
  for (const auto& p : net_->named_parameters())
    if (p.key().size() < 6 || p.key().substr(p.key().size() - 6) != ".alpha") weights.push_back(p.value());
  weights_ = std::make_unique<torch::optim::SGD>(
      weights, torch::optim::SGDOptions(config.lr).momentum(config.momentum).weight_decay(config.weight_decay).nesterov(true));
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    if (!layers_[i]->searchable()) continue;
    searchable_.push_back(int(i));
    alphas_.push_back(std::make_unique<torch::optim::Adam>(
        std::vector<torch::Tensor>{layers_[i]->alpha},
        torch::optim::AdamOptions(config.alpha_lr).betas({0.5, 0.999})));
  }
}

int64_t Searcher::steps_per_epoch() const { return (data_.train.size() + config_.batch - 1) / config_.batch; }

double Searcher::lr_at(int64_t step) const {
  const double total = double(config_.epochs) * double(steps_per_epoch());
  return 0.5 * config_.lr * (1.0 + std::cos(M_PI * std::min(double(step), total) / total));
}

std::vector<LayerPreference> Searcher::preferences() const {
  std::vector<LayerPreference> p;
  for (const SuperMac& l : layers_) {
    LayerPreference lp;
    for (const LayerChoice& c : l->choices()) lp.energy_pj.push_back(c.energy_pj), lp.candidates.push_back(c.candidate);
    const torch::Tensor a = l->alpha.detach().to(torch::kDouble).contiguous();
    lp.logits.assign(a.data_ptr<double>(), a.data_ptr<double>() + a.numel());
    p.push_back(std::move(lp));
  }
  return p;
}

bool Searcher::warming_up(int64_t step) const {
  return double(step) < config_.alpha_warmup * double(config_.epochs) * double(steps_per_epoch());
}

void Searcher::set_teacher(std::shared_ptr<models::Network> teacher) {
  teacher_ = std::move(teacher);
  if (config_.channels_last) models::to_channels_last(*teacher_);
  teacher_->eval();
}

void Searcher::set_paths(int64_t step) {
  if (warming_up(step))
    rule_->set_warmup_paths(layers_);
  else
    rule_->set_paths(layers_, searchable_, step);
}

double Searcher::forward_backward(const at::Tensor& x, const at::Tensor& y, bool with_energy, int64_t* correct) {
  const at::Tensor logits = net_->forward(x);
  at::Tensor teacher_logits;
  if (teacher_) {
    torch::NoGradGuard no_grad;
    teacher_logits = teacher_->forward(x);
  }
  const at::Tensor ce = models::training_loss(logits, y, teacher_logits, config_.label_smoothing,
                                              config_.distill_weight, config_.distill_temperature);
  at::Tensor loss = ce;
  // The constraint's term: λ·max(0, E(α)/target − 1), differentiable in every α. Only an
  // excess is penalized: below the target the energy gradient vanishes at once, so α does
  // not keep sliding to cheaper candidates while λ decays (it overshot to ~60 % of the
  // budget with λ·E/target), and the task loss alone decides how the budget is spent.
  if (with_energy && dual_.lambda() > 0)
    loss = loss + dual_.lambda() * (expected_energy_pj(layers_) / dual_.target_pj() - 1).clamp_min(0).to(ce.scalar_type());
  loss.backward();
  if (correct) *correct = logits.argmax(1).eq(y).sum().item<int64_t>();
  return ce.item<double>();
}

void Searcher::step_weights() {
  for (auto& group : weights_->param_groups()) group.options().set_lr(lr_at(step_));
  weights_->step();
}

void Searcher::step_alpha(int64_t step) {
  if (warming_up(step)) return;
  for (std::size_t i : rule_->alphas_to_step(step, alphas_.size())) alphas_[i]->step();  // the others hold
  dual_.update(expected_energy_pj(layers_).item<double>());
}

SearchEpochReport Searcher::train_epoch(int epoch, const std::function<void(const SearchProgress&)>& progress) {
  SearchEpochReport r;
  r.epoch = epoch;
  const models::Preprocess prep = models::preprocess_for(data_.info, config_.augment, config_.channels_last);
  models::BatchStream batches(data_.train, config_.batch, prep, models::Rng(config_.seed, uint64_t(epoch)));
  std::optional<EndlessBatches> validation;
  if (rule_->alpha_on_validation())
    validation.emplace(data_.validation, config_.batch, prep, config_.seed, uint64_t(epoch));
  net_->train();
  const auto t0 = std::chrono::steady_clock::now();
  at::Tensor x, y;
  double loss_sum = 0;
  int64_t correct_sum = 0, seen = 0, i = 0;
  while (batches.next(x, y)) {
    set_paths(step_);
    weights_->zero_grad();
    for (auto& a : alphas_) a->zero_grad();
    int64_t correct = 0;
    if (validation) {
      // First-order DARTS: a weight step on training data with α fixed, then an α step on
      // held-out data with the weights fixed.
      loss_sum += forward_backward(x, y, false, &correct) * double(y.size(0));
      step_weights();
      weights_->zero_grad();
      at::Tensor vx, vy;
      validation->next(vx, vy);
      forward_backward(vx, vy, true, nullptr);
      step_alpha(step_);
    } else {
      loss_sum += forward_backward(x, y, true, &correct) * double(y.size(0));
      step_weights();
      step_alpha(step_);
    }
    ++step_;
    correct_sum += correct, seen += y.size(0);
    if (progress)
      progress({++i, batches.batches(), loss_sum / double(seen), double(correct_sum) / double(seen),
                double(seen) / seconds_since(t0), expected_energy_pj(layers_).item<double>(), dual_.lambda()});
  }
  r.seconds = seconds_since(t0);
  r.train = {loss_sum / double(seen), double(correct_sum) / double(seen), seen};
  r.temperature = rule_->temperature(step_ - 1);
  r.lambda = dual_.lambda();
  r.expected_energy_pj = expected_energy_pj(layers_).item<double>();
  r.assignment = argmax_assignment(layers_);
  r.assignment_energy_pj = assignment_energy_pj(layers_, r.assignment);
  r.validation = evaluate(data_.validation);
  if (config_.test_each_epoch) r.test = evaluate(data_.test);
  return r;
}

BatchNormRecalibration batch_norm_recalibration(const SearchConfig& config, int64_t max_images) {
  return {config.augment, config.seed, config.channels_last, max_images};
}

models::Evaluation Searcher::evaluate(const models::TensorSet& set) {
  if (set.size() == 0) return {};
  for (SuperMac& l : layers_) l->set_hard(l->argmax());  // the argmax network
  torch::NoGradGuard no_grad;
  // The argmax network's own batch-norm statistics (the supernet's describe the mixture),
  // estimated on training images; the supernet's are restored afterwards.
  std::vector<std::pair<torch::Tensor, torch::Tensor>> saved;
  for (const auto& b : net_->named_buffers()) saved.emplace_back(b.value(), b.value().clone());
  recalibrate_batch_norm(*net_, data_.train, data_.info, batch_norm_recalibration(config_, 1024));
  const models::Evaluation e = models::evaluate_network(*net_, set, data_.info, config_.channels_last);
  for (auto& [buffer, copy] : saved) buffer.copy_(copy);
  net_->train();
  return e;
}

std::shared_ptr<models::Network> make_discrete_network(const std::string& model, const models::ModelConfig& config,
                                                       const std::optional<InputNormalization>& input,
                                                       const std::vector<SuperMac>& layers,
                                                       const std::vector<int>& assignment,
                                                       const models::Network& supernet) {
  QuantFactoryConfig q;
  q.pin_first_last.reset();  // every layer's candidate is in per_layer (pinned layers have one)
  q.input = input;
  for (std::size_t i = 0; i < layers.size(); ++i)
    q.per_layer[layers[i]->options().name] = layers[i]->candidates()[std::size_t(assignment[i])];
  auto net = models::make_model(model, config, QuantLayerFactory(q));
  // Same module paths: every parameter and buffer comes from the supernet's tensor of the same
  // name (α is not one), except a hidden layer's clip: the supernet keeps one per activation
  // width ("clip_a4"), the discrete layer the one of its candidate's width ("clip").
  std::map<std::string, int> clip_width;  // "<path>.clip" → act bits, hidden QuantMac layers
  for (const auto& m : net->named_modules())
    if (auto layer = std::dynamic_pointer_cast<QuantMacImpl>(m.value()); layer && layer->options().role != models::MacRole::Input)
      clip_width[m.key() + ".clip"] = layer->options().candidate.act_bits;
  torch::NoGradGuard no_grad;
  auto source = supernet.named_parameters();
  auto source_buffers = supernet.named_buffers();
  for (auto& p : net->named_parameters()) {
    std::string key = p.key();
    if (const auto it = clip_width.find(key); it != clip_width.end()) key += "_a" + std::to_string(it->second);
    const torch::Tensor* s = source.find(key);
    if (!s) throw std::logic_error("supernet lacks parameter " + key);
    p.value().copy_(*s);
  }
  for (auto& b : net->named_buffers()) {
    const torch::Tensor* s = source_buffers.find(b.key());
    if (!s) throw std::logic_error("supernet lacks buffer " + b.key());
    b.value().copy_(*s);
  }
  return net;
}

}  // namespace enos::search
