// The dataset readers (datasets/) on small files written in the real formats, and on broken ones: every
// error names the file and what was expected.
#include <fstream>

#include "datasets/data_error.hpp"
#include "datasets/dataset_catalog.hpp"
#include "datasets_test_util.hpp"

#include <catch2/catch.hpp>

using namespace enos::datasets;
using Catch::Contains;

namespace {

template <class F>
void require_data_error(F&& f, const std::string& file, const std::string& fragment) {
  try {
    f();
  } catch (const DataError& e) {
    INFO("message: " << e.what());
    CHECK(e.file() == file);
    CHECK_THAT(e.what(), Contains(file + ": ") && Contains(fragment));
    return;
  }
  FAIL("no DataError; expected " << file << ": " << fragment);
}

void write_raw(const std::string& file, const std::string& bytes) { std::ofstream(file, std::ios::binary) << bytes; }

}  // namespace

TEST_CASE("CIFAR binary records round-trip", "[models][data]") {
  test::ScratchDir dir;
  CifarFormat format = cifar10_format();
  format.records = 7;
  const ImageSet written = test::synthetic_images(7, 3, 32, 32, 10);
  write_cifar_file(dir.file("b.bin"), format, written);
  ImageSet read;
  read_cifar_file(dir.file("b.bin"), format, read);
  read_cifar_file(dir.file("b.bin"), format, read);  // appends
  CHECK(read.count() == 14);
  CHECK(read.channels == 3);
  CHECK(std::equal(written.pixels.begin(), written.pixels.end(), read.pixels.begin()));
  CHECK(std::equal(written.labels.begin(), written.labels.end(), read.labels.begin() + 7));

  const CifarFormat c100 = cifar100_format(5);
  CHECK(c100.record_bytes() == 3074);
  const ImageSet fine = test::synthetic_images(5, 3, 32, 32, 100, 3);
  write_cifar_file(dir.file("c100.bin"), c100, fine);
  ImageSet read100;
  read_cifar_file(dir.file("c100.bin"), c100, read100);
  CHECK(read100.labels == fine.labels);  // the fine label, not the coarse one (written as 0)
}

TEST_CASE("broken CIFAR files name the file, the record size and the count", "[models][data]") {
  test::ScratchDir dir;
  const std::string file = dir.file("data_batch_1.bin");
  require_data_error([&] { ImageSet s; read_cifar_file(file, cifar10_format(), s); }, file, "cannot open");
  write_raw(file, std::string(3073 * 3 - 5, '\0'));  // truncated
  require_data_error([&] { ImageSet s; read_cifar_file(file, cifar10_format(), s); }, file,
                     "expected 10000 records of 3073 bytes");
  require_data_error([&] { ImageSet s; read_cifar_file(file, cifar10_format(), s); }, file, "got 9214 bytes");
  // A CIFAR-100 file read as CIFAR-10: the sizes differ.
  write_cifar_file(file, cifar100_format(2), test::synthetic_images(2, 3, 32, 32, 100));
  CifarFormat two = cifar10_format();
  two.records = 2;
  require_data_error([&] { ImageSet s; read_cifar_file(file, two, s); }, file, "records of 3073 bytes");
  // Right size, impossible label.
  ImageSet bad = test::synthetic_images(2, 3, 32, 32, 10);
  bad.labels[1] = 12;
  write_cifar_file(file, two, bad);
  require_data_error([&] { ImageSet s; read_cifar_file(file, two, s); }, file, "record 1: label 12 is outside 0..9");
}

TEST_CASE("idx files round-trip, gzipped or not", "[models][data]") {
  test::ScratchDir dir;
  const ImageSet written = test::synthetic_images(9, 1, 28, 28, 10);
  for (bool gzip : {true, false}) {
    write_idx_pair(dir.file("i"), dir.file("l"), written, gzip);
    const ImageSet read = read_idx_pair(dir.file("i"), dir.file("l"), 10);
    CHECK(read.count() == 9);
    CHECK(read.height == 28);
    CHECK(read.pixels == written.pixels);
    CHECK(read.labels == written.labels);
  }
}

