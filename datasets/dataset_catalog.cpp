#include "datasets/dataset_catalog.hpp"

#include <fstream>
#include <stdexcept>

#include "datasets/data_error.hpp"

namespace enos::datasets {
namespace {

std::string join_path(const std::string& dir, const std::string& file) {
  return dir.empty() || dir.back() == '/' ? dir + file : dir + "/" + file;
}

// Debian's dataset-fashion-mnist ships gzipped idx files; accept unpacked ones too.
std::string idx_file(const std::string& dir, const std::string& stem) {
  const std::string gz = join_path(dir, stem + ".gz");
  if (std::ifstream(gz).good() || !std::ifstream(join_path(dir, stem)).good()) return gz;
  return join_path(dir, stem);
}

ImageSet read_cifar10_split(const std::string& dir, bool train) {
  ImageSet set;
  if (!train) {
    read_cifar_file(join_path(dir, "test_batch.bin"), cifar10_format(), set);
    return set;
  }
  for (int b = 1; b <= 5; ++b)
    read_cifar_file(join_path(dir, "data_batch_" + std::to_string(b) + ".bin"), cifar10_format(), set);
  return set;
}

ImageSet read_cifar100_split(const std::string& dir, bool train) {
  ImageSet set;
  read_cifar_file(join_path(dir, train ? "train.bin" : "test.bin"), cifar100_format(train ? 50000 : 10000), set);
  return set;
}

ImageSet read_fashion_split(const std::string& dir, bool train) {
  const std::string prefix = train ? "train" : "t10k";
  return read_idx_pair(idx_file(dir, prefix + "-images-idx3-ubyte"), idx_file(dir, prefix + "-labels-idx1-ubyte"), 10);
}

}  // namespace

std::vector<DatasetInfo> dataset_catalog() {
  DatasetInfo c10{"cifar10", 10, {3, 32, 32}, "", {0.4914f, 0.4822f, 0.4465f}, {0.2470f, 0.2435f, 0.2616f}, 4, true,
                  "data_batch_1.bin … data_batch_5.bin, test_batch.bin (CIFAR-10 binary version)"};
  DatasetInfo c100{"cifar100", 100, {3, 32, 32}, "", {0.5071f, 0.4865f, 0.4409f}, {0.2673f, 0.2564f, 0.2762f}, 4, true,
                   "train.bin, test.bin (CIFAR-100 binary version)"};
  // Clothes are left-right symmetric enough for flips; crops would cut off the items' edges.
  DatasetInfo fm{"fashion-mnist", 10, {1, 28, 28}, "/usr/share/datasets/fashion-mnist", {0.2860f}, {0.3530f}, 0, true,
                 "train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, "
                 "t10k-labels-idx1-ubyte.gz (gzipped or not)"};
  return {c10, c100, fm};
}

DatasetRef parse_dataset_ref(const std::string& text) {
  const auto colon = text.find(':');
  const std::string name = text.substr(0, colon);
  std::string known;
  for (const DatasetInfo& info : dataset_catalog()) {
    known += (known.empty() ? "" : ", ") + info.name;
    if (info.name != name) continue;
    DatasetRef ref{info, colon == std::string::npos ? info.default_dir : text.substr(colon + 1)};
    if (ref.dir.empty())
      throw std::invalid_argument("dataset " + name + " needs its folder: " + name + ":DIR with " + info.files);
    return ref;
  }
  throw std::invalid_argument("unknown dataset '" + name + "' (known: " + known + ")");
}

ImageSet read_split(const DatasetRef& ref, bool train) {
  using Reader = ImageSet (*)(const std::string&, bool);
  const Reader read = ref.info.name == "cifar10"    ? read_cifar10_split
                      : ref.info.name == "cifar100" ? read_cifar100_split
                                                    : read_fashion_split;
  return read(ref.dir, train);
}

RawDataset load_raw_dataset(const DatasetRef& ref) {
  RawDataset raw{ref.info, read_split(ref, true), read_split(ref, false)};
  // idx files carry their own image size; the models are built for the catalog's.
  for (const ImageSet* set : {&raw.train, &raw.test})
    if (set->channels != ref.info.input.C || set->height != ref.info.input.H || set->width != ref.info.input.W)
      throw DataError(ref.dir, "expected " + ref.info.name + " images of " + spec::to_string(ref.info.input) +
                                   " (C×H×W), got " + std::to_string(set->channels) + "×" +
                                   std::to_string(set->height) + "×" + std::to_string(set->width));
  return raw;
}

}  // namespace enos::datasets
