// The supernet: shared weights, mixed forward equal to each candidate's QuantMac, gradients to
// weights and α, the budget (dual ascent + fit_budget) in every mode, determinism.
#include <catch2/catch.hpp>

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include "search/searcher.hpp"
#include "tests/search/tiny_search.hpp"

namespace enos::search {
namespace {

using testing::TinyNet;

std::vector<std::string> standard_names() {
  std::vector<std::string> names;
  for (const pe::Candidate& c : pe::standard_candidates()) names.push_back(pe::to_string(c));
  return names;
}

SuperMacOptions hidden_layer(const std::vector<std::string>& names) {
  SuperMacOptions o;
  o.name = "layer";
  o.base = options_for(models::ConvSpec{"layer", 8, 6, 3, 1, 1, 2, false, models::MacRole::Hidden}, pe::Candidate{});
  for (const std::string& n : names) o.choices.push_back({n, testing::tiny_energy(n), 0});
  return o;
}

TEST_CASE("a hard path equals the candidate's QuantMac (mf: × mf_unit); the mixed path is the p-weighted sum", "[search][supernet]") {
  at::set_num_threads(1);
  torch::manual_seed(3);
  const std::vector<std::string> names = standard_names();
  SuperMac layer(hidden_layer(names));
  const torch::Tensor x = torch::randn({2, 8, 6, 6}).relu() * 2;
  std::vector<torch::Tensor> outputs;
  for (int i = 0; i < int(names.size()); ++i) {
    INFO(names[std::size_t(i)]);
    QuantMacOptions o = layer->options().base;
    o.candidate = pe::parse_candidate(names[std::size_t(i)]);
    QuantMac q(o);
    {
      torch::NoGradGuard no_grad;
      q->weight.copy_(layer->weight);
      q->clip.copy_(layer->clip(o.candidate.act_bits));
    }
    layer->set_hard(i);
    outputs.push_back(layer->forward(x).detach());
    // mf's path is its QuantMac scaled per output channel by mf_unit (mean|w[k]|).
    torch::Tensor expected = q->forward(x).detach();
    if (o.candidate.kind == pe::OpKind::Mf) expected = expected * mf_unit(layer->weight).view({1, -1, 1, 1});
    REQUIRE(torch::allclose(outputs.back(), expected, 1e-4, 1e-5));
  }
  layer->set_mixed();
  torch::Tensor expected = torch::zeros_like(outputs[0]);
  const torch::Tensor p = layer->probabilities().detach();
  for (std::size_t i = 0; i < outputs.size(); ++i) expected += p[int64_t(i)] * outputs[i];
  REQUIRE(torch::allclose(layer->forward(x).detach(), expected, 1e-4, 1e-5));
}

TEST_CASE("each activation width has its own clip", "[search][supernet]") {
  at::set_num_threads(1);
  torch::manual_seed(5);
  const std::vector<std::string> names = standard_names();
  SuperMac layer(hidden_layer(names));
  REQUIRE(layer->activation_widths().size() >= 2);
  const torch::Tensor x = torch::randn({2, 8, 6, 6}).relu() * 2;
  std::vector<torch::Tensor> before;
  for (int i = 0; i < int(names.size()); ++i) {
    layer->set_hard(i);
    before.push_back(layer->forward(x).detach());
  }
  const int narrow = layer->activation_widths().front();
  {
    torch::NoGradGuard no_grad;
    layer->clip(narrow).fill_(0.5);
  }
  for (int i = 0; i < int(names.size()); ++i) {
    INFO(names[std::size_t(i)]);
    layer->set_hard(i);
    const bool reads_narrow = pe::parse_candidate(names[std::size_t(i)]).act_bits == narrow;
    CHECK(torch::equal(layer->forward(x).detach(), before[std::size_t(i)]) == !reads_narrow);
  }
}

TEST_CASE("straight-through gradients reach the shared weight, the clip and α", "[search][supernet]") {
  at::set_num_threads(1);
  torch::manual_seed(4);
  SuperMac layer(hidden_layer(standard_names()));
  const torch::Tensor x = torch::randn({2, 8, 6, 6}).relu() * 2;
  SECTION("mixed") { layer->set_mixed(); }
  SECTION("sampled (Gumbel, straight-through)") { layer->sample(1.0); }
  const torch::Tensor target = torch::randn({2, 6, 6, 6});
  (layer->forward(x) - target).pow(2).sum().backward();
  REQUIRE(layer->weight.grad().abs().sum().item<double>() > 0);
  double clip_gradient = 0;
  for (int bits : layer->activation_widths())
    if (layer->clip(bits).grad().defined()) clip_gradient += layer->clip(bits).grad().abs().item<double>();
  REQUIRE(clip_gradient > 0);
  REQUIRE(layer->alpha.grad().abs().sum().item<double>() > 0);
  // E(α) is differentiable: its gradient pushes toward the cheaper candidates.
  layer->alpha.grad().zero_();
  layer->expected_energy_pj().backward();
  const torch::Tensor g = layer->alpha.grad();
  REQUIRE(g[0].item<double>() > 0);  // int:w8a8, the dearest: raising it raises E
  REQUIRE(g[2].item<double>() < 0);  // int:w2a2, the cheapest
}

TEST_CASE("sampled: the task's gradient reaches α through the batch norm that follows", "[search][supernet]") {
  // A single sampled path's gate only scales the layer's output, which a batch norm in train
  // mode normalizes away: its gradient was ~0 and the stochastic search's α drifted at random.
  // The runner-up's gate compares the two candidates' outputs and survives the normalization.
  at::set_num_threads(1);
  const std::vector<std::string> names = standard_names();
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    torch::manual_seed(seed);
    SuperMac layer(hidden_layer(names));
    torch::nn::BatchNorm2d bn(6);
    const torch::Tensor x = torch::randn({4, 8, 6, 6}).relu() * 2;
    const torch::Tensor target = torch::randn({4, 6, 6, 6});
    layer->sample(1.0);
    (bn->forward(layer->forward(x)) - target).pow(2).mean().backward();
    const torch::Tensor g = layer->alpha.grad();
    INFO("seed " << seed << ": dL/dα = " << g);
    // Exactly two candidates get a gradient, opposite and equal (a two-way softmax) ...
    REQUIRE(g.ne(0).sum().item<int64_t>() == 2);
    REQUIRE(std::abs(g.sum().item<double>()) <= 1e-6 * g.abs().sum().item<double>());
    // ... and it is of the order of the loss's sensitivity, not rounding noise.
    REQUIRE(g.abs().max().item<double>() > 1e-4);
  }
}

TEST_CASE("fit_budget keeps the argmax when it fits and gives up the least preferred energy otherwise",
          "[search][budget]") {
  const std::vector<LayerPreference> layers = {{{100, 20}, {2.0, 0.0}}, {{100, 20}, {5.0, 0.0}}};
  REQUIRE(fit_budget(layers, 200) == std::vector<int>{0, 0});
  REQUIRE(fit_budget(layers, 150) == std::vector<int>{1, 0});  // layer 0 cares less
  REQUIRE(fit_budget(layers, 40) == std::vector<int>{1, 1});
  DualAscent dual(100, 0.5);
  dual.update(150);
  REQUIRE(dual.lambda() == Approx(0.25));
  dual.update(10);
  REQUIRE(dual.lambda() == 0);
}

struct SearchRun {
  std::vector<int> assignment;  // argmax at the end
  double expected_pj = 0, budget_pj = 0, final_pj = 0;
  std::vector<int> fitted;
  std::vector<SuperMac> layers;
  torch::Tensor alphas;
};

SearchRun run_search(SearchMode mode, const std::vector<std::string>& candidates, double budget_pj, int epochs,
                     double warmup = 0) {
  at::set_num_threads(1);
  const energy::Lut lut = testing::tiny_lut(candidates);
  const models::Dataset data = testing::quadrant_dataset(256, mode == SearchMode::Bilevel ? 128 : 0, 64);
  SupernetConfig sc;
  sc.lut = &lut, sc.lut_file = "tiny.json";
  sc.input = InputNormalization{data.info.mean, data.info.stddev};
  torch::manual_seed(7);
  auto net = std::make_shared<TinyNet>(SupernetFactory(sc));
  std::vector<SuperMac> layers = supernet_layers(*net, lut, "tiny.json");
  SearchConfig config;
  config.mode = mode, config.epochs = epochs, config.batch = 32, config.budget_pj = budget_pj;
  config.augment = models::Augment::None, config.dual_rate = 0.5, config.alpha_lr = 0.1;
  config.alpha_warmup = warmup;  // random weights here: the budget machinery from the first step
  Searcher searcher(net, layers, data, config);
  for (int e = 1; e <= epochs; ++e) searcher.train_epoch(e);
  SearchRun r;
  r.layers = layers;
  r.assignment = argmax_assignment(layers);
  r.expected_pj = expected_energy_pj(layers).item<double>();
  r.budget_pj = budget_pj;
  r.fitted = fit_budget(searcher.preferences(), budget_pj);
  r.final_pj = assignment_energy_pj(layers, r.fitted);
  std::vector<torch::Tensor> a;
  for (const SuperMac& l : layers) a.push_back(l->alpha.detach().clone());
  r.alphas = torch::cat(a);
  return r;
}

TEST_CASE("a tight budget drives every mode to the cheapest candidates, within the budget", "[search][budget]") {
  // Pinned conv0 and fc cost 2 × 100 pJ; the hidden layers' cheapest is 2 × 20 pJ (int:w2a2).
  const double budget = 245;
  for (SearchMode mode : {SearchMode::Single, SearchMode::Bilevel, SearchMode::Sequential, SearchMode::Stochastic}) {
    INFO(to_string(mode));
    const SearchRun r = run_search(mode, standard_names(), budget, 6);
    UNSCOPED_INFO(to_string(mode) << ": E(alpha) " << r.expected_pj << " pJ, final " << r.final_pj);
    REQUIRE(r.final_pj <= budget);
    // The final (fitted) network: since mf no longer drowns the mix (mf_unit), bilevel's
    // argmax keeps bin:w1a8 on conv1 with E(α) within 1.03 × budget, and fit_budget moves it.
    REQUIRE(r.fitted[1] == 2);  // int:w2a2
    REQUIRE(r.fitted[2] == 2);
    // Sequential moves one layer's α per step, so in 6 epochs E(α) converges least (1.04 ×
    // with a clip per activation width); the fitted network above is within budget in every mode.
    REQUIRE(r.expected_pj <= (mode == SearchMode::Sequential ? 1.05 : 1.03) * budget);
  }
}

TEST_CASE("a budget at the all-int:w8a8 energy lets the search keep int:w8a8", "[search][budget]") {
  const std::vector<std::string> candidates = {"int:w8a8", "int:w4a4", "int:w2a2"};
  const SearchRun r = run_search(SearchMode::Single, candidates, 400, 6);
  UNSCOPED_INFO("alphas " << r.alphas);
  REQUIRE(r.final_pj <= 400);
  REQUIRE(r.assignment == std::vector<int>{0, 0, 0, 0});
  REQUIRE(r.fitted == r.assignment);
}

TEST_CASE("alpha does not move during the warm-up, then does", "[search][budget]") {
  for (SearchMode mode : {SearchMode::Single, SearchMode::Stochastic}) {
    INFO(to_string(mode));
    const SearchRun warm = run_search(mode, standard_names(), 245, 1, 0.99);
    CHECK(warm.alphas.abs().max().item<double>() == 0);
    const SearchRun moved = run_search(mode, standard_names(), 245, 2, 0.5);
    CHECK(moved.alphas.abs().max().item<double>() > 0);
  }
}

TEST_CASE("spend_leftover widens layers within the budget, most-preferred first", "[search][budget]") {
  // Two layers at int:w2a2 (10 pJ each) under a budget of 45: int:w4a4 costs 20, int:w8a8 40.
  std::vector<LayerPreference> layers(2);
  for (LayerPreference& l : layers) {
    l.candidates = {"int:w8a8", "int:w4a4", "int:w2a2", "bin:w1a8"};
    l.energy_pj = {40, 20, 10, 15};
  }
  layers[0].logits = {0.0, 0.5, 1.0, 0.9};  // prefers int:w4a4 over int:w8a8
  layers[1].logits = {0.2, 0.1, 1.0, 0.0};  // prefers int:w8a8 over int:w4a4
  const std::vector<int> spent = spend_leftover(layers, {2, 2}, 45);
  double energy = 0;
  for (std::size_t i = 0; i < 2; ++i) energy += layers[i].energy_pj[std::size_t(spent[i])];
  CHECK(energy <= 45);
  CHECK(spent[0] == 1);  // int:w4a4 (20): the smaller logit loss, and w8a8 would not fit after
  CHECK(spent[1] == 1);  // int:w4a4: int:w8a8 (40) does not fit beside it
  // bin:w1a8 never replaces int:w2a2: it is not wider in weights (and not int).
  CHECK((spend_leftover(layers, {2, 2}, 20) == std::vector<int>{2, 2}));
  // Never above the budget, even when nothing can move.
  CHECK((spend_leftover(layers, {0, 0}, 80) == std::vector<int>{0, 0}));
}

TEST_CASE("the search is deterministic for a seed", "[search][determinism]") {
  const SearchRun a = run_search(SearchMode::Stochastic, standard_names(), 300, 1);
  const SearchRun b = run_search(SearchMode::Stochastic, standard_names(), 300, 1);
  REQUIRE(torch::equal(a.alphas, b.alphas));
}

}  // namespace
}  // namespace enos::search
