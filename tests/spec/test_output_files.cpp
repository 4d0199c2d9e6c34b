// Outputs written together or not at all (spec/output_files.hpp), issue 18 case 9.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "spec/output_files.hpp"
#include "spec_test_util.hpp"

namespace fs = std::filesystem;
using enos::spec::OutputFiles;
using enos::spec::OutputFolder;
using enos::spec::test::require_spec_error;

namespace {

std::string read(const std::string& file) {
  std::ifstream f(file);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

// Files in `dir` (temporary leftovers included).
std::size_t entries(const std::string& dir) {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
  return n;
}

std::string fresh_dir(const std::string& name) {
  fs::remove_all(name);
  fs::create_directories(name);
  return name;
}

}  // namespace

TEST_CASE("OutputFiles publishes every file, and leaves no temporary file", "[spec][outputs]") {
  const std::string dir = fresh_dir("outputs_all");
  {
    OutputFiles out;
    out.check(dir + "/a.json", "--out");
    out.add(dir + "/a.json", "A");
    out.add(dir + "/b.csv", "B");
    out.publish();
  }
  CHECK(read(dir + "/a.json") == "A");
  CHECK(read(dir + "/b.csv") == "B");
  CHECK(entries(dir) == 2);
}

TEST_CASE("OutputFiles writes nothing when one file cannot be written", "[spec][outputs]") {
  const std::string dir = fresh_dir("outputs_none");
  std::ofstream(dir + "/a.json") << "old";
  {
    OutputFiles out;
    out.add(dir + "/a.json", "new");
    out.add(dir + "/missing/b.csv", "B");
    require_spec_error([&] { out.publish(); }, "(file)", "cannot open for writing");
  }
  CHECK(read(dir + "/a.json") == "old");  // the older file is untouched
  CHECK(entries(dir) == 1);               // and no temporary file is left
}

TEST_CASE("OutputFiles::check refuses folders, missing folders and the same file twice", "[spec][outputs]") {
  const std::string dir = fresh_dir("outputs_check");
  OutputFiles out;
  require_spec_error([&] { out.check(dir, "--out"); }, dir, "is a folder");
  require_spec_error([&] { out.check(dir + "/no/such/file.json", "--trace"); }, dir + "/no/such/file.json",
                     "cannot write there");
  out.check(dir + "/report.json", "--out");
  require_spec_error([&] { out.check(dir + "/./report.json", "--trace"); }, dir + "/./report.json",
                     "is also where --out writes");
}

TEST_CASE("OutputFolder creates its folder and removes it again unless kept", "[spec][outputs]") {
  fs::remove_all("outputs_folder");
  fs::create_directories("outputs_folder");
  { OutputFolder f("outputs_folder/a/b", "--out"); CHECK(fs::is_directory("outputs_folder/a/b")); }
  CHECK_FALSE(fs::exists("outputs_folder/a"));  // both levels it made
  CHECK(fs::exists("outputs_folder"));          // not the one that was there
  {
    OutputFolder f("outputs_folder/c", "--out");
    f.keep();
  }
  CHECK(fs::is_directory("outputs_folder/c"));
  std::ofstream("outputs_folder/file") << "x";
  require_spec_error([] { OutputFolder f("outputs_folder/file", "--out"); }, "outputs_folder/file", "exists and is not a folder");
}
