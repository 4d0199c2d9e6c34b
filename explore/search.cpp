#include "explore/search.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <set>

#include "characterize/energy_cost.hpp"
#include "characterize/plan.hpp"
#include "explore/results.hpp"
#include "spec/atomic_file.hpp"
#include "spec/config_files.hpp"
#include "spec/exact_number.hpp"
#include "spec/json_reader.hpp"
#include "spec/process.hpp"

namespace enos::explore {
namespace {

namespace fs = std::filesystem;

struct Target {
  int64_t index;
  std::size_t workload;
};

std::vector<Target> front_targets(const Sweep& sweep, const std::vector<nlohmann::json>& points) {
  std::vector<ResultRow> rows = result_rows(points);
  mark_pareto(rows);
  std::set<std::pair<int64_t, std::size_t>> seen;
  std::vector<Target> out;
  for (const ResultRow& r : rows) {
    if (!r.pareto) continue;
    for (std::size_t k = 0; k < sweep.workloads.size(); ++k) {
      if (sweep.workloads[k].label != r.workload) continue;
      const int64_t index = r.fields["index"].get<int64_t>();
      if (seen.insert({index, k}).second) out.push_back({index, k});
      break;
    }
  }
  return out;
}

// The point's LUT over every mode of its PE (the search chooses among them), from the cache;
// entries the sweep did not need are characterized now. Throws on an unmappable layer.
void write_point_lut(ExploreContext& ctx, const SweepPoint& point, const SweepWorkload& w, int jobs,
                     const std::string& file) {
  characterize::CharacterizeInputs in;
  in.arch = spec::parse_arch(point.arch_doc, ctx.sweep.base_file);
  in.table = characterize::load_arch_energy_table(in.arch, spec::default_energy_table_path());
  in.workload = w.workload;
  for (const spec::ModeSpec& m : in.arch.modes) in.candidates.push_back(m.candidate);
  const characterize::CharacterizeRun run = characterize::plan_characterization(in, ctx.cache);
  const std::string failure = characterize::run_missing(in, run, ctx.cache, jobs, ctx.seed, [](int, int) {});
  if (!failure.empty()) throw std::runtime_error("characterizing the point's LUT failed: " + failure);
  spec::write_file_atomically(file, energy::to_json(characterize::assemble_lut(in, run, ctx.cache)).dump(1) + "\n");
}

nlohmann::json search_one(ExploreContext& ctx, const Target& t, const std::string& dir, const FrontSearchOptions& o) {
  const SweepWorkload& w = ctx.sweep.workloads[t.workload];
  const SweepPoint point = make_point(ctx.sweep, t.index);
  nlohmann::json status = {{"point", point.id}, {"workload", w.label}};
  if (w.model.empty()) {
    status["status"] = "skipped: not a shipped model (the search needs its network definition)";
    return status;
  }
  const auto t0 = std::chrono::steady_clock::now();
  fs::create_directories(dir);
  write_point_lut(ctx, point, w, ctx.jobs, dir + "/lut.json");
  const int code = spec::run_child(search_command(o, w.model, dir), dir + "/search.log");
  status["exit_code"] = code;
  status["seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const std::string mapping = dir + "/run/mapping.json";
  if (code != 0 || !fs::exists(mapping)) {
    status["status"] = "failed (exit " + std::to_string(code) + "; see " + dir + "/search.log)";
    return status;
  }
  const nlohmann::json m = spec::load_json_file(mapping);
  status["status"] = "ok";
  status["mapping"] = mapping;
  status["totals"] = m.value("totals", nlohmann::json::object());
  return status;
}

std::string csv_of(const std::vector<nlohmann::json>& done) {
  std::string out = "point,workload,status,seconds,accuracy,energy_uj,latency_cycles,mapping\n";
  for (const nlohmann::json& s : done) {
    const nlohmann::json totals = s.value("totals", nlohmann::json::object());
    char line[1024];
    std::snprintf(line, sizeof line, "%s,%s,\"%s\",%.1f,%s,%s,%s,%s\n", s["point"].get<std::string>().c_str(),
                  s["workload"].get<std::string>().c_str(), s["status"].get<std::string>().c_str(),
                  s.value("seconds", 0.0), totals.contains("accuracy") ? totals["accuracy"].dump().c_str() : "",
                  totals.contains("energy_pj") ? std::to_string(totals["energy_pj"].get<double>() / 1e6).c_str() : "",
                  totals.contains("latency_cycles") ? totals["latency_cycles"].dump().c_str() : "",
                  s.value("mapping", "").c_str());
    out += line;
  }
  return out;
}

}  // namespace

std::vector<std::string> search_command(const FrontSearchOptions& o, const std::string& model, const std::string& dir) {
  std::vector<std::string> argv = {o.enos, "search", "--lut", dir + "/lut.json", "--model", model, "--dataset",
                                   o.dataset, "--budget-frac", spec::exact_number(o.budget_frac), "--out", dir + "/run"};
  // The front is compared by the LUT, as the sweep was; and the replay fit could not run: the
  // point's LUT names the sweep's base architecture file, not the point's (its hash differs).
  if (std::find(o.extra.begin(), o.extra.end(), "--budget-fit") == o.extra.end())
    argv.insert(argv.end(), {"--budget-fit", "reserve"});
  argv.insert(argv.end(), o.extra.begin(), o.extra.end());
  return argv;
}

int search_front(ExploreContext& ctx, const std::string& dir, const std::vector<nlohmann::json>& points,
                 const FrontSearchOptions& o, std::ostream& progress) {
  std::vector<nlohmann::json> done;
  int failed = 0;
  for (const Target& t : front_targets(ctx.sweep, points)) {
    const std::string sub = dir + "/search/" + point_id(ctx.sweep, t.index) + "_w" + std::to_string(t.workload);
    nlohmann::json status;
    if (fs::exists(sub + "/status.json")) {
      status = spec::load_json_file(sub + "/status.json");
    } else {
      progress << "search on " << point_id(ctx.sweep, t.index) << " (" << ctx.sweep.workloads[t.workload].label << ")..."
               << std::endl;
      status = search_one(ctx, t, sub, o);
      if (status["status"] == "ok")  // written whole then renamed: a killed run leaves none or all
        spec::write_file_atomically(sub + "/status.json", status.dump(1) + "\n");
    }
    failed += status["status"] == "ok" || status["status"].get<std::string>().rfind("skipped", 0) == 0 ? 0 : 1;
    progress << "  " << status["point"].get<std::string>() << " " << status["workload"].get<std::string>() << ": "
             << status["status"].get<std::string>() << " (" << std::llround(status.value("seconds", 0.0)) << " s)"
             << std::endl;
    done.push_back(status);
  }
  spec::write_file_atomically(dir + "/search.csv", csv_of(done));
  progress << "searched " << done.size() << " front points (" << failed << " failed); wrote " << dir << "/search.csv"
           << std::endl;
  return failed;
}

}  // namespace enos::explore
