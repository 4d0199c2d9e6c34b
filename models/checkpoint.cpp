#include "models/checkpoint.hpp"

#include <map>
#include <stdexcept>

#include <nlohmann/json.hpp>
#include <torch/utils.h>

#include "models/file_hash.hpp"
#include "models/workload_text.hpp"
#include "spec/atomic_file.hpp"

namespace enos::models {
namespace {

constexpr const char* kIdentityKey = "enos_identity";
constexpr const char* kTensorsKey = "enos_tensors";
constexpr const char* kHashKey = "enos_tensors_sha256";
constexpr const char* kFormat = "enos-checkpoint/1";

[[noreturn]] void damaged(const std::string& file, const std::string& what) {
  throw std::invalid_argument(file + ": not a usable enos checkpoint: " + what);
}

std::map<std::string, at::Tensor> module_tensors(const torch::nn::Module& net) {
  std::map<std::string, at::Tensor> tensors;
  for (const auto& p : net.named_parameters(true)) tensors[p.key()] = p.value();
  for (const auto& b : net.named_buffers(true)) tensors[b.key()] = b.value();
  return tensors;
}

// What the identity record pins: names, types, shapes and bytes of every tensor, in name order.
// LibTorch's zip reader does not notice a flipped byte inside a tensor's data.
std::string content_hash(const std::map<std::string, at::Tensor>& tensors) {
  Sha256 hash;
  for (const auto& [name, tensor] : tensors) {
    const at::Tensor t = tensor.detach().contiguous();
    std::string header = name + "|" + std::string(t.dtype().name()) + "|";
    for (int64_t i = 0; i < t.dim(); ++i) header += std::to_string(t.size(i)) + ",";
    hash.update(header);
    hash.update(t.data_ptr(), t.nbytes());
  }
  return hash.hex();
}

}  // namespace

std::string shape_text(const at::Tensor& t) {
  std::string s = "[";
  for (int64_t i = 0; i < t.dim(); ++i) s += (i ? "," : "") + std::to_string(t.size(i));
  return s + "] " + std::string(t.dtype().name());
}

void save_archive(torch::serialize::OutputArchive& archive, const std::string& temp, const std::string& file) {
  try {
    archive.save_to(temp);
  } catch (const std::exception& e) {
    const std::string what = e.what();
    throw std::invalid_argument(file + ": cannot write the checkpoint (" + what.substr(0, what.find('\n')) + ")");
  }
}

std::string describe(const CheckpointIdentity& id) {
  return id.model + " on " + input_shape_text(id.input) + " inputs, " + std::to_string(id.classes) + " classes, " + id.op;
}

void write_identity(torch::serialize::OutputArchive& archive, const CheckpointIdentity& id) {
  const nlohmann::json j = {{"format", kFormat},
                            {"model", id.model},
                            {"input", input_shape_text(id.input)},
                            {"classes", id.classes},
                            {"op", id.op}};
  archive.write(kIdentityKey, c10::IValue(j.dump()));
}

void write_tensors(torch::serialize::OutputArchive& archive, const torch::nn::Module& net) {
  const std::map<std::string, at::Tensor> tensors = module_tensors(net);
  c10::Dict<std::string, at::Tensor> dict;
  for (const auto& [name, tensor] : tensors) dict.insert(name, tensor.detach().contiguous());
  archive.write(kTensorsKey, c10::IValue(dict));
  archive.write(kHashKey, c10::IValue(content_hash(tensors)));
}

void open_archive(torch::serialize::InputArchive& archive, const std::string& file) {
  try {
    archive.load_from(file);
  } catch (const std::exception& e) {
    const std::string what = e.what();
    damaged(file, "cannot read it as a LibTorch archive (" + what.substr(0, what.find('\n')) + ")");
  }
}

CheckpointIdentity read_identity(torch::serialize::InputArchive& archive, const std::string& file) {
  c10::IValue value;
  if (!archive.try_read(kIdentityKey, value) || !value.isString()) damaged(file, "no identity record");
  CheckpointIdentity id;
  try {
    const nlohmann::json j = nlohmann::json::parse(value.toStringRef());
    if (j.at("format").get<std::string>() != kFormat) damaged(file, "format " + j.at("format").dump() + ", expected " + kFormat);
    id.model = j.at("model").get<std::string>();
    id.input = parse_input_shape(j.at("input").get<std::string>());
    id.classes = j.at("classes").get<int>();
    id.op = j.at("op").get<std::string>();
  } catch (const nlohmann::json::exception& e) {
    damaged(file, std::string("malformed identity record (") + e.what() + ")");
  }
  return id;
}

std::map<std::string, at::Tensor> read_stored_tensors(torch::serialize::InputArchive& archive, const std::string& file) {
  c10::IValue value;
  if (!archive.try_read(kTensorsKey, value) || !value.isGenericDict()) damaged(file, "no tensor record");
  std::map<std::string, at::Tensor> stored;
  for (const auto& entry : value.toGenericDict()) {
    if (!entry.key().isString() || !entry.value().isTensor()) damaged(file, "tensor record holds a non-tensor");
    stored[entry.key().toStringRef()] = entry.value().toTensor();
  }
  c10::IValue hash;
  if (!archive.try_read(kHashKey, hash) || !hash.isString()) damaged(file, "no content hash");
  if (content_hash(stored) != hash.toStringRef()) damaged(file, "its tensors do not match their sha256 (damaged file)");
  return stored;
}

void read_tensors(torch::serialize::InputArchive& archive, torch::nn::Module& net, const std::string& file) {
  const std::map<std::string, at::Tensor> stored = read_stored_tensors(archive, file);
  const std::map<std::string, at::Tensor> wanted = module_tensors(net);
  for (const auto& [name, tensor] : wanted) {
    const auto it = stored.find(name);
    if (it == stored.end()) damaged(file, "it has no tensor '" + name + "' (another network?)");
    if (it->second.sizes() != tensor.sizes() || it->second.dtype() != tensor.dtype())
      damaged(file, "tensor '" + name + "' is " + shape_text(it->second) + ", the network's is " + shape_text(tensor));
  }
  for (const auto& entry : stored)
    if (!wanted.count(entry.first)) damaged(file, "it has a tensor '" + entry.first + "' the network lacks (another network?)");
  torch::NoGradGuard no_grad;
  for (const auto& [name, tensor] : wanted) {
    at::Tensor target = tensor;
    target.copy_(stored.at(name));
  }
}

void check_identity(const CheckpointIdentity& found, const CheckpointIdentity& expected, const std::string& file) {
  if (found == expected) return;
  throw std::invalid_argument(file + ": the checkpoint holds " + describe(found) + "; this run needs " + describe(expected));
}

void save_checkpoint(const std::string& file, const torch::nn::Module& net, const CheckpointIdentity& id) {
  torch::serialize::OutputArchive archive;
  write_identity(archive, id);
  write_tensors(archive, net);
  spec::TempTarget target(file);
  save_archive(archive, target.temp(), file);
  target.commit();
}

CheckpointIdentity read_checkpoint_identity(const std::string& file) {
  torch::serialize::InputArchive archive;
  open_archive(archive, file);
  return read_identity(archive, file);
}

void load_checkpoint(const std::string& file, torch::nn::Module& net, const CheckpointIdentity& expected) {
  torch::serialize::InputArchive archive;
  open_archive(archive, file);
  check_identity(read_identity(archive, file), expected, file);
  read_tensors(archive, net, file);
}

}  // namespace enos::models
