#include "tools/cli.hpp"

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <stdexcept>

#include <iostream>

#include <boost/program_options.hpp>

#include "dataflow/mapper.hpp"
#include "spec/json_reader.hpp"

namespace enos::tools {

int guarded(const std::string& command, const std::function<int()>& body) {
  try {
    return body();
  } catch (const spec::SpecError& e) {
    std::fprintf(stderr, "enos %s: error: %s\n", command.c_str(), e.what());
  } catch (const dataflow::MappingError& e) {
    std::fprintf(stderr, "enos %s: error: %s\n", command.c_str(), e.what());
  } catch (const boost::program_options::error& e) {
    std::fprintf(stderr, "enos %s: error: %s (see 'enos %s --help')\n", command.c_str(), e.what(),
                 command.c_str());
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "enos %s: error: %s\n", command.c_str(), e.what());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "enos %s: internal error: %s\n", command.c_str(), e.what());
    return kInternalError;
  }
  return kBadInput;
}

bool parse_options(const Args& args, const boost::program_options::options_description& options,
                   boost::program_options::variables_map* parsed) {
  namespace po = boost::program_options;
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(options).run(), vm);
  if (vm.count("help")) {
    std::cout << options << "\n";
    return false;
  }
  po::notify(vm);
  if (parsed) *parsed = std::move(vm);
  return true;
}

std::string zoo_dir() {
  if (const char* env = std::getenv("ENOS_ZOO_DIR")) return env;
  return ENOS_ZOO_DIR;
}

}  // namespace enos::tools
