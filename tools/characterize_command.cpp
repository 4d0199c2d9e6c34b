// `enos characterize`: the per-layer energy/latency LUT of a workload on an architecture,
// every entry measured on the SystemC model, in parallel worker processes, through a cache.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <thread>

#include <boost/program_options.hpp>

#include "characterize/check.hpp"
#include "characterize/lut_cache.hpp"
#include "characterize/plan.hpp"
#include "spec/json_reader.hpp"
#include "spec/output_files.hpp"
#include "tools/cli.hpp"
#include "tools/shared_options.hpp"
#include "tools/option_values.hpp"
#include "tools/progress.hpp"

namespace po = boost::program_options;

namespace enos::tools {
namespace {

struct CharacterizeOptions {
  characterize::WorkloadSource workload;
  std::string candidates, out, cache;
  bool check = false;
  SharedOptions shared{{SharedOption::Arch, SharedOption::EnergyTable, SharedOption::Seed, SharedOption::Jobs},
                       default_jobs()};
};

po::options_description characterize_options(CharacterizeOptions& o) {
  po::options_description d(
      "enos characterize --arch A.json (--model NAME | --workload W.json) [options] --out lut.json\n\n"
      "Runs every MAC layer x operator candidate on the SystemC model and writes the energy/latency\n"
      "lookup table (lut.json and lut.csv). Entries are cached; a re-run simulates only what changed.\n\noptions");
  d.add_options()("help,h", "print this help")(
      "model", po::value(&o.workload.model), "a shipped model's workload (configs/workloads/<model>_<input>.json)")(
      "input", po::value(&o.workload.input)->default_value("32x32x3"), "input shape HxWxC for --model")(
      "classes", po::value(&o.workload.classes)->default_value(10),
      "classes of the model's classifier, with --model (100 for CIFAR-100: <model>_<input>_100classes.json)")(
      "workload", po::value(&o.workload.file), "workload JSON")(
      "candidates", po::value(&o.candidates), "comma-separated operator candidates (default: every mode of the PE)")(
      "check", po::bool_switch(&o.check), "compare the analytical model with the SystemC model per entry")(
      "cache", po::value(&o.cache)->default_value(characterize::default_cache_dir()), "cache folder")(
      "out", po::value(&o.out)->required(), "the LUT JSON to write (the CSV goes beside it)");
  o.shared.declare(d);
  return d;
}

std::string csv_path(const std::string& json_path) {
  const std::string ext = ".json";
  if (json_path.size() > ext.size() && json_path.compare(json_path.size() - ext.size(), ext.size(), ext) == 0)
    return json_path.substr(0, json_path.size() - ext.size()) + ".csv";
  return json_path + ".csv";
}

// Both files or neither (spec::OutputFiles), each written atomically.
void write_outputs(const energy::Lut& lut, const std::string& out) {
  std::ostringstream csv;
  energy::write_lut_csv(lut, csv);
  spec::OutputFiles files;
  files.add(out, energy::to_json(lut).dump(1) + "\n");
  files.add(csv_path(out), csv.str());
  files.publish();
}

void print_totals(const energy::Lut& lut, const characterize::CharacterizeRun& run, double seconds) {
  std::printf("LUT of %s on %s (%.0f MHz, %d nm, energy table %s, hash %s)\n", lut.workload.name.c_str(),
              lut.architecture.name.c_str(), lut.clock_mhz, lut.technology_nm,
              lut.energy_table.name.c_str(), lut.energy_table.hash.c_str());
  std::printf("%zu MAC layers x %zu candidates: %d distinct entries, %d from the cache, %d simulated",
              lut.layers.size(), lut.candidates.size(), run.distinct, run.cache_hits, run.simulated);
  if (run.corrupt) std::printf(", %d corrupt cache entries rebuilt", run.corrupt);
  std::printf(" in %.2f s\n", seconds);
  for (const std::string& c : lut.candidates)
    std::printf("  %-12s %12.3f µJ per inference (every layer in this candidate)\n", c.c_str(),
                lut.total_energy_pj(c) / 1e6);
}

int run_characterize(const CharacterizeOptions& o) {
  const auto t0 = std::chrono::steady_clock::now();
  o.shared.check();
  const SharedOptionValues& v = o.shared.values();
  const uint64_t seed = o.shared.seed();
  characterize::CharacterizeInputs in =
      characterize::load_characterize_inputs(v.arch, v.energy_table, o.workload, o.candidates);
  // Where the LUT goes, checked before the work: a folder or an unwritable place is refused now.
  spec::OutputFiles writable;
  writable.check(o.out, "--out");
  writable.check(csv_path(o.out), "--out");
  characterize::LutCache cache(o.cache);
  characterize::CharacterizeRun run = characterize::plan_characterization(in, cache);

  ProgressBar bar("characterize");
  bool bad_input = false;
  const std::string failure = characterize::run_missing(
      in, run, cache, v.jobs, seed, [&](int done, int total) { bar.update(done, total); }, &bad_input);
  bar.finish();
  if (!failure.empty() && bad_input) throw std::invalid_argument(failure);
  if (!failure.empty()) throw std::runtime_error("characterization failed: " + failure);

  const energy::Lut lut = characterize::assemble_lut(in, run, cache);
  write_outputs(lut, o.out);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  print_totals(lut, run, seconds);
  std::printf("wrote %s and %s\n", o.out.c_str(), csv_path(o.out).c_str());
  if (o.check && !characterize::check_against_analytical(in, run, cache, std::cout)) return kCheckFailed;
  return kOk;
}

}  // namespace

int characterize_command(const Args& args) {
  return guarded("characterize", [&] {
    CharacterizeOptions o;
    if (!parse_options(args, characterize_options(o))) return int(kOk);
    return run_characterize(o);
  });
}

}  // namespace enos::tools
