#include "datasets/image_set.hpp"

#include <array>
#include <fstream>
#include <iterator>

#include <zlib.h>

#include "datasets/data_error.hpp"

namespace enos::datasets {
namespace {

constexpr uint32_t kIdxImagesMagic = 0x00000803;  // unsigned byte, 3 dimensions
constexpr uint32_t kIdxLabelsMagic = 0x00000801;  // unsigned byte, 1 dimension

std::string hex(uint32_t v) {
  char text[16];
  std::snprintf(text, sizeof text, "0x%08x", v);
  return text;
}

std::vector<uint8_t> read_plain(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw DataError(file, "cannot open (missing file?)");
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// zlib reads gzip streams and, transparently, uncompressed files.
std::vector<uint8_t> read_maybe_gzip(const std::string& file) {
  gzFile gz = gzopen(file.c_str(), "rb");
  if (!gz) throw DataError(file, "cannot open (missing file?)");
  std::vector<uint8_t> data;
  std::array<uint8_t, 1 << 16> chunk;
  int n = 0;
  while ((n = gzread(gz, chunk.data(), unsigned(chunk.size()))) > 0) data.insert(data.end(), chunk.begin(), chunk.begin() + n);
  // zlib reports a cut-off stream as Z_BUF_ERROR after returning what it could decompress.
  int code = Z_OK;
  const std::string reason = gzerror(gz, &code);
  gzclose(gz);
  if (n < 0 || code != Z_OK) throw DataError(file, "corrupt or truncated gzip data (" + reason + ")");
  return data;
}

uint32_t big_endian_u32(const std::vector<uint8_t>& d, std::size_t at) {
  return uint32_t(d[at]) << 24 | uint32_t(d[at + 1]) << 16 | uint32_t(d[at + 2]) << 8 | uint32_t(d[at + 3]);
}

void put_u32(std::vector<uint8_t>& d, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) d.push_back(uint8_t(v >> shift));
}

void check_label(const std::string& file, int64_t index, int label, int classes) {
  if (label >= classes)
    throw DataError(file, "record " + std::to_string(index) + ": label " + std::to_string(label) +
                              " is outside 0.." + std::to_string(classes - 1) + " (wrong dataset or format?)");
}

// Header of one idx file: checks the magic number and that the payload is complete.
struct IdxFile {
  std::vector<uint8_t> data;
  uint32_t count = 0, rows = 1, cols = 1;
  std::size_t header = 8;
};

IdxFile read_idx(const std::string& file, uint32_t magic, const char* what) {
  IdxFile f{read_maybe_gzip(file)};
  const bool images = magic == kIdxImagesMagic;
  f.header = images ? 16 : 8;
  if (f.data.size() >= 4 && big_endian_u32(f.data, 0) != magic)
    throw DataError(file, std::string("expected magic number ") + hex(magic) + " (idx " + what + "), got " +
                              hex(big_endian_u32(f.data, 0)));
  if (f.data.size() < f.header)
    throw DataError(file, "too short for an idx header (" + std::to_string(f.header) + " bytes), got " +
                              std::to_string(f.data.size()) + " bytes");
  f.count = big_endian_u32(f.data, 4);
  if (images) f.rows = big_endian_u32(f.data, 8), f.cols = big_endian_u32(f.data, 12);
  if (f.rows == 0 || f.cols == 0 || f.rows > 4096 || f.cols > 4096)
    throw DataError(file, "implausible image size " + std::to_string(f.rows) + "×" + std::to_string(f.cols));
  const uint64_t payload = uint64_t(f.count) * f.rows * f.cols;
  if (f.data.size() - f.header != payload)
    throw DataError(file, "header announces " + std::to_string(f.count) + " " + what + " of " +
                              std::to_string(f.rows * f.cols) + " bytes (" + std::to_string(payload) +
                              " bytes after the header), got " + std::to_string(f.data.size() - f.header) +
                              " bytes (truncated?)");
  return f;
}

void write_bytes(const std::string& file, const std::vector<uint8_t>& data, bool gzip) {
  if (!gzip) {
    std::ofstream out(file, std::ios::binary);
    out.write(reinterpret_cast<const char*>(data.data()), std::streamsize(data.size()));
    if (!out) throw DataError(file, "cannot write");
    return;
  }
  gzFile gz = gzopen(file.c_str(), "wb");
  if (!gz) throw DataError(file, "cannot open for writing");
  const bool ok = data.empty() || gzwrite(gz, data.data(), unsigned(data.size())) == int(data.size());
  if (gzclose(gz) != Z_OK || !ok) throw DataError(file, "cannot write");
}

}  // namespace

CifarFormat cifar10_format() { return CifarFormat{}; }

CifarFormat cifar100_format(int64_t records) {
  CifarFormat f;
  f.label_bytes = 2, f.label_index = 1, f.classes = 100, f.records = records;
  return f;
}

void read_cifar_file(const std::string& file, const CifarFormat& format, ImageSet& set) {
  const std::vector<uint8_t> data = read_plain(file);
  const int64_t record = format.record_bytes();
  const int64_t expected = format.records * record;
  if (int64_t(data.size()) != expected)
    throw DataError(file, "expected " + std::to_string(format.records) + " records of " + std::to_string(record) +
                              " bytes (" + std::to_string(format.label_bytes) + " label byte(s) + " +
                              std::to_string(CifarFormat::kPixelBytes) + " pixel bytes) = " + std::to_string(expected) +
                              " bytes, got " + std::to_string(data.size()) + " bytes");
  set.channels = 3, set.height = 32, set.width = 32;
  set.pixels.reserve(set.pixels.size() + std::size_t(format.records * CifarFormat::kPixelBytes));
  for (int64_t i = 0; i < format.records; ++i) {
    const uint8_t* r = data.data() + i * record;
    check_label(file, i, r[format.label_index], format.classes);
    set.labels.push_back(r[format.label_index]);
    set.pixels.insert(set.pixels.end(), r + format.label_bytes, r + record);
  }
}

ImageSet read_idx_pair(const std::string& images_file, const std::string& labels_file, int classes) {
  const IdxFile images = read_idx(images_file, kIdxImagesMagic, "images");
  const IdxFile labels = read_idx(labels_file, kIdxLabelsMagic, "labels");
  if (images.count != labels.count)
    throw DataError(labels_file, "holds " + std::to_string(labels.count) + " labels but " + images_file + " holds " +
                                     std::to_string(images.count) + " images");
  ImageSet set;
  set.channels = 1, set.height = int(images.rows), set.width = int(images.cols);
  set.pixels.assign(images.data.begin() + long(images.header), images.data.end());
  set.labels.assign(labels.data.begin() + long(labels.header), labels.data.end());
  for (std::size_t i = 0; i < set.labels.size(); ++i) check_label(labels_file, int64_t(i), set.labels[i], classes);
  return set;
}

void write_cifar_file(const std::string& file, const CifarFormat& format, const ImageSet& set) {
  std::vector<uint8_t> data;
  for (int64_t i = 0; i < set.count(); ++i) {
    for (int b = 0; b < format.label_bytes; ++b) data.push_back(b == format.label_index ? set.labels[i] : 0);
    const auto first = set.pixels.begin() + long(i * set.image_bytes());
    data.insert(data.end(), first, first + long(set.image_bytes()));
  }
  write_bytes(file, data, false);
}

void write_idx_pair(const std::string& images_file, const std::string& labels_file, const ImageSet& set, bool gzip) {
  std::vector<uint8_t> images, labels;
  put_u32(images, kIdxImagesMagic), put_u32(images, uint32_t(set.count()));
  put_u32(images, uint32_t(set.height)), put_u32(images, uint32_t(set.width));
  images.insert(images.end(), set.pixels.begin(), set.pixels.end());
  put_u32(labels, kIdxLabelsMagic), put_u32(labels, uint32_t(set.count()));
  labels.insert(labels.end(), set.labels.begin(), set.labels.end());
  write_bytes(images_file, images, gzip);
  write_bytes(labels_file, labels, gzip);
}

}  // namespace enos::datasets
