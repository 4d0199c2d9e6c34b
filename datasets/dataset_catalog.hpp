#pragma once
// The datasets `enos train` knows, named on the command line as NAME[:DIR], and how their
// files are laid out. Reading only: LibTorch tensors are made in models/data.hpp.
#include <string>
#include <vector>

#include "datasets/image_set.hpp"
#include "spec/workload.hpp"

namespace enos::datasets {

struct DatasetInfo {
  std::string name;                 // "cifar10", "cifar100", "fashion-mnist"
  int classes = 10;
  spec::FeatureShape input;         // C, H, W of one image
  std::string default_dir;          // empty: the user must give DIR
  std::vector<float> mean, stddev;  // per channel over the training set, pixels scaled to [0, 1]
  int crop_pad = 0;                 // augmentation: random crop after zero padding by this much
  bool flip = false;                // augmentation: random horizontal flip
  std::string files;                // what the folder must hold, for help and errors
};

std::vector<DatasetInfo> dataset_catalog();

struct DatasetRef {
  DatasetInfo info;
  std::string dir;
};
// "cifar10:/data/cifar10", "fashion-mnist" (default folder). std::invalid_argument for an
// unknown name or a missing DIR where there is no default.
DatasetRef parse_dataset_ref(const std::string& text);

struct RawDataset {
  DatasetInfo info;
  ImageSet train, test;
};
// Reads every file of both splits; DataError on the first bad one.
RawDataset load_raw_dataset(const DatasetRef& ref);
// One split's files as stored (no check of the image size against the catalog's: the replay's
// test exports use small synthetic inputs); DataError on the first bad one.
ImageSet read_split(const DatasetRef& ref, bool train);

}  // namespace enos::datasets
