#pragma once
// What `enos characterize` computes: the distinct (layer shape, pinned mapping, candidate)
// entries of a workload, which of them the cache already holds, and the LUT assembled from
// the cache once every entry is there.
#include <functional>
#include <string>
#include <vector>

#include "characterize/characterize.hpp"
#include "characterize/lut_cache.hpp"
#include "energy/lut.hpp"
#include "energy/table.hpp"
#include "spec/arch.hpp"
#include "spec/workload.hpp"

namespace enos::characterize {

struct CharacterizeInputs {
  spec::ArchSpec arch;
  energy::EnergyTable table;
  spec::Workload workload;
  std::vector<pe::Candidate> candidates;
};

// The workload to characterize: a file, or a shipped model's (spec::model_workload_file).
struct WorkloadSource {
  std::string file;                 // --workload
  std::string model;                // --model
  std::string input = "32x32x3";    // --input, with --model
  int classes = 10;                 // --classes, with --model
};

// Loads and validates everything, including what a worker would refuse (an operator the
// energy table cannot price, a layer beyond the limits); every mistake is a SpecError (exit 2).
CharacterizeInputs load_characterize_inputs(const std::string& arch_file, const std::string& table_file,
                                            const WorkloadSource& workload, const std::string& candidates);

struct WorkItem {
  CharacterizeItem item;
  std::string key;  // the cache key: everything the entry depends on
  // The first workload layer with this entry (index into workload.layers), for messages:
  // a layer the mapper cannot place is named at its file and JSON path, as simulate does.
  std::size_t layer = 0;
};

struct CharacterizeRun {
  std::vector<WorkItem> items;        // distinct entries
  std::vector<int> missing;           // indices into items the cache lacks
  std::vector<std::vector<int>> item_of;  // [mac layer][candidate] → index into items
  int distinct = 0, cache_hits = 0, simulated = 0, corrupt = 0;
};

CharacterizeRun plan_characterization(const CharacterizeInputs& in, LutCache& cache);
nlohmann::json characterized_json(const Characterized& c);
// Simulates run.missing in `jobs` forked workers (each elaborates in.arch once) into the
// cache; `on_progress(done, total)` is called in the parent. Returns the first failure, empty
// on success; `bad_input` says whether it was the user's input (run_worker_pool).
std::string run_missing(const CharacterizeInputs& in, const CharacterizeRun& run, LutCache& cache, int jobs,
                        uint64_t seed, const std::function<void(int, int)>& on_progress, bool* bad_input = nullptr);
energy::Lut assemble_lut(const CharacterizeInputs& in, const CharacterizeRun& run, LutCache& cache);

// The cache key of one entry: everything its LUT entry depends on (also used by explore).
std::string item_key(const CharacterizeInputs& in, const spec::Layer& layer, const pe::Candidate& c,
                     const dataflow::Residency& residency, double input_zero_frac);

}  // namespace enos::characterize
