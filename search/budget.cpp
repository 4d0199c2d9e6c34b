#include "search/budget.hpp"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <stdexcept>

#include "pe/candidate.hpp"
#include "spec/json_reader.hpp"

namespace enos::search {

double resolve_budget_pj(std::optional<double> budget_uj, std::optional<double> budget_frac, const energy::Lut& lut,
                         const std::string& lut_file) {
  if (budget_uj.has_value() == budget_frac.has_value())
    throw std::invalid_argument("give exactly one of --budget-uj and --budget-frac");
  if (budget_uj) {
    if (!(*budget_uj > 0)) throw std::invalid_argument("--budget-uj must be > 0");
    return *budget_uj * 1e6;  // µJ → pJ
  }
  if (!(*budget_frac > 0)) throw std::invalid_argument("--budget-frac must be > 0");
  const std::string reference = pe::to_string(pe::reference_candidate());
  if (std::find(lut.candidates.begin(), lut.candidates.end(), reference) == lut.candidates.end())
    throw spec::SpecError(lut_file, "candidates", "--budget-frac needs " + reference + " (its reference network) in the LUT");
  return *budget_frac * lut.total_energy_pj(reference);
}

void DualAscent::update(double energy_pj) {
  lambda_ = std::max(0.0, lambda_ + rate_ * (energy_pj / target_ - 1));
}

std::vector<int> fit_budget(const std::vector<LayerPreference>& layers, double budget_pj) {
  std::vector<int> a;
  double energy = 0;
  for (const LayerPreference& l : layers) {
    a.push_back(int(std::max_element(l.logits.begin(), l.logits.end()) - l.logits.begin()));
    energy += l.energy_pj[std::size_t(a.back())];
  }
  while (energy > budget_pj) {
    double best_cost = std::numeric_limits<double>::infinity();
    std::size_t best_layer = 0;
    int best_choice = -1;
    for (std::size_t i = 0; i < layers.size(); ++i) {
      const LayerPreference& l = layers[i];
      const std::size_t now = std::size_t(a[i]);
      for (std::size_t c = 0; c < l.energy_pj.size(); ++c) {
        const double saved = l.energy_pj[now] - l.energy_pj[c];
        if (saved <= 0) continue;
        const double cost = (l.logits[now] - l.logits[c]) / saved;  // logit given up per pJ saved
        if (cost < best_cost) best_cost = cost, best_layer = i, best_choice = int(c);
      }
    }
    if (best_choice < 0) break;  // nothing cheaper anywhere: the caller's minimum check failed
    energy -= layers[best_layer].energy_pj[std::size_t(a[best_layer])] - layers[best_layer].energy_pj[std::size_t(best_choice)];
    a[best_layer] = best_choice;
  }
  return a;
}

namespace {

// `to` keeps every weight and activation bit of `from`, as int or as `from`'s own kind.
bool widens(const std::string& from, const std::string& to) {
  const pe::Candidate a = pe::parse_candidate(from), b = pe::parse_candidate(to);
  if (a == b || (b.kind != pe::OpKind::Int && b.kind != a.kind)) return false;
  return b.weight_bits >= a.weight_bits && b.act_bits >= a.act_bits;
}

}  // namespace

double lut_energy_pj(const std::vector<LayerPreference>& layers, const std::vector<int>& assignment) {
  double total = 0;
  for (std::size_t i = 0; i < layers.size(); ++i) total += layers[i].energy_pj[std::size_t(assignment[i])];
  return total;
}

std::vector<int> spend_leftover(const std::vector<LayerPreference>& layers, std::vector<int> assignment,
                                double budget_pj) {
  double energy = lut_energy_pj(layers, assignment);
  for (;;) {
    double best_loss = std::numeric_limits<double>::infinity(), best_extra = 0;
    std::size_t best_layer = 0;
    int best_choice = -1;
    for (std::size_t i = 0; i < layers.size(); ++i) {
      const LayerPreference& l = layers[i];
      const std::size_t now = std::size_t(assignment[i]);
      for (std::size_t c = 0; c < l.energy_pj.size(); ++c) {
        const double extra = l.energy_pj[c] - l.energy_pj[now];
        if (extra <= 0 || energy + extra > budget_pj || !widens(l.candidates[now], l.candidates[c])) continue;
        const double loss = l.logits[now] - l.logits[c];
        if (loss < best_loss || (loss == best_loss && extra < best_extra))
          best_loss = loss, best_extra = extra, best_layer = i, best_choice = int(c);
      }
    }
    if (best_choice < 0) return assignment;
    energy += best_extra;
    assignment[best_layer] = best_choice;
  }
}

}  // namespace enos::search
