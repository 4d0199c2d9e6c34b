#pragma once
// Dataset files as stored on disk, read without LibTorch: CIFAR-10/100 binary batches and
// (gzipped) idx files as Fashion-MNIST ships them. Every format problem is a DataError that
// names the file and what was expected (record size, magic number, count).
#include <cstdint>
#include <string>
#include <vector>

namespace enos::datasets {

// Images of one split: uint8 pixels, N×C×H×W row-major, one class label per image.
struct ImageSet {
  int channels = 0, height = 0, width = 0;
  std::vector<uint8_t> pixels;
  std::vector<uint8_t> labels;

  int64_t count() const { return int64_t(labels.size()); }
  int64_t image_bytes() const { return int64_t(channels) * height * width; }
};

// The CIFAR binary layout: records of `label_bytes` label bytes then 3 × 32 × 32 pixel bytes
// (all red, then green, then blue, each row-major), `records` records a file.
struct CifarFormat {
  int label_bytes = 1;     // CIFAR-100: 2 (coarse label, then fine label)
  int label_index = 0;     // which label byte is the class (CIFAR-100: 1, the fine label)
  int classes = 10;
  int64_t records = 10000;

  static constexpr int kPixelBytes = 3 * 32 * 32;
  int64_t record_bytes() const { return label_bytes + kPixelBytes; }
};
CifarFormat cifar10_format();                            // 10000 records a file
CifarFormat cifar100_format(int64_t records);            // train.bin 50000, test.bin 10000

// Appends one file's records to `set` (which must be empty or 3×32×32).
void read_cifar_file(const std::string& file, const CifarFormat& format, ImageSet& set);

// idx files (big-endian header: magic 0x00000803 + count + rows + cols for images, 0x00000801 +
// count for labels), gzipped or not (zlib reads both). Image and label counts must agree.
ImageSet read_idx_pair(const std::string& images_file, const std::string& labels_file, int classes);

// Writers of the same formats, for tests and tools that make small files.
void write_cifar_file(const std::string& file, const CifarFormat& format, const ImageSet& set);
void write_idx_pair(const std::string& images_file, const std::string& labels_file, const ImageSet& set,
                    bool gzip);

}  // namespace enos::datasets
