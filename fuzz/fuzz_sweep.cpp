// The sweep of `enos explore` (explore/sweep.cpp), read from a file as the command does.
// The file sits in a scratch "sweeps" folder beside links to the shipped arch, area, energy and
// workloads folders, so the shipped sweeps (the corpus) find their files by relative path.
#include <filesystem>

#include "explore/sweep.hpp"
#include "fuzz_util.hpp"
#include "spec/arch.hpp"
#include "spec/config_files.hpp"

namespace {

std::string sweep_file() {
  namespace fs = std::filesystem;
  const std::string root = enos::fuzz::scratch_dir() + "/configs";
  fs::create_directories(root + "/sweeps");
  std::error_code ec;
  for (const char* dir : {"arch", "area", "energy", "workloads"})
    fs::create_directory_symlink(enos::spec::config_dir() + "/" + dir, root + "/" + dir, ec);
  // The shipped sweeps' own neighbours (a mapped network's mapping.json).
  for (const fs::directory_entry& f : fs::directory_iterator(enos::spec::config_dir() + "/sweeps", ec))
    fs::create_symlink(f.path(), root + "/sweeps/" + f.path().filename().string(), ec);
  return root + "/sweeps/fuzz.json";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  using namespace enos;
  static const std::string file = sweep_file();
  fuzz::write_file(file, fuzz::text_of(data, size));
  fuzz::expect_value_or_spec_error([&] {
    const explore::Sweep sweep = explore::load_sweep(file);
    // The first and last points are built as `enos explore` builds every point.
    const explore::SweepPoint first = explore::make_point(sweep, 0);
    (void)explore::make_point(sweep, sweep.points - 1);
    // A point's architecture may be invalid (explore lists it with its reason): a SpecError.
    (void)spec::parse_arch(first.arch_doc, file);
  });
  return 0;
}
