#include "characterize/plan.hpp"

#include <filesystem>
#include <map>
#include <memory>

#include "characterize/energy_cost.hpp"
#include "characterize/worker_pool.hpp"
#include "dataflow/buffer_plan.hpp"
#include "dataflow/limits.hpp"
#include "energy/action_price.hpp"
#include "model_hash.hpp"  // generated: ENOS_MODEL_HASH (cmake/model_hash.cmake)
#include "spec/actions.hpp"
#include "spec/config_files.hpp"
#include "spec/exact_number.hpp"
#include "spec/json_reader.hpp"
#include "spec/workload_files.hpp"

namespace enos::characterize {
namespace {

std::vector<pe::Candidate> parse_candidates(const std::string& list, const spec::ArchSpec& arch) {
  std::vector<pe::Candidate> out;
  if (list.empty()) {
    for (const spec::ModeSpec& m : arch.modes) out.push_back(m.candidate);
    return out;
  }
  std::size_t start = 0;
  while (start <= list.size()) {
    const std::size_t comma = std::min(list.find(',', start), list.size());
    const std::string text = list.substr(start, comma - start);
    pe::Candidate c;
    try {
      c = pe::parse_candidate(text);
    } catch (const std::invalid_argument& e) {
      throw spec::SpecError("--candidates", text, e.what());
    }
    spec::require_mode(arch, c);
    out.push_back(c);
    start = comma + 1;
  }
  return out;
}

// What a worker would refuse, refused before any worker starts: the same exit 2 and message
// as `enos simulate`, never a failed worker (exit 4).
void check_before_work(const CharacterizeInputs& in) {
  for (const pe::Candidate& c : in.candidates) {
    try {
      energy::price_action(spec::action::op(c), in.arch, in.table);
    } catch (const spec::SpecError& e) {
      throw spec::SpecError(e.file(), e.path(), e.reason() + " (the architecture " + in.arch.file + " lists it)");
    }
  }
  spec::check_fits(in.workload, in.arch);
  for (std::size_t i = 0; i < in.workload.layers.size(); ++i) {
    const spec::Layer& l = in.workload.layers[i];
    if (!l.is_mac()) continue;
    for (const pe::Candidate& c : in.candidates)
      dataflow::check_layer_limits(l.conv, c, in.arch, {in.workload.file, spec::layer_path(in.workload, i)});
  }
}

}  // namespace

std::string item_key(const CharacterizeInputs& in, const spec::Layer& layer, const pe::Candidate& c,
                     const dataflow::Residency& r, double input_zero_frac) {
  // The model hash, not only the release number: a changed simulator must not be served the
  // entries an older one characterized (regression test: tests/tools, "the LUT cache key").
  return std::string("enos ") + ENOS_VERSION + "|model " + ENOS_MODEL_HASH + "|arch " + in.arch.hash + "|table " + in.table.hash +
         "|" + pe::to_string(layer.conv) + "|pinned " + spec::to_json(layer.mapping).dump() + "|" +
         pe::to_string(c) + "|resident " + std::to_string(r.inputs) + std::to_string(r.outputs) +
         std::to_string(r.weights) + " " + std::to_string(r.reserved_bytes) + "|zeros " + spec::exact_number(input_zero_frac);
}

std::vector<std::vector<dataflow::Residency>> residency_per_candidate(const CharacterizeInputs& in) {
  // The stated assumption (docs/lut-format.md, dataflow::LutContext): each entry's layer sits in
  // the buffer plan of the whole network at the widest mode. The replay plans the network
  // actually chosen and reports where the two differ.
  std::vector<std::vector<dataflow::Residency>> out;
  for (const pe::Candidate& c : in.candidates)
    out.push_back(dataflow::lut_context_plan(in.workload, in.arch, c, dataflow::LutContext::Widest).layers);
  return out;
}

CharacterizeInputs load_characterize_inputs(const std::string& arch_file, const std::string& table_file,
                                            const WorkloadSource& workload, const std::string& candidates) {
  if (workload.model.empty() == workload.file.empty())
    throw spec::SpecError("(options)", "--model/--workload", "give exactly one of --model and --workload");
  if (workload.classes < spec::kMinClasses || workload.classes > spec::kMaxClasses)
    throw spec::SpecError("(options)", "--classes",
                          "must be in " + std::to_string(spec::kMinClasses) + " … " + std::to_string(spec::kMaxClasses) +
                              " (got " + std::to_string(workload.classes) + ")");
  CharacterizeInputs in;
  in.arch = spec::load_arch(arch_file);
  if (!table_file.empty()) in.arch.energy_table = table_file;
  in.table = load_arch_energy_table(in.arch, spec::default_energy_table_path());
  in.workload = spec::load_workload(workload.model.empty()
                                        ? workload.file
                                        : spec::model_workload_file(workload.model, workload.input, workload.classes));
  in.candidates = parse_candidates(candidates, in.arch);
  check_before_work(in);
  return in;
}

CharacterizeRun plan_characterization(const CharacterizeInputs& in, LutCache& cache) {
  CharacterizeRun run;
  std::map<std::string, int> index_of_key;
  const std::vector<std::vector<dataflow::Residency>> residency = residency_per_candidate(in);
  for (const spec::Layer* layer : spec::mac_layers(in.workload)) {
    std::vector<int> row;
    const std::size_t index = std::size_t(layer - in.workload.layers.data());
    for (std::size_t ci = 0; ci < in.candidates.size(); ++ci) {
      const pe::Candidate& c = in.candidates[ci];
      const dataflow::Residency& r = residency[ci][index];
      const double zeros = assumed_input_zero_frac(in.workload, index, in.arch);
      const std::string key = item_key(in, *layer, c, r, zeros);
      auto [it, fresh] = index_of_key.emplace(key, int(run.items.size()));
      if (fresh) run.items.push_back({{layer->conv, layer->mapping, c, r, zeros}, key, index});
      row.push_back(it->second);
    }
    run.item_of.push_back(row);
  }
  for (std::size_t i = 0; i < run.items.size(); ++i) {
    if (cache.get(run.items[i].key))
      ++run.cache_hits;
    else
      run.missing.push_back(int(i));
  }
  run.distinct = int(run.items.size());
  run.simulated = int(run.missing.size());
  run.corrupt = cache.corrupt_entries();
  return run;
}

nlohmann::json characterized_json(const Characterized& c) {
  return {{"entry", c.entry.to_json()}, {"actions", c.actions.to_json()}, {"cycles", c.cycles.to_json()}};
}

std::string run_missing(const CharacterizeInputs& in, const CharacterizeRun& run, LutCache& cache, int jobs,
                        uint64_t seed, const std::function<void(int, int)>& on_progress, bool* bad_input) {
  return run_worker_pool(
      jobs, int(run.missing.size()),
      [&, runner = std::shared_ptr<sim::Runner>()](int i) mutable {
        if (!runner) runner = std::make_shared<sim::Runner>(in.arch);  // in the worker, once
        const WorkItem& item = run.items[std::size_t(run.missing[std::size_t(i)])];
        nlohmann::json value;
        try {
          value = characterized_json(characterize(*runner, item.item, in.table, seed));
        } catch (const dataflow::MappingError& e) {
          // The mapper's reason alone names neither file: say which layer, as simulate does.
          const spec::Layer& layer = in.workload.layers.at(item.layer);
          throw spec::SpecError(in.workload.file, spec::layer_path(in.workload, item.layer),
                                "layer '" + layer.name + "' cannot run on " + in.arch.file + ": " + e.what());
        }
        cache.put(item.key, value);
      },
      [&](const PoolProgress& p) { on_progress(p.done, p.total); }, bad_input);
}

energy::Lut assemble_lut(const CharacterizeInputs& in, const CharacterizeRun& run, LutCache& cache) {
  energy::Lut lut;
  lut.tool_version = ENOS_VERSION;
  lut.architecture = {in.arch.name, in.arch.file, in.arch.hash};
  lut.energy_table = {in.table.name, in.table.file, in.table.hash};
  lut.workload = {in.workload.name, in.workload.file, spec::json_hash(spec::to_json(in.workload))};
  lut.clock_mhz = in.arch.clock_mhz;
  lut.technology_nm = in.arch.technology_nm;
  for (const pe::Candidate& c : in.candidates) lut.candidates.push_back(pe::to_string(c));
  const std::vector<const spec::Layer*> layers = spec::mac_layers(in.workload);
  for (std::size_t l = 0; l < layers.size(); ++l) {
    energy::LutLayer out{layers[l]->name, layers[l]->conv, {}};
    for (int item : run.item_of[l]) {
      const std::string& key = run.items[std::size_t(item)].key;
      const std::optional<nlohmann::json> v = cache.get(key);
      if (!v) throw std::logic_error("internal error: a characterized entry vanished from the cache: " + key);
      out.entries.push_back(energy::LutEntry::from_json((*v)["entry"], cache.dir(), "entry"));
    }
    lut.layers.push_back(std::move(out));
  }
  return lut;
}

}  // namespace enos::characterize
