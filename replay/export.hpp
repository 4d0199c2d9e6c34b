#pragma once
// The search's export (docs/export-format.md): mapping.json, network.json, weights.bin and
// reference.json, read strictly. Every mistake is a spec::SpecError naming the file, the JSON
// path and the reason, as for every other input; nothing here needs LibTorch.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pe/candidate.hpp"
#include "pe/requant.hpp"
#include "spec/workload.hpp"

namespace enos::replay {

// One tensor between layers: unsigned `bits`-bit integers, real value = scale × int.
struct TensorFormat {
  double scale = 1.0;
  int bits = 8;
};

// add/concat: x_i · M_i summed (add) or taken alone (concat), then rounding_shift_right by
// `shift` and clamped to the output's bits.
struct Combine {
  std::vector<int32_t> multipliers;  // one per input
  int shift = 0;
};

struct NetLayer {
  std::string name;
  spec::LayerType type = spec::LayerType::Conv;
  // MAC layers
  pe::Candidate candidate;
  double act_scale = 1.0;
  int act_bits = 8;
  std::optional<pe::RequantChannel> input_rescale;  // producer tensor → this layer's input
  std::vector<int32_t> weight_codes;                // [K][C/g][R][S], from weights.bin
  std::vector<double> weight_scale;                 // s_w[k]
  bool logits = false;                              // the classifier: no requantization
  std::vector<pe::RequantChannel> requant;          // K channels unless logits
  std::vector<double> logit_bias;                   // K floats when logits
  // Every layer: the format of the tensor it outputs (MAC logits layers: unused).
  TensorFormat output;
  Combine combine;  // add, concat
};

struct MappedLayer {  // mapping.json layers[]: the search's choice and its LUT entry
  std::string name;
  pe::Candidate candidate;
  double energy_pj = 0;
  int64_t latency_cycles = 0;
  bool pinned = false;
};

struct ReferenceImage {
  int64_t index = 0;
  int label = 0;
  int fake_quant_prediction = 0;
};

struct Export {
  std::string dir;  // where mapping.json lives; every path inside is relative to it
  std::string mapping_file, network_file, weights_file, reference_file;
  std::string tool_version, model, dataset, mode;
  uint64_t seed = 0;
  std::string arch_name, arch_hash, lut_file, lut_hash, table_name, table_hash;
  std::optional<double> budget_uj;
  spec::Workload workload;
  std::vector<MappedLayer> mapped;  // MAC layers, workload order
  double total_energy_pj = 0;
  int64_t total_latency_cycles = 0;
  double export_accuracy = 0;
  int64_t export_test_images = 0;
  TensorFormat input;
  std::vector<NetLayer> layers;      // one per workload layer, same order
  std::vector<ReferenceImage> reference;  // empty when reference.json is absent
};

// Reads all four files; `mapping_file` is DIR/mapping.json. Throws spec::SpecError.
Export load_export(const std::string& mapping_file);

// The LUT the search read, when its file is still there (mapping.json's lut.file, as given to
// the search, i.e. relative to where it ran, else relative to the export folder): its hash must
// be mapping.json's lut.hash and its architecture hash `arch_hash`. Returns the file found
// ("" when none: nothing to check); throws spec::SpecError on a mismatch.
std::string check_lut(const Export& e, const std::string& arch_hash, const std::string& arch_file);

// "dir/name" unless name is absolute.
std::string resolve(const std::string& dir, const std::string& name);

}  // namespace enos::replay
