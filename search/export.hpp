#pragma once
// The export of a discrete network (QuantMac layers) for the integer replay:
// mapping.json, network.json, weights.bin and reference.json, exactly as
// docs/export-format.md specifies them.
#include <cstdint>
#include <optional>
#include <string>

#include "energy/lut.hpp"
#include "models/data.hpp"
#include "models/layers.hpp"

namespace enos::search {

struct ExportInfo {
  std::string tool_version = "unknown";  // of the enos that writes the export
  std::string model, dataset;  // dataset as given, without DIR
  std::string mode;            // single, bilevel, sequential, stochastic, uniform
  uint64_t seed = 1;
  std::optional<std::string> pin_first_last;  // candidate, or none
  const energy::Lut* lut = nullptr;
  std::string lut_file;
  std::optional<double> budget_uj;
  double accuracy = 0;  // test accuracy of the fake-quantized network (fraction)
  int64_t test_images = 0;
  int calibration_images = 64;  // training images whose float tensors set the calibrated scales
  // Bits of a calibrated tensor (one no single MAC layer's quantizer owns: a concat or add
  // output, a tensor whose readers quantize differently, a global average's input). Its
  // readers rescale it, rounding twice; 16 bits make that second rounding differ from the
  // fake-quantized model's single one on well under 1 % of the values, 8 bits on up to half
  // (tests/search/test_export_layers.cpp).
  int calibrated_bits = 16;
  int reference_images = 256;
};

struct ExportSummary {
  double energy_pj = 0;
  int64_t latency_cycles = 0;
  int64_t reference_images = 0;
  int calibrated_tensors = 0, rescaled_inputs = 0;
};

// Writes the four files into `dir` (which must exist). `net` is a network of QuantMac layers
// (search::QuantLayerFactory) with batch norms; it is put in eval mode. Throws
// std::invalid_argument for a network the format cannot express (e.g. a last layer that is
// not the classifier) and spec::SpecError for a LUT lacking a layer or candidate.
ExportSummary export_network(models::Network& net, const models::Dataset& data, const ExportInfo& info,
                             const std::string& dir);

}  // namespace enos::search
