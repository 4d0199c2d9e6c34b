// Two vocabularies with one home each in the sources: the export format's JSON keys
// (spec/export_format.cpp) and the names of counted actions (spec/actions.hpp). A second
// spelling elsewhere is how a writer and a reader drift apart, so the sources are searched.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

// Every non-test source file, as a path relative to the source tree.
std::vector<std::string> sources() {
  std::vector<std::string> out;
  for (const char* folder : {"pe", "spec", "noc", "dataflow", "energy", "sim", "characterize", "datasets", "replay",
                             "explore", "models", "search", "tools", "bench", "fuzz"}) {
    const fs::path root = fs::path(ENOS_SOURCE_DIR) / folder;
    if (!fs::exists(root)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
      const std::string ext = entry.path().extension().string();
      if (entry.is_regular_file() && (ext == ".cpp" || ext == ".hpp"))
        out.push_back(fs::relative(entry.path(), ENOS_SOURCE_DIR).generic_string());
    }
  }
  return out;
}

std::string text_of(const std::string& relative) {
  std::ifstream in(fs::path(ENOS_SOURCE_DIR) / relative);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("the export format's keys are spelled in spec/export_format.cpp only", "[spec][export]") {
  const std::vector<std::string> keys = {"\"enos-mapping/1\"", "\"enos-qnet/1\"", "\"input_multipliers\"",
                                         "\"weight_scale\"", "\"input_rescale\"", "\"act_scale\""};
  int files = 0;
  for (const std::string& file : sources()) {
    if (file == "spec/export_format.cpp") continue;
    const std::string text = text_of(file);
    for (const std::string& key : keys) {
      INFO(file << " spells " << key);
      CHECK(text.find(key) == std::string::npos);
    }
    ++files;
  }
  REQUIRE(files > 100);
  // The four places that write or read an export go through it.
  CHECK(text_of("search/export.cpp").find("spec::to_json(mapping)") != std::string::npos);
  CHECK(text_of("replay/testgen.cpp").find("spec::to_json(b.network)") != std::string::npos);
  CHECK(text_of("replay/export.cpp").find("spec::parse_export_mapping(") != std::string::npos);
  CHECK(text_of("explore/sweep.cpp").find("spec::read_mapped_operators(") != std::string::npos);
}

TEST_CASE("counted actions are named in spec/actions.hpp only", "[spec][actions]") {
  const std::vector<std::string> names = {
      "\"dram.", "\"glb.read.", "\"glb.write.", "\"spad.read.", "\"spad.write.", "\"noc.hop.",
      "\"pe.op.", "\"pe.gated.", "\"ppu.op."};
  for (const std::string& file : sources()) {
    if (file == "spec/actions.hpp") continue;
    const std::string text = text_of(file);
    for (const std::string& name : names) {
      INFO(file << " spells " << name);
      CHECK(text.find(name) == std::string::npos);
    }
  }
}
