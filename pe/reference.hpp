#pragma once
// The plain C++ reference of a MAC layer: the ground truth the SystemC model, the search
// export and the replay are checked against.
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "pe/candidate.hpp"
#include "pe/conv_shape.hpp"
#include "pe/semantics.hpp"

namespace enos::pe {

struct LayerData {
  std::vector<int32_t> weight_codes;  // [K][C/g][R][S], codes as stored
  std::vector<int32_t> inputs;        // [C][H][W], unsigned act_bits values
};

// Uniformly random valid codes and activations from a seeded generator: all weight codes
// first, then all inputs, each drawn by rejection sampling on rng() alone (not
// std::uniform_int_distribution, whose output differs between standard libraries), so a seed
// gives the same layer on every platform. Throws std::invalid_argument for an invalid shape
// or candidate.
// `input_zero_frac` > 0: that share of the inputs (at random places, from a stream of their
// own, so the other values stay those of the seed) is zero, as after a ReLU.
LayerData random_layer_data(const ConvShape& shape, const Candidate& c, std::mt19937_64& rng,
                            double input_zero_frac = 0.0);

// Empty when `data` fits the shape and candidate (sizes, code and activation ranges),
// otherwise the reason.
std::string check_layer_data(const ConvShape& shape, const Candidate& c, const LayerData& data);

// Output accumulators [K][P][Q]; zero padding. Throws std::invalid_argument when the shape,
// candidate or data is invalid.
std::vector<Psum> reference_conv(const ConvShape& shape, const Candidate& c, const LayerData& data);

}  // namespace enos::pe
