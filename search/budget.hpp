#pragma once
// The energy budget of the search (docs/search.md "Budget"): its value from the command line,
// the Lagrange multiplier that enforces it, and the final repair that guarantees the
// discrete network meets it. No LibTorch here: plain numbers per layer and candidate.
#include <optional>
#include <string>
#include <vector>

#include "energy/lut.hpp"

namespace enos::search {

// --budget-uj X (µJ per inference) or --budget-frac F (F × the all-int:w8a8 network's LUT
// energy): exactly one. Returns pJ. std::invalid_argument when neither, both, a non-positive
// value, or a LUT without int:w8a8 for --budget-frac.
double resolve_budget_pj(std::optional<double> budget_uj, std::optional<double> budget_frac, const energy::Lut& lut,
                         const std::string& lut_file);

// Dual ascent on λ ≥ 0 for the constraint E ≤ target: the search minimizes
// loss + λ·E/target and raises λ while E exceeds the target, lowers it (to 0) while E is below.
// At a saddle point E ≤ target, so the budget is met, not merely penalized.
class DualAscent {
 public:
  DualAscent(double target_pj, double rate) : target_(target_pj), rate_(rate) {}
  void update(double energy_pj);
  double lambda() const { return lambda_; }
  double target_pj() const { return target_; }

 private:
  double target_, rate_;
  double lambda_ = 0;
};

// Per layer: the candidates' energies (pJ) and the search's preference (logits α).
struct LayerPreference {
  std::vector<double> energy_pj, logits;
  std::vector<std::string> candidates;  // names ("int:w4a4"), for spend_leftover
};

// The LUT energy of an assignment (one candidate index per layer).
double lut_energy_pj(const std::vector<LayerPreference>& layers, const std::vector<int>& assignment);

// The argmax of every layer, then, while its energy exceeds the budget, the one change to a
// cheaper candidate that gives up the least logit per pJ saved. Ends within the budget
// whenever the cheapest assignment does (the caller refuses budgets below that first).
std::vector<int> fit_budget(const std::vector<LayerPreference>& layers, double budget_pj);

// Spends what `assignment` leaves of the budget: while some layer can move to a candidate at
// least as wide in weights and in activations (int, or its own kind) within the remaining
// budget, the move that gives up the least logit is made (ties: the cheaper). The search's
// argmax is often well below the budget when E(α) reaches it (the probabilities stay spread),
// and wider operands are the one preference that holds without α. Never exceeds the budget.
std::vector<int> spend_leftover(const std::vector<LayerPreference>& layers, std::vector<int> assignment,
                                double budget_pj);

}  // namespace enos::search
