#pragma once
// The non-MAC layers on integer tensors (docs/export-format.md), exact and deterministic.
#include "replay/export.hpp"
#include "replay/network.hpp"

namespace enos::replay {

Tensor max_pool(const Tensor& in, const spec::Layer& l);
// floor((Σ window + ⌊n/2⌋) / n), n = kernel² (padding counts as zeros and in n).
Tensor avg_pool(const Tensor& in, const spec::Layer& l);
Tensor global_avg_pool(const Tensor& in);
// ShuffleNet's channel shuffle: view as [g][C/g], transpose, flatten.
Tensor channel_shuffle(const Tensor& in, int groups);
Tensor split(const Tensor& in, int parts, int part);
// add (sum) or concat (channels in order): x_i·M_i, rounding shift, clamp to the output
// format's range (signed or not).
Tensor combine(const std::vector<const Tensor*>& ins, const Combine& c, const TensorFormat& format, bool add);
// max(x, 0): the identity on unsigned tensors, the clamp of a signed one.
Tensor relu(const Tensor& in);
// y = clamp(floor(x·M / 2^n + 1/2), 0, 2^bits − 1) per element.
Tensor rescale(const Tensor& in, const pe::RequantChannel& ch, int bits);

}  // namespace enos::replay
