#pragma once
// Network checkpoints: every parameter and buffer (batch-norm statistics included) of a model,
// by module path, in one LibTorch archive together with what the network is (model, input
// shape, classes, operator). Loading checks that identity and every tensor's shape before
// copying anything, so a checkpoint of another network is refused with both named instead of
// being copied into the wrong places (LibTorch's Module::load does not compare shapes).
// Files are written atomically (spec/atomic_file.hpp).
#include <map>
#include <string>

#include <torch/nn/module.h>
#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>

#include "spec/workload.hpp"

namespace enos::models {

struct CheckpointIdentity {
  std::string model;         // "shufflenetv2_x0.5" (models/registry.hpp)
  spec::FeatureShape input;  // C, H, W
  int classes = 10;
  std::string op = "float";  // what the MAC layers compute: float or a candidate
  bool operator==(const CheckpointIdentity& o) const {
    return model == o.model && input == o.input && classes == o.classes && op == o.op;
  }
};
// "shufflenetv2_x0.5 on 28x28x1 inputs, 10 classes, float"
std::string describe(const CheckpointIdentity& id);

// The archive parts, for checkpoints that hold more (the trainer's resumable state).
void write_identity(torch::serialize::OutputArchive& archive, const CheckpointIdentity& id);
void write_tensors(torch::serialize::OutputArchive& archive, const torch::nn::Module& net);
// std::invalid_argument naming `file` when the part is missing or malformed.
CheckpointIdentity read_identity(torch::serialize::InputArchive& archive, const std::string& file);
// Every tensor stored, by name, after checking the record's sha256 (std::invalid_argument
// naming `file` when damaged): for loaders that map names themselves (the search's warm start).
std::map<std::string, at::Tensor> read_stored_tensors(torch::serialize::InputArchive& archive, const std::string& file);
// "[24,3,3,3] float"
std::string shape_text(const at::Tensor& t);
// Every parameter and buffer of `net` must be in the archive with its shape and type, and
// nothing else; then they are copied (keeping `net`'s memory formats).
void read_tensors(torch::serialize::InputArchive& archive, torch::nn::Module& net, const std::string& file);
// Opens a LibTorch archive; std::invalid_argument naming the file when it is missing,
// truncated or not an archive.
void open_archive(torch::serialize::InputArchive& archive, const std::string& file);
// `found` must equal `expected`: std::invalid_argument naming the file and both.
void check_identity(const CheckpointIdentity& found, const CheckpointIdentity& expected, const std::string& file);

// archive.save_to(temp), with a failure (unwritable folder, full disk) reported as bad input naming `file`.
void save_archive(torch::serialize::OutputArchive& archive, const std::string& temp, const std::string& file);

void save_checkpoint(const std::string& file, const torch::nn::Module& net, const CheckpointIdentity& id);
CheckpointIdentity read_checkpoint_identity(const std::string& file);
void load_checkpoint(const std::string& file, torch::nn::Module& net, const CheckpointIdentity& expected);

}  // namespace enos::models
