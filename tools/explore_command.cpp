// `enos explore`: design-space exploration over architectures (docs/explore.md). Each point
// of a sweep is characterized through the same LUT cache and worker pool as `enos
// characterize`; each finished point is one file, so a killed sweep resumes and shards merge.
#include <chrono>
#include <iostream>
#include <sstream>
#include <cstdio>
#include <thread>

#include <boost/program_options.hpp>

#include "explore/merge.hpp"
#include "explore/point.hpp"
#include "explore/results.hpp"
#include "explore/search.hpp"
#include "spec/json_reader.hpp"
#include "spec/process.hpp"
#include "tools/cli.hpp"
#include "tools/shared_options.hpp"
#include "tools/progress.hpp"

namespace po = boost::program_options;

namespace enos::tools {
namespace {

struct ExploreOptions {
  std::string sweep, out, shard, cache;
  bool shard_given = false;
  std::vector<std::string> merge_dirs;
  SharedOptions shared{{SharedOption::Jobs}, default_jobs()};  // --jobs: per point
  bool search = false;
  std::string search_dataset, search_enos, search_args;
  double search_budget_frac = 0.5;
};

std::vector<std::string> split_words(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

po::options_description explore_options(ExploreOptions& o) {
  po::options_description d(
      "enos explore --sweep S.json --out DIR [--jobs N] [--shard I/N] [--cache DIR]\n"
      "enos explore merge DIR... --out DIR\n\n"
      "Evaluates every architecture of a sweep on its workloads (energy, latency, EDP, utilization,\n"
      "area), writes results.csv/json, pareto.csv and index.html into DIR. Resumable: a re-run\n"
      "continues where a killed one stopped. --shard I/N takes the points with index % N == I-1.\n\noptions");
  d.add_options()("help,h", "print this help")("sweep", po::value(&o.sweep), "sweep JSON (configs/sweeps/)")(
      "out", po::value(&o.out)->required(), "output folder")(
      "shard", po::value(&o.shard), "I/N: run the I-th of N disjoint slices")(
      "cache", po::value(&o.cache)->default_value(characterize::default_cache_dir()), "LUT cache folder (shared with characterize)")(
      "search", po::bool_switch(&o.search), "then run a short ENOS search per Pareto point (needs LibTorch; slow)")(
      "search-dataset", po::value(&o.search_dataset), "--dataset of enos search (e.g. cifar10:DIR); needed by --search")(
      "search-budget-frac", po::value(&o.search_budget_frac)->default_value(0.5),
      "energy budget as a fraction of the point's all-int:w8a8 energy")(
      "search-args",
      po::value(&o.search_args)->default_value("--epochs 1 --finetune-epochs 1 --train-limit 2000 --test-limit 500"),
      "the search's schedule: further options of enos search")(
      "search-enos", po::value(&o.search_enos), "the enos that runs the search (default: this one; it needs enos-nn)");
  o.shared.declare(d);
  return d;
}

struct Shard {
  int64_t index = 0, count = 1;  // 0-based slice index
};

// `given`: --shard was on the command line; --shard "" is then a mistake, not "every point".
Shard parse_shard(const std::string& text, bool given) {
  if (!given) return {};
  long long i = 0, n = 0;
  char tail = 0;
  if (std::sscanf(text.c_str(), "%lld/%lld%c", &i, &n, &tail) != 2 || n < 1 || n > 1000000 || i < 1 || i > n)
    throw spec::SpecError("--shard", text.empty() ? "\"\"" : text, "expected I/N with 1 ≤ I ≤ N (e.g. 2/8)");
  return {i - 1, n};
}

std::vector<nlohmann::json> load_points(const std::string& dir, const explore::Sweep& sweep, const Shard& shard) {
  std::vector<nlohmann::json> out;
  for (int64_t i = shard.index; i < sweep.points; i += shard.count) {
    std::optional<nlohmann::json> p = explore::read_point(dir, explore::point_id(sweep, i), sweep.hash);
    if (!p) throw std::logic_error("point " + explore::point_id(sweep, i) + " vanished from " + dir);
    out.push_back(std::move(*p));
  }
  return out;
}

void print_front(const std::vector<nlohmann::json>& points) {
  std::vector<explore::ResultRow> rows = explore::result_rows(points);
  explore::mark_pareto(rows);
  std::printf("Pareto front (energy, latency, area):\n  %-8s %-28s %-12s %12s %12s %10s %8s %5s  %s\n", "point", "workload",
              "operator", "energy µJ", "latency µs", "area mm²", "MHz", "nm", "energy table");
  for (const explore::ResultRow& r : rows) {
    if (!r.pareto) continue;
    const nlohmann::json& f = r.fields;
    std::printf("  %-8s %-28s %-12s %12.4f %12.3f %10.4f %8.0f %5d  %s\n", f["point"].get<std::string>().c_str(),
                r.workload.c_str(), f["operator"].get<std::string>().c_str(), r.energy_uj, r.latency_us, r.area_mm2,
                f["clock_mhz"].get<double>(), f["technology_nm"].get<int>(), f["energy_table"].get<std::string>().c_str());
  }
}

void print_summary(const explore::Sweep& sweep, const explore::ExploreContext& ctx,
                   const std::vector<nlohmann::json>& points, int64_t resumed, double seconds, const std::string& out) {
  int64_t invalid = 0, invalid_rows = 0;
  for (const nlohmann::json& p : points) {
    invalid += p["valid"].get<bool>() ? 0 : 1;
    for (const nlohmann::json& row : p.value("rows", nlohmann::json::array())) invalid_rows += row["valid"].get<bool>() ? 0 : 1;
  }
  std::printf("explore %s: %lld points, %zu in this run (%lld already done, %lld evaluated in %.2f s), %lld invalid "
              "points, %lld invalid rows of valid points (reasons in results.csv)\n",
              sweep.name.c_str(), (long long)sweep.points, points.size(), (long long)resumed,
              (long long)(int64_t(points.size()) - resumed), seconds, (long long)invalid, (long long)invalid_rows);
  std::printf("area table %s (%d nm); energy tables:", ctx.area_table.name.c_str(), ctx.area_table.technology_nm);
  for (const auto& [file, t] : ctx.tables) std::printf(" %s (%d nm)", t.name.c_str(), t.technology_nm);
  std::printf("\n");
  std::string warning;
  int64_t warned = 0;
  for (const nlohmann::json& p : points) {
    const nlohmann::json w = p.contains("arch") ? p["arch"].value("warnings", nlohmann::json::array()) : nlohmann::json::array();
    if (w.empty()) continue;
    if (warned++ == 0) warning = w[0].get<std::string>();
  }
  if (warned) std::printf("warning: %lld points priced with a table of another node (first: %s)\n", (long long)warned, warning.c_str());
  print_front(points);
  std::printf("wrote %s/results.csv, results.json, pareto.csv, index.html\n", out.c_str());
}

int run_explore(const ExploreOptions& o) {
  const auto t0 = std::chrono::steady_clock::now();
  if (o.sweep.empty()) throw spec::SpecError("(options)", "--sweep", "give the sweep file (or 'explore merge')");
  o.shared.check();
  const Shard shard = parse_shard(o.shard, o.shard_given);
  if (o.search && shard.count > 1)
    throw spec::SpecError("--search", "--shard", "the front needs every point: merge the shards, then run --search on the merged folder");
  if (o.search && o.search_dataset.empty()) throw spec::SpecError("--search", "--search-dataset", "give the dataset to search on");
  const explore::Sweep sweep = explore::load_sweep(o.sweep);
  characterize::LutCache cache(o.cache);
  explore::ExploreContext ctx{sweep, cache, energy::load_area_table(sweep.area_table_file), o.shared.values().jobs, 1, {}};
  const nlohmann::json manifest = explore::sweep_manifest(sweep, ctx.area_table);
  explore::prepare_output(o.out, manifest);

  std::vector<int64_t> todo;
  int64_t mine = 0, resumed = 0;
  for (int64_t i = shard.index; i < sweep.points; i += shard.count, ++mine) {
    if (explore::read_point(o.out, explore::point_id(sweep, i), sweep.hash)) ++resumed;
    else todo.push_back(i);
  }
  ProgressBar bar("explore");
  bar.update(resumed, mine);
  for (std::size_t k = 0; k < todo.size(); ++k) {
    const explore::SweepPoint point = explore::make_point(sweep, todo[k]);
    explore::write_point(o.out, point.id, explore::evaluate_point(ctx, point));
    bar.update(resumed + int64_t(k) + 1, mine);
  }
  bar.finish();
  const std::vector<nlohmann::json> points = load_points(o.out, sweep, shard);
  explore::write_results(o.out, manifest, points, shard.count > 1 ? o.shard : "");
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  print_summary(sweep, ctx, points, resumed, seconds, o.out);
  if (!o.search) return kOk;
  // The `enos` running now: `search` is run by the same build unless told otherwise.
  const explore::FrontSearchOptions search{o.search_enos.empty() ? spec::own_executable() : o.search_enos,
                                           o.search_dataset, o.search_budget_frac, split_words(o.search_args)};
  return explore::search_front(ctx, o.out, points, search, std::cout) == 0 ? kOk : kBadInput;
}

int run_merge(const std::vector<std::string>& dirs, const std::string& out) {
  const explore::MergedShards merged = explore::merge_shards(dirs, out);
  std::printf("merged %zu folders: %lld points of %s into %s (results.csv, results.json, pareto.csv, index.html)\n",
              dirs.size(), (long long)merged.points, merged.sweep_name.c_str(), out.c_str());
  return kOk;
}

}  // namespace

int explore_command(const Args& args) {
  return guarded("explore", [&] {
    ExploreOptions o;
    if (!args.empty() && args.front() == "merge") {
      po::options_description d = explore_options(o);
      d.add_options()("dirs", po::value(&o.merge_dirs)->multitoken(), "shard output folders");
      po::positional_options_description pos;
      pos.add("dirs", -1);
      po::variables_map vm;
      po::store(po::command_line_parser(Args(args.begin() + 1, args.end())).options(d).positional(pos).run(), vm);
      if (vm.count("help")) {
        std::printf("enos explore merge DIR... --out DIR: joins shard folders into a single run's results\n");
        return int(kOk);
      }
      po::notify(vm);
      return run_merge(o.merge_dirs, o.out);
    }
    po::variables_map given;
    if (!parse_options(args, explore_options(o), &given)) return int(kOk);
    o.shard_given = given.count("shard") > 0;
    return run_explore(o);
  });
}

}  // namespace enos::tools
