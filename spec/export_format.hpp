#pragma once
// The search's export (docs/export-format.md): mapping.json, network.json, weights.bin and
// reference.json, as types with their one writer (to_json) and their one strict reader. The
// search writes it (LibTorch), the replay and the test-export generator read or write it
// without LibTorch, and `enos explore` reads a mapped network's operators from it: all through
// this file, so the format has one definition. Every reading mistake is a SpecError naming the
// file, the JSON path and the reason.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pe/candidate.hpp"
#include "pe/requant.hpp"
#include "spec/workload.hpp"

namespace enos::spec {

// The names the writers give the files; mapping.json and network.json name the next file, so
// a reader follows what they say rather than these.
inline constexpr const char* kExportMappingFile = "mapping.json";
inline constexpr const char* kExportNetworkFile = "network.json";
inline constexpr const char* kExportWeightsFile = "weights.bin";
inline constexpr const char* kExportReferenceFile = "reference.json";

// One tensor between layers: unsigned `bits`-bit integers, real value = scale × int.
struct TensorFormat {
  double scale = 1.0;
  int bits = 8;
  // Two's complement codes in [−2^(bits−1), 2^(bits−1) − 1] instead of [0, 2^bits − 1]: the
  // output of a layer whose float model has no ReLU and that no MAC quantizer reads directly
  // (ShuffleNet v1's residual branch; network.json writes `"signed": true` only then).
  bool is_signed = false;
};

// add/concat: x_i · M_i summed (add) or taken alone (concat), then rounding_shift_right by
// `shift` and clamped to the output's bits.
struct Combine {
  std::vector<int32_t> multipliers;  // one per input
  int shift = 0;
};

// Where a MAC layer's codes are in weights.bin: int32 elements, not bytes.
struct WeightSlice {
  int64_t offset = 0, count = 0;
};

// network.json layers[]: one per workload layer.
struct NetLayer {
  std::string name;
  LayerType type = LayerType::Conv;
  // MAC layers
  pe::Candidate candidate;
  double act_scale = 1.0;
  int act_bits = 8;
  // Producer tensor → this layer's input; the format holds only its multiplier and shift.
  std::optional<pe::RequantChannel> input_rescale;
  WeightSlice weights;               // where weight_codes are (or go) in weights.bin
  std::vector<int32_t> weight_codes;  // [K][C/g][R][S]
  std::vector<double> weight_scale;   // s_w[k]
  bool logits = false;                // the classifier (or a last global_avgpool): no requantization
  std::vector<pe::RequantChannel> requant;  // K channels unless logits
  std::vector<double> logit_bias;           // K floats when a MAC layer gives the logits
  // Every layer: the format of the tensor it outputs (MAC logits layers: unused).
  TensorFormat output;
  Combine combine;  // add, concat
};

// The entry of workload layer `l`: its name and type, nothing else chosen yet.
inline NetLayer net_layer_of(const Layer& l) {
  NetLayer n;
  n.name = l.name, n.type = l.type;
  return n;
}

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

// mapping.json: what the search chose, for which network, LUT and architecture.
struct ExportMapping {
  std::string tool_version, model, dataset, mode;
  uint64_t seed = 0;
  std::optional<std::string> pin_first_last;  // the candidate the first and last layers were pinned to
  std::string arch_name, arch_hash, lut_file, lut_hash, table_name, table_hash;
  std::optional<double> budget_uj;
  Workload workload;                // mapping.json's input is this workload's
  std::vector<MappedLayer> mapped;  // MAC layers, workload order
  double total_energy_pj = 0;
  int64_t total_latency_cycles = 0;
  double export_accuracy = 0;
  int64_t export_test_images = 0;
  std::string network_name = kExportNetworkFile;  // as written: relative to the export's folder
};

// network.json, and the codes weights.bin holds for it.
struct ExportNetwork {
  TensorFormat input{1.0 / 255, 8};  // the image bytes
  std::string weights_name = kExportWeightsFile;  // as written
  std::vector<NetLayer> layers;                   // one per workload layer, same order
};

// reference.json: the fake-quantized model's predictions on the first test images.
struct ExportReference {
  std::string dataset, split = "test";
  std::vector<ReferenceImage> images;
};

nlohmann::json to_json(const ExportMapping& m);
nlohmann::json to_json(const ExportNetwork& n);  // writes each MAC layer's `weights` slice as it is
nlohmann::json to_json(const ExportReference& r);
// How every file of the export is written: the JSON indented by one, and a newline.
std::string export_text(const nlohmann::json& doc);

// Lays the MAC layers' codes out one after another in layer order (setting their slices) and
// returns weights.bin: little-endian int32 codes.
std::string pack_weights(ExportNetwork& n);

// The strict readers. `doc` is the parsed file (load_json_file), `file` names it in errors.
ExportMapping parse_export_mapping(const nlohmann::json& doc, const std::string& file);
// The layers are checked against `workload` (mapping.json's); the codes are not read yet.
ExportNetwork parse_export_network(const nlohmann::json& doc, const std::string& file, const Workload& workload);
// Reads each MAC layer's slice of `weights_file` into its weight_codes, checking that every
// code is in its candidate's range; errors name the slice in network.json (`network_doc`).
void read_export_weights(const std::string& weights_file, const nlohmann::json& network_doc,
                         const std::string& network_file, ExportNetwork& n);
// mapping.json's choice and network.json's layer must be the same operator, and the input the
// image bytes. Errors name network.json.
void check_export_network(const ExportMapping& m, const ExportNetwork& n, const nlohmann::json& network_doc,
                          const std::string& network_file);
// Labels and predictions must be classes of the network's `classes` outputs.
ExportReference parse_export_reference(const nlohmann::json& doc, const std::string& file, int classes);

// What `enos explore` needs of a mapped network: its workload and each MAC layer's operator.
// Only those keys are read, so a newer export with more keys still works; what is read is
// checked like any input.
struct MappedOperators {
  Workload workload;
  std::vector<pe::Candidate> candidates;  // MAC layers, workload order
};
MappedOperators read_mapped_operators(const nlohmann::json& doc, const std::string& file);

}  // namespace enos::spec
