#include "tools/shared_options.hpp"

#include <algorithm>
#include <filesystem>
#include <thread>
#include <utility>
#include <stdexcept>

#include <boost/program_options.hpp>

#include "datasets/dataset_catalog.hpp"
#include "pe/candidate.hpp"
#include "spec/json_reader.hpp"
#include "tools/option_values.hpp"

namespace po = boost::program_options;

namespace enos::tools {
namespace {

void check_dataset(const std::string& text) {
  if (text.empty()) return;
  try {
    datasets::parse_dataset_ref(text);
  } catch (const std::invalid_argument& e) {
    throw spec::SpecError("--dataset", text, e.what());
  }
}

void check_count(const std::string& option, int64_t value) {
  if (value < 0) throw spec::SpecError(option, std::to_string(value), "must be ≥ 0 (0: all)");
}

void check_threads(int threads) {
  if (threads < 0 || threads > kMaxThreads)
    throw spec::SpecError("--threads", std::to_string(threads),
                          "must be 0 (every core) … " + std::to_string(kMaxThreads));
}

void check_jobs(int jobs) {
  if (jobs < 1 || jobs > kMaxJobs)
    throw spec::SpecError("--jobs", std::to_string(jobs), "must be 1 … " + std::to_string(kMaxJobs));
}

void check_pin(const std::string& pin) {
  if (pin == "none") return;
  try {
    pe::parse_candidate(pin);
  } catch (const std::invalid_argument& e) {
    throw spec::SpecError("--pin-first-last", pin, std::string(e.what()) + " (or none)");
  }
}

}  // namespace

SharedOptions::SharedOptions(std::initializer_list<SharedOption> taken, SharedOptionValues defaults)
    : values_(std::move(defaults)) {
  for (SharedOption o : taken) taken_ |= unsigned(o);
}

void SharedOptions::declare(po::options_description& d) {
  SharedOptionValues& v = values_;
  auto add = d.add_options();
  if (takes(SharedOption::Dataset))
    add("dataset", po::value(&v.dataset), "cifar10:DIR, cifar100:DIR (binary versions) or fashion-mnist[:DIR]");
  if (takes(SharedOption::TrainLimit))
    add("train-limit", po::value(&v.train_limit)->default_value(v.train_limit),
        "use the first N training examples (0: all)");
  if (takes(SharedOption::TestLimit))
    add("test-limit", po::value(&v.test_limit)->default_value(v.test_limit), "use the first N test examples (0: all)");
  if (takes(SharedOption::Threads))
    add("threads", po::value(&v.threads)->default_value(v.threads), "intra-op threads (0: every core)");
  if (takes(SharedOption::Seed))
    add("seed", po::value(&v.seed)->default_value(v.seed), "seed of everything random (0 … 2^64−1)");
  if (takes(SharedOption::Pin))
    add("pin-first-last", po::value(&v.pin)->default_value(v.pin),
        "candidate of the first and last MAC layers, or none");
  if (takes(SharedOption::Arch)) add("arch", po::value(&v.arch)->default_value(v.arch), "architecture JSON");
  if (takes(SharedOption::EnergyTable))
    add("energy-table", po::value(&v.energy_table), "energy table JSON (default: the one the architecture names)");
  if (takes(SharedOption::Jobs)) add("jobs", po::value(&v.jobs)->default_value(v.jobs), "worker processes");
}

void SharedOptions::check() const {
  if (takes(SharedOption::Dataset)) check_dataset(values_.dataset);
  if (takes(SharedOption::TrainLimit)) check_count("--train-limit", values_.train_limit);
  if (takes(SharedOption::TestLimit)) check_count("--test-limit", values_.test_limit);
  if (takes(SharedOption::Threads)) check_threads(values_.threads);
  if (takes(SharedOption::Seed)) seed();
  if (takes(SharedOption::Pin)) check_pin(values_.pin);
  if (takes(SharedOption::Jobs)) check_jobs(values_.jobs);
}

uint64_t SharedOptions::seed() const { return parse_seed(values_.seed, "--seed"); }

spec::ArchSpec SharedOptions::load_arch() const {
  spec::ArchSpec arch = spec::load_arch(values_.arch);
  if (!values_.energy_table.empty()) arch.energy_table = values_.energy_table;
  return arch;
}

SharedOptions training_options(SharedOptionValues defaults) {
  return SharedOptions({SharedOption::Dataset, SharedOption::TrainLimit, SharedOption::TestLimit, SharedOption::Threads,
                        SharedOption::Seed, SharedOption::Pin},
                       std::move(defaults));
}

SharedOptionValues default_jobs() {
  SharedOptionValues v;
  v.jobs = std::clamp(int(std::thread::hardware_concurrency()), 1, kMaxJobs);
  return v;
}

void create_output_folder(const std::string& dir) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) throw std::invalid_argument(dir + ": cannot create the output folder: " + error.message());
}

}  // namespace enos::tools
