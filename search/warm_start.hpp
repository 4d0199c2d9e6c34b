#pragma once
// The search starts from a trained network (docs/search.md "Warm start"): a float checkpoint
// (models/checkpoint.hpp; a model-zoo entry by default) loaded into a network whose MAC layers
// quantize — the supernet's SuperMac or the discrete network's QuantMac, which keep the float
// layers' module paths — and the quantizers' clips calibrated on the activations the float
// network produces.
#include <string>
#include <vector>

#include "models/checkpoint.hpp"
#include "models/data.hpp"
#include "models/layers.hpp"
#include "search/batch_norm_recalibration.hpp"
#include "search/supernet.hpp"

namespace enos::search {

// Copies every tensor of the float checkpoint `file` into `net` by name: conv weights as they
// are, a fully connected weight [K][C] as the 1×1 convolution [K][C][1][1] the quantized layers
// keep, batch norms with their statistics. The input layer of a quantizing network reads
// pixels in [0, 1] where the float one read normalized images: its weight is divided by the
// per-channel stddev (the mean becomes a per-channel constant that the batch norm after it
// absorbs once its statistics are re-estimated). Only clips, α and the input normalization may
// be left unset. std::invalid_argument naming the file and both sides for a checkpoint of
// another model, input shape or class count, or a tensor that does not fit.
void load_float_checkpoint(torch::nn::Module& net, const std::string& file, const models::CheckpointIdentity& expected);

enum class ClipMethod {
  Mse,         // the clip minimizing the mean squared quantization error of the inputs seen
  Percentile,  // the 99.99th percentile of the inputs seen
  Lsq          // LSQ's initial step 2·mean|x|/√(2^A − 1), times 2^A − 1
};
ClipMethod parse_clip_method(const std::string& text);  // "mse", "percentile", "lsq"
std::string to_string(ClipMethod m);

// The clip of `bits`-bit unsigned quantization for these (non-negative) values.
double calibrated_clip(std::vector<float> values, int bits, ClipMethod method);

struct CalibrationConfig {
  ClipMethod method = ClipMethod::Mse;
  int64_t images = 512;  // of the set given, un-augmented (as the test images): the clips' samples
  BatchNormRecalibration batch_norm;  // first, as the search will train (its layout for both)
};

// Runs `net` as the float network (every SuperMac in PathMode::Float), re-estimates its batch
// norms (they absorb the input layer's dropped constant, above), records every hidden MAC
// layer's inputs, and sets each layer's clip of every activation width it has to the
// calibrated value. Leaves the layers in mixed mode and `net` in train mode. Returns the
// calibrated clips, layer by layer and width by width ("stage2.0.branch2.0 a8 3.61"), for
// the log.
std::vector<std::string> calibrate_supernet(models::Network& net, const std::vector<SuperMac>& layers,
                                            const models::TensorSet& set, const datasets::DatasetInfo& info,
                                            const CalibrationConfig& config);

}  // namespace enos::search
