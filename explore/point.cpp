#include "explore/point.hpp"

#include <memory>
#include <set>

#include "characterize/characterize.hpp"
#include "characterize/energy_cost.hpp"
#include "characterize/plan.hpp"
#include "characterize/worker_pool.hpp"
#include "dataflow/buffer_plan.hpp"
#include "dataflow/mapper.hpp"
#include "spec/config_files.hpp"
#include "spec/json_reader.hpp"
#include "spec/workload_files.hpp"

namespace enos::explore {
namespace {

using characterize::CharacterizeInputs;
using characterize::WorkItem;

// An entry the mapper or the energy table refuses is a property of the point, as
// deterministic as a measured entry, so it is cached too under its own key.
std::string failed_key(const std::string& key) { return key + "|failed"; }

struct Needed {
  std::vector<WorkItem> items;                 // distinct entries this point needs
  std::set<std::string> keys;                  // of items
  std::map<std::string, nlohmann::json> found; // key → cached value ({"entry": ...} or {"reason": ...})
};

struct RowPlan {
  std::string workload, op, reason;           // reason: why the row is invalid (empty: valid)
  std::vector<std::string> keys;              // one per MAC layer
  std::vector<std::string> layer_names;
};

std::string describe(const std::exception& e) {
  if (const auto* s = dynamic_cast<const spec::SpecError*>(&e)) return s->path() + ": " + s->reason();
  return e.what();
}

const energy::EnergyTable& table_for(ExploreContext& ctx, const spec::ArchSpec& arch) {
  const std::string file = arch.energy_table.empty() ? spec::default_energy_table_path() : arch.energy_table;
  auto it = ctx.tables.find(file);
  if (it == ctx.tables.end())
    it = ctx.tables.emplace(file, characterize::load_arch_energy_table(arch, spec::default_energy_table_path())).first;
  return it->second;
}

void need(Needed& n, const CharacterizeInputs& in, const spec::Layer& layer, const pe::Candidate& c,
          const dataflow::Residency& r, double zeros, RowPlan& row) {
  const std::string key = characterize::item_key(in, layer, c, r, zeros);
  row.keys.push_back(key);
  row.layer_names.push_back(layer.name);
  if (n.keys.insert(key).second) n.items.push_back({{layer.conv, layer.mapping, c, r, zeros}, key});
}

// The row's network with its operators, planned as `enos simulate --workload` plans it.
std::vector<dataflow::Residency> row_residency(const SweepWorkload& w, const spec::ArchSpec& arch, const pe::Candidate& op) {
  std::vector<std::size_t> mac_index(w.workload.layers.size(), 0);
  for (std::size_t i = 0, m = 0; i < w.workload.layers.size(); ++i)
    if (w.workload.layers[i].is_mac()) mac_index[i] = m++;
  const auto candidate_of = [&](std::size_t i) { return w.mapped() ? w.layer_candidates[mac_index[i]] : op; };
  const auto pins_of = [&](std::size_t i) { return w.workload.layers[i].mapping; };
  return dataflow::plan_buffers(w.workload, arch, candidate_of, pins_of).layers;
}

std::vector<RowPlan> plan_rows(const Sweep& sweep, const CharacterizeInputs& in, Needed& n) {
  std::vector<RowPlan> rows;
  for (const SweepWorkload& w : sweep.workloads) {
    const std::vector<const spec::Layer*> macs = spec::mac_layers(w.workload);
    std::vector<pe::Candidate> ops = w.candidates;
    if (ops.empty() && !w.mapped())
      for (const spec::ModeSpec& m : in.arch.modes) ops.push_back(m.candidate);
    if (w.mapped()) ops = {w.layer_candidates.front()};  // one row; its layers' modes below
    std::string fits;
    try {
      spec::check_fits(w.workload, in.arch);
    } catch (const spec::SpecError& e) {
      fits = describe(e);
    }
    for (const pe::Candidate& op : ops) {
      RowPlan row{w.label, w.mapped() ? "mapping" : pe::to_string(op), fits, {}, {}};
      const std::vector<dataflow::Residency> residency = row_residency(w, in.arch, op);
      for (std::size_t l = 0; l < macs.size() && row.reason.empty(); ++l) {
        const pe::Candidate c = w.mapped() ? w.layer_candidates[l] : op;
        if (!in.arch.find_mode(c))
          row.reason = "arch.pe.modes: does not support " + pe::to_string(c) +
                       (w.mapped() ? " (layer " + macs[l]->name + ")" : "");
        else
        {
          const std::size_t index = std::size_t(macs[l] - w.workload.layers.data());
          need(n, in, *macs[l], c, residency[index], characterize::assumed_input_zero_frac(w.workload, index, in.arch), row);
        }
      }
      if (!row.reason.empty()) row.keys.clear();
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

// Runs what the cache lacks in forked workers, each elaborating this point's model once.
void characterize_missing(ExploreContext& ctx, const CharacterizeInputs& in, Needed& n) {
  std::vector<const WorkItem*> missing;
  for (const WorkItem& w : n.items) {
    if (auto v = ctx.cache.get(w.key)) n.found[w.key] = *v;
    else if (auto f = ctx.cache.get(failed_key(w.key))) n.found[w.key] = *f;
    else missing.push_back(&w);
  }
  const std::string failure = characterize::run_worker_pool(
      ctx.jobs, int(missing.size()),
      [&, runner = std::shared_ptr<sim::Runner>()](int i) mutable {
        if (!runner) runner = std::make_shared<sim::Runner>(in.arch);  // in the worker, once
        const WorkItem& item = *missing[std::size_t(i)];
        std::string reason;  // only the entry's own refusal is a result; a failed cache write is not
        nlohmann::json value;
        try {
          value = characterize::characterized_json(characterize::characterize(*runner, item.item, in.table, ctx.seed));
        } catch (const dataflow::MappingError& e) {
          reason = e.what();
        } catch (const spec::SpecError& e) {
          reason = describe(e);
        }
        if (reason.empty()) ctx.cache.put(item.key, value);
        else ctx.cache.put(failed_key(item.key), {{"reason", reason}});
      },
      [](const characterize::PoolProgress&) {});
  if (!failure.empty()) throw std::runtime_error("characterization failed: " + failure);
  for (const WorkItem* w : missing) {
    std::optional<nlohmann::json> v = ctx.cache.get(w->key);
    if (!v) v = ctx.cache.get(failed_key(w->key));
    if (!v) throw std::logic_error("a characterized entry vanished from the cache: " + w->key);
    n.found[w->key] = *v;
  }
}

nlohmann::json row_json(const RowPlan& row, const Needed& n) {
  nlohmann::json r = {{"workload", row.workload}, {"operator", row.op}};
  double energy_pj = 0, latency_us = 0, util_cycles = 0;
  int64_t cycles = 0, macs = 0;
  std::string reason = row.reason;
  for (std::size_t l = 0; l < row.keys.size() && reason.empty(); ++l) {
    const nlohmann::json& v = n.found.at(row.keys[l]);
    if (v.contains("reason")) {
      reason = "layer " + row.layer_names[l] + ": " + v["reason"].get<std::string>();
      break;
    }
    const nlohmann::json& e = v["entry"];
    energy_pj += e["energy_pj"].get<double>();
    latency_us += e["latency_us"].get<double>();
    cycles += e["cycles"].get<int64_t>();
    macs += e["macs"].get<int64_t>();
    util_cycles += e["utilization"].get<double>() * double(e["cycles"].get<int64_t>());
  }
  r["valid"] = reason.empty();
  if (!reason.empty()) {
    r["reason"] = reason;
    return r;
  }
  r["energy_uj"] = energy_pj / 1e6;
  r["latency_us"] = latency_us;
  r["cycles"] = cycles;
  r["edp_uj_us"] = energy_pj / 1e6 * latency_us;
  r["utilization"] = cycles > 0 ? util_cycles / double(cycles) : 0.0;  // cycle-weighted mean
  r["macs"] = macs;
  return r;
}

// Pricing with a table of another node works but is worth saying (as energy breakdowns do).
nlohmann::json node_warnings(const spec::ArchSpec& a, const energy::EnergyTable& t, const energy::AreaTable& area) {
  nlohmann::json w = nlohmann::json::array();
  for (const auto& [what, nm] : {std::pair<std::string, int>{"energy table " + t.name, t.technology_nm},
                                 std::pair<std::string, int>{"area table " + area.name, area.technology_nm}})
    if (nm != a.technology_nm)
      w.push_back("the " + what + " is for " + std::to_string(nm) + " nm, the architecture is " +
                  std::to_string(a.technology_nm) + " nm");
  return w;
}

nlohmann::json dataflow_names(const spec::ArchSpec& a) {
  nlohmann::json names = nlohmann::json::array();
  for (spec::Dataflow d : a.dataflows) names.push_back(spec::to_string(d));
  return names;
}

nlohmann::json arch_summary(const spec::ArchSpec& a, const energy::EnergyTable& t, const energy::AreaBreakdown& area) {
  return {{"name", a.name},
          {"dataflows", dataflow_names(a)},
          {"hash", a.hash},
          {"clock_mhz", a.clock_mhz},
          {"technology_nm", a.technology_nm},
          {"pes", a.rows * a.cols},
          {"energy_table", {{"name", t.name}, {"hash", t.hash}, {"technology_nm", t.technology_nm}}},
          {"area_mm2", area.total_mm2},
          {"area_by_component_mm2", area.by_component_mm2}};
}

}  // namespace

nlohmann::json evaluate_point(ExploreContext& ctx, const SweepPoint& point) {
  nlohmann::json out = {{"sweep_hash", ctx.sweep.hash}, {"index", point.index}, {"id", point.id},
                        {"params", point.params}};
  CharacterizeInputs in;
  energy::AreaBreakdown area;
  try {
    in.arch = spec::parse_arch(point.arch_doc, ctx.sweep.base_file);
    in.table = table_for(ctx, in.arch);
    area = energy::price_area(energy::count_area(in.arch), ctx.area_table);
  } catch (const spec::SpecError& e) {
    out["valid"] = false;
    out["reason"] = describe(e);
    return out;
  }
  Needed needed;
  const std::vector<RowPlan> rows = plan_rows(ctx.sweep, in, needed);
  characterize_missing(ctx, in, needed);
  out["valid"] = true;
  out["arch"] = arch_summary(in.arch, in.table, area);
  out["arch"]["warnings"] = node_warnings(in.arch, in.table, ctx.area_table);
  // Each row says the point's dataflows too: index.html marks points by them.
  for (const RowPlan& row : rows) out["rows"].push_back(row_json(row, needed));
  for (nlohmann::json& row : out["rows"]) row["dataflows"] = out["arch"]["dataflows"];
  return out;
}

}  // namespace enos::explore
