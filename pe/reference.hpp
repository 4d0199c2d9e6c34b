#pragma once
// The plain C++ reference of a MAC layer: the ground truth the SystemC model, the search
// export and the replay are checked against.
#include <cstdint>
#include <random>
#include <vector>

#include "pe/candidate.hpp"
#include "pe/conv_shape.hpp"
#include "pe/semantics.hpp"

namespace enos::pe {

struct LayerData {
  std::vector<int32_t> weight_codes;  // [K][C/g][R][S], codes as stored
  std::vector<int32_t> inputs;        // [C][H][W], unsigned act_bits values
};

// Uniformly random valid codes and activations from a seeded generator.
LayerData random_layer_data(const ConvShape& shape, const Candidate& c, std::mt19937_64& rng);

// Output accumulators [K][P][Q]; zero padding.
std::vector<Psum> reference_conv(const ConvShape& shape, const Candidate& c, const LayerData& data);

}  // namespace enos::pe
