#include "replay/dataset.hpp"

#include <fstream>

#include "datasets/dataset_catalog.hpp"
#include "spec/json_reader.hpp"

namespace enos::replay {
namespace {

std::string join(const std::string& dir, const std::string& file) {
  return dir.empty() || dir.back() == '/' ? dir + file : dir + "/" + file;
}

// Debian's dataset-fashion-mnist ships gzipped idx files; unpacked ones work too (as in models/).
std::string idx_file(const std::string& dir, const std::string& stem) {
  const std::string gz = join(dir, stem + ".gz");
  if (std::ifstream(gz).good() || !std::ifstream(join(dir, stem)).good()) return gz;
  return join(dir, stem);
}

}  // namespace

TestImages load_test_images(const std::string& name_and_dir) {
  const datasets::DatasetRef ref = datasets::parse_dataset_ref(name_and_dir);
  TestImages t{ref.info.name, ref.dir, {}};
  if (ref.info.name == "cifar10")
    datasets::read_cifar_file(join(ref.dir, "test_batch.bin"), datasets::cifar10_format(), t.set);
  else if (ref.info.name == "cifar100")
    datasets::read_cifar_file(join(ref.dir, "test.bin"), datasets::cifar100_format(10000), t.set);
  else
    t.set = datasets::read_idx_pair(idx_file(ref.dir, "t10k-images-idx3-ubyte"), idx_file(ref.dir, "t10k-labels-idx1-ubyte"),
                                  ref.info.classes);
  return t;
}

std::vector<uint8_t> image_pixels(const datasets::ImageSet& set, int64_t i) {
  const int64_t n = set.image_bytes();
  const auto first = set.pixels.begin() + std::ptrdiff_t(i * n);
  return std::vector<uint8_t>(first, first + std::ptrdiff_t(n));
}

void check_input_shape(const TestImages& images, const spec::FeatureShape& input, const std::string& mapping_file) {
  const spec::FeatureShape got{images.set.channels, images.set.height, images.set.width};
  if (got != input)
    throw spec::SpecError(mapping_file, "mapping.workload.input",
                          "the network reads " + spec::to_string(input) + " but dataset " + images.name + " has " +
                              spec::to_string(got) + " images");
}

}  // namespace enos::replay
