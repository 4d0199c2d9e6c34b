#pragma once
// The test split of a dataset named NAME[:DIR] (models/dataset_catalog.hpp), read without
// LibTorch: only the test files are opened.
#include <string>

#include "datasets/image_set.hpp"
#include "spec/workload.hpp"

namespace enos::replay {

struct TestImages {
  std::string name, dir;
  datasets::ImageSet set;
};

// Throws std::invalid_argument (datasets::DataError for a bad file) — exit code 2.
TestImages load_test_images(const std::string& name_and_dir);

// The pixels of image i, [C][H][W].
std::vector<uint8_t> image_pixels(const datasets::ImageSet& set, int64_t i);

// SpecError when the images do not have the network's input shape.
void check_input_shape(const TestImages& images, const spec::FeatureShape& input, const std::string& mapping_file);

}  // namespace enos::replay
