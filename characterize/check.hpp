#pragma once
// `enos characterize --check`: the analytical model (dataflow/analytical) against the
// SystemC model, entry by entry. Action counts must agree exactly; cycles agree exactly on
// stall-free entries and are reported with their relative error elsewhere.
#include <ostream>

#include "characterize/plan.hpp"

namespace enos::characterize {

// Prints the comparison table; false when any action count differs (a bug in one model).
bool check_against_analytical(const CharacterizeInputs& in, const CharacterizeRun& run, LutCache& cache,
                              std::ostream& out);

}  // namespace enos::characterize
