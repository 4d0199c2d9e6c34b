// The configuration of `enos run` (tools/run_config.cpp), read from a file as the command does.
#include "fuzz_util.hpp"
#include "tools/run_config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  using namespace enos;
  const std::string file = fuzz::scratch_dir() + "/run.json";
  fuzz::write_file(file, fuzz::text_of(data, size));
  fuzz::expect_value_or_spec_error([&] { (void)tools::load_run_config(file); });
  return 0;
}