TEST_CASE("broken idx files name the file, the magic number and the counts", "[models][data]") {
  test::ScratchDir dir;
  const std::string images = dir.file("train-images-idx3-ubyte.gz"), labels = dir.file("train-labels-idx1-ubyte.gz");
  const ImageSet set = test::synthetic_images(4, 1, 28, 28, 10);
  write_idx_pair(images, labels, set, true);
  require_data_error([&] { read_idx_pair(dir.file("none.gz"), labels, 10); }, dir.file("none.gz"), "cannot open");
  // Swapped: the labels file where the images are expected.
  require_data_error([&] { read_idx_pair(labels, images, 10); }, labels,
                     "expected magic number 0x00000803 (idx images), got 0x00000801");
  // A truncated payload (uncompressed, so the gzip layer does not notice).
  std::string text(16, '\0');
  text[3] = 0x03, text[2] = 0x08, text[7] = 4, text[11] = 28, text[15] = 28;
  write_raw(dir.file("short"), text + std::string(100, 'x'));
  require_data_error([&] { read_idx_pair(dir.file("short"), labels, 10); }, dir.file("short"),
                     "header announces 4 images of 784 bytes (3136 bytes after the header), got 100 bytes");
  // A truncated gzip stream.
  std::ifstream in(images, std::ios::binary);
  const std::string gz((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  write_raw(dir.file("cut.gz"), gz.substr(0, gz.size() / 2));
  require_data_error([&] { read_idx_pair(dir.file("cut.gz"), labels, 10); }, dir.file("cut.gz"), "gzip");
  // Counts that disagree.
  write_idx_pair(dir.file("i3"), dir.file("l3"), test::synthetic_images(3, 1, 28, 28, 10), true);
  require_data_error([&] { read_idx_pair(images, dir.file("l3"), 10); }, dir.file("l3"), "holds 3 labels but");
}

TEST_CASE("dataset names parse with and without a folder", "[models][data]") {
  CHECK(parse_dataset_ref("fashion-mnist").dir == "/usr/share/datasets/fashion-mnist");
  CHECK(parse_dataset_ref("fashion-mnist:/x").dir == "/x");
  const DatasetRef c = parse_dataset_ref("cifar100:/data/c100");
  CHECK(c.info.classes == 100);
  CHECK(c.dir == "/data/c100");
  CHECK_THROWS_WITH(parse_dataset_ref("cifar10"), Contains("cifar10:DIR") && Contains("data_batch_1.bin"));
  CHECK_THROWS_WITH(parse_dataset_ref("mnist:/x"), Contains("unknown dataset 'mnist'") && Contains("fashion-mnist"));
}

TEST_CASE("a missing CIFAR folder names the first file it needs", "[models][data]") {
  require_data_error([] { load_raw_dataset(parse_dataset_ref("cifar10:/nonexistent")); },
                     "/nonexistent/data_batch_1.bin", "cannot open");
  require_data_error([] { load_raw_dataset(parse_dataset_ref("cifar100:/nonexistent/")); },
                     "/nonexistent/train.bin", "cannot open");
}

TEST_CASE("Fashion-MNIST-format files of the wrong image size are refused", "[models][data]") {
  test::ScratchDir dir;
  for (const char* split : {"train", "t10k"})
    write_idx_pair(dir.file(std::string(split) + "-images-idx3-ubyte.gz"),
                   dir.file(std::string(split) + "-labels-idx1-ubyte.gz"), test::synthetic_images(3, 1, 32, 32, 10),
                   true);
  require_data_error([&] { load_raw_dataset(parse_dataset_ref("fashion-mnist:" + dir.path())); }, dir.path(),
                     "expected fashion-mnist images of 1×28×28");
}
