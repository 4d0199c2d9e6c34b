#include "replay/dataset.hpp"

#include "datasets/dataset_catalog.hpp"
#include "spec/json_reader.hpp"

namespace enos::replay {

TestImages load_test_images(const std::string& name_and_dir) {
  const datasets::DatasetRef ref = datasets::parse_dataset_ref(name_and_dir);
  return {ref.info.name, ref.dir, datasets::read_split(ref, false)};
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
