#pragma once
// What travels on the array's edge links: one flit per array step.
#include <cstdint>
#include <vector>

#include "pe/semantics.hpp"

namespace enos::sim {

// Operands for one array step: [row][lane] activations or [col][lane] weight codes.
struct DataFlit {
  std::vector<int32_t> values;
};

// Accumulators leaving the array: one per active column (WS) or per column of a drained row (OS).
struct PsumFlit {
  int64_t index = 0;  // WS: pixel within the glb tile; OS: array row being drained
  std::vector<pe::Psum> values;
};

}  // namespace enos::sim
