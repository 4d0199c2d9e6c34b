// `enos compare`: ENOS against its baselines at one budget, every run from the same start
// checkpoint with the same recipe, over one or more seeds (docs/search.md, docs/results.md).
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <sstream>

#include <boost/program_options.hpp>

#include "energy/lut.hpp"
#include "search/budget.hpp"
#include "search/unreachable_budget.hpp"
#include "spec/atomic_file.hpp"
#include "tools/cli.hpp"
#include "tools/torch/compare_record.hpp"
#include "tools/torch/search_pipeline.hpp"

namespace po = boost::program_options;

namespace enos::tools {
namespace {

// One method over the seeds.
struct Row {
  std::string method, mode, dir;
  std::function<void(search::PipelineOptions&)> adjust;  // what makes this method from the shared options
  std::vector<CompareRun> runs;  // one per seed; empty when it does not fit the budget
  bool fits = true;
  bool budget_independent = false;  // nothing searched or fitted: another budget's run may serve (--reuse)
};

struct CompareOptions {
  SharedSearchOptions shared;
  int seeds = 1;
  std::string methods = "all";
  std::string fingerprint;  // of the arguments: a finished run with the same one is not trained again
  std::vector<std::string> reuse;  // other comparisons' folders that may lend budget-independent runs
  std::string recipe;              // the fingerprint without the budget: what a lent run must match
};

po::options_description compare_options(CompareOptions& c) {
  po::options_description d(
      "enos compare --lut lut.json --model NAME --dataset NAME[:DIR] --budget-frac F --epochs N --out DIR\n\n"
      "Trains at the same budget and epochs, every run from the same start checkpoint (--init) with the\n"
      "same recipe: the int:w8a8 reference (whatever the budget), every uni-operator network that fits the\n"
      "budget (the best is the baseline), the mixed-precision int-only search (EdMIPS-like), and ENOS in\n"
      "each mode; the start checkpoint's float accuracy heads the table. Writes DIR/compare.md and\n"
      "DIR/compare.csv (accuracy mean ± std over the seeds, LUT energy, fraction of budget, times) and\n"
      "each run's log and export in DIR/<run>/seed<S>/. Run again with the same options, it resumes: a run\n"
      "that finished (DIR/<run>/seed<S>/compare_run.json) is not trained again; with --reuse OTHER_DIR, the\n"
      "reference and uni-operator runs (which do not depend on the budget) that another budget's comparison\n"
      "with the same recipe finished are read from there, judged against this budget, not trained again.\n\noptions");
  d.add_options()("help,h", "print this help")("seeds", po::value(&c.seeds)->default_value(1),
                                               "runs per method, seeds --seed, --seed+1, ...")(
      "methods", po::value(&c.methods)->default_value("all"),
      "all, or a comma-separated subset of: reference, uniform, int-only, single, bilevel, sequential, stochastic")(
      "reuse", po::value(&c.reuse)->composing(),
      "another comparison's folder (repeatable): its finished reference and uni-operator runs with this recipe at "
      "any budget serve this one");
  // Every method judged by the same rule, the LUT's: a uni-operator network cannot be refitted,
  // so a replay-fitted search would spend a headroom the baselines are not given.
  c.shared.budget_fit = "reserve";
  c.shared.pipeline.config.test_each_epoch = false;  // the test set once per run, at its end
  add_shared_search_options(d, c.shared);
  return d;
}

bool wanted(const std::string& methods, const std::string& method) {
  if (methods == "all") return true;
  std::stringstream s(methods);
  for (std::string m; std::getline(s, m, ',');)
    if (m == method) return true;
  return false;
}

void check_methods(const std::string& methods) {
  if (methods == "all") return;
  std::stringstream s(methods);
  for (std::string m; std::getline(s, m, ',');)
    if (!(m == "reference" || m == "uniform" || m == "int-only" || m == "single" || m == "bilevel" ||
          m == "sequential" || m == "stochastic"))
      throw std::invalid_argument("--methods: unknown method '" + m + "'");
}

// The run of `row` for `o`'s seed that a --reuse folder finished with this recipe, judged
// against this comparison's budget: a uni-operator network that does not fit it throws
// UnreachableBudget, as training it would have. Nothing when no folder has it.
std::optional<CompareRun> lent_run(const CompareOptions& c, const Row& row, const search::PipelineOptions& o,
                                   const energy::Lut& lut) {
  if (!row.budget_independent) return std::nullopt;
  for (const std::string& dir : c.reuse) {
    const std::string run_dir = dir + "/" + row.dir + "/seed" + std::to_string(o.config.seed);
    std::optional<CompareRun> run = load_run_with_recipe(run_dir, c.recipe);
    if (!run) continue;
    SearchRunResult& r = run->result;
    r.budget_pj = search::resolve_budget_pj(o.budget_uj, o.budget_frac, lut, o.lut_file);
    r.array_budget_pj = r.budget_pj * (1 - o.postproc_reserve);
    if (r.energy_pj > r.array_budget_pj) throw search::UnreachableBudget(run_dir + " costs more than this budget allows");
    if (run->lent_by.empty()) run->lent_by = run_dir;  // else: where that comparison read it
    return run;
  }
  return std::nullopt;
}

// Runs one seed of a method, or reads its figures: from a finished run with the same options,
// or (reference, uni-operator) one with the same recipe in a --reuse folder. A method whose
// cheapest network does not fit the budget (a uni-operator network, or int-only where only
// binary weights fit) marks its row and is not tried again.
void run_seed(const CompareOptions& c, const energy::Lut& lut, Row& row, int k) {
  const search::PipelineOptions& base = c.shared.pipeline;
  search::PipelineOptions o = base;
  o.config.seed = base.config.seed + uint64_t(k);
  o.out = base.out + "/" + row.dir + "/seed" + std::to_string(o.config.seed);
  row.adjust(o);
  row.mode = o.only ? "uniform" : o.mode;
  std::printf("  %-34s seed %llu ...", (row.method + (o.only ? "" : " (" + o.mode + ")")).c_str(),
              static_cast<unsigned long long>(o.config.seed));
  std::fflush(stdout);
  try {
    const std::optional<CompareRun> done = load_compare_run(o.out, c.fingerprint);
    std::optional<CompareRun> run = done ? done : lent_run(c, row, o, lut);
    const bool trained = !run;
    if (trained) run = CompareRun{run_search({o, true}), ""};
    if (!done) {
      std::filesystem::create_directories(o.out);
      save_compare_run(o.out, c.fingerprint, *run);
    }
    row.runs.push_back(*run);
    const SearchRunResult& r = run->result;
    const std::string origin = done ? " (finished before)" : trained ? "" : " (read from " + run->lent_by + ")";
    std::printf(" accuracy %.2f%%, %.4f uJ, %.0f + %.0f s%s\n", 100 * r.accuracy, r.energy_pj * 1e-6, r.search_seconds,
                r.finetune_seconds, origin.c_str());
  } catch (const search::UnreachableBudget&) {
    row.fits = false;
    std::printf(" does not fit the budget\n");
  }
}

struct Stats {
  double mean = 0, std = 0;
};
Stats stats(const std::vector<double>& v) {
  Stats s;
  for (double x : v) s.mean += x;
  s.mean /= double(v.size());
  for (double x : v) s.std += (x - s.mean) * (x - s.mean);
  s.std = v.size() > 1 ? std::sqrt(s.std / double(v.size() - 1)) : 0;  // sample standard deviation
  return s;
}

std::string fmt(const char* format, double a, double b = 0) {
  char t[64];
  std::snprintf(t, sizeof t, format, a, b);
  return t;
}

std::string number(double v) {
  std::ostringstream s;
  s.precision(10);
  s << v;
  return s.str();
}

// Which rows' runs another comparison trained (--reuse), and where their exports are.
std::string lent_runs_note(const std::vector<Row>& rows) {
  std::string note;
  for (const Row& row : rows)
    for (const CompareRun& run : row.runs)
      if (!run.lent_by.empty())
        note += "- " + row.method + ", seed " + std::to_string(run.result.seed) + ": " + run.lent_by + "\n";
  if (note.empty()) return note;
  return "\nRuns read from another comparison with the same recipe (`--reuse`: they do not depend on the budget; "
         "their logs and exports are there):\n\n" + note;
}

void write_reports(const std::string& out, const std::vector<Row>& rows, double budget_pj, double start_accuracy,
                   const std::string& title) {
  std::string csv = "method,mode,seed,accuracy,energy_uj,budget_fraction,search_seconds,finetune_seconds,fits\n";
  std::string md = "# " + title + "\n\n| method | mode | test accuracy (mean ± std) | seeds | LUT energy (µJ) | of budget |\n"
                   "|---|---|---|---|---|---|\n";
  if (start_accuracy >= 0) csv += "float,float,," + number(start_accuracy) + ",,,,,yes\n";
  if (start_accuracy >= 0)
    md += "| float (the start checkpoint) | — | " + fmt("%.2f %%", 100 * start_accuracy) + " | — | — | — |\n";
  for (const Row& row : rows) {
    if (!row.fits) {
      md += "| " + row.method + " | " + row.mode + " | does not fit the budget | | | |\n";
      csv += row.method + "," + row.mode + ",,,,,,,no\n";
      continue;
    }
    if (row.runs.empty()) continue;  // not run yet (the tables are rewritten after every run)
    std::vector<double> acc, energy;
    for (const CompareRun& run : row.runs) {
      const SearchRunResult& r = run.result;
      acc.push_back(r.accuracy), energy.push_back(r.energy_pj);
      csv += row.method + "," + row.mode + "," + std::to_string(r.seed) + "," + number(r.accuracy) + "," + number(r.energy_pj * 1e-6) +
             "," + number(r.energy_pj / budget_pj) + "," + number(r.search_seconds) + "," + number(r.finetune_seconds) +
             ",yes\n";
    }
    const Stats a = stats(acc), e = stats(energy);
    md += "| " + row.method + " | " + row.mode + " | " + fmt("%.2f ± %.2f %%", 100 * a.mean, 100 * a.std) + " | " +
          std::to_string(row.runs.size()) + " | " + fmt("%.2f", e.mean * 1e-6) + " | " +
          fmt("%.1f %%", 100 * e.mean / budget_pj) + " |\n";
  }
  md += "\nLUT energy is the PE array's; the search leaves a share of the budget for the post-processing unit, which "
        "`enos validate` replays and counts against the budget. The int:w8a8 reference runs whatever the budget.\n";
  md += lent_runs_note(rows);
  spec::write_file_atomically(out + "/compare.csv", csv);
  spec::write_file_atomically(out + "/compare.md", md);
}

std::vector<Row> method_rows(const CompareOptions& c, const energy::Lut& lut) {
  std::vector<Row> rows;
  // `searched`: the method searches or fits to the budget; the others train the same network at any budget.
  auto add = [&](const std::string& method, const std::string& dir, bool searched,
                 std::function<void(search::PipelineOptions&)> adjust) {
    rows.push_back(Row{method, "", dir, std::move(adjust), {}, true, !searched});
  };
  if (wanted(c.methods, "reference"))
    add("reference int:w8a8", "reference_int_w8a8", false, [&lut](search::PipelineOptions& r) {
      r.only = pe::to_string(pe::reference_candidate());
      r.budget_frac.reset();  // the reference fits whatever the budget: give it its own energy
      r.budget_uj = lut.total_energy_pj(pe::to_string(pe::reference_candidate())) * 1e-6 / (1 - r.postproc_reserve) * 1.000001;
    });
  if (wanted(c.methods, "uniform"))
    for (const std::string& cand : lut.candidates)
      add("uni-operator " + cand, "uniform_" + cand.substr(0, cand.find(':')) + "_" + cand.substr(cand.find(':') + 1), false,
          [cand](search::PipelineOptions& r) { r.only = cand; });
  if (wanted(c.methods, "int-only"))
    add("mixed precision (int only)", "edmips", true, [](search::PipelineOptions& r) { r.int_only = true, r.mode = "single"; });
  for (const std::string mode : {"single", "bilevel", "sequential", "stochastic"})
    if (wanted(c.methods, mode))
      add("ENOS", "enos_" + mode, true, [mode](search::PipelineOptions& r) { r.mode = mode; });
  return rows;
}

void write_tables(const CompareOptions& c, const energy::Lut& lut, const std::vector<Row>& rows) {
  const search::PipelineOptions& o = c.shared.pipeline;
  double budget_pj = 0, start = -1;
  for (const Row& row : rows)
    for (const CompareRun& run : row.runs) {
      const SearchRunResult& r = run.result;
      if (row.method != "reference int:w8a8") budget_pj = r.budget_pj;
      start = r.start_accuracy;
    }
  if (budget_pj == 0) budget_pj = c.shared.budget_frac * lut.total_energy_pj(pe::to_string(pe::reference_candidate()));
  char frac[32];
  std::snprintf(frac, sizeof frac, "%.2f", c.shared.budget_frac);
  write_reports(o.out, rows, budget_pj, start,
                "ENOS vs baselines: " + o.model + " on " + o.dataset + ", budget " + frac + " x all-int:w8a8, " +
                    std::to_string(o.config.epochs) + " search epochs + " + std::to_string(o.finetune_epochs) +
                    " fine-tuning, " + std::to_string(c.seeds) + " seed(s)");
}

}  // namespace

int compare_command(const Args& args) {
  return guarded("compare", [&] {
    CompareOptions c;
    const po::options_description d = compare_options(c);
    po::variables_map vm;
    if (!parse_options(args, d, &vm)) return int(kOk);
    if (!vm.count("budget-frac")) throw std::invalid_argument("the option '--budget-frac' is required but missing");
    if (c.seeds < 1) throw std::invalid_argument("--seeds must be ≥ 1, got " + std::to_string(c.seeds));
    check_methods(c.methods);
    c.fingerprint = compare_fingerprint(args);
    c.recipe = recipe_fingerprint(args);
    for (const std::string& dir : c.reuse)
      if (!std::filesystem::is_directory(dir))
        throw std::invalid_argument("--reuse " + dir + ": no such folder (another comparison's --out)");
    finish_shared_search_options(c.shared, vm);
    const search::PipelineOptions& o = c.shared.pipeline;
    create_output_folder(o.out);
    const energy::Lut lut = energy::load_lut(o.lut_file);
    std::printf("compare %s on %s at %.2f x all-int:w8a8, %d epochs (+%d fine-tuning), %d seed(s); first/last layers %s\n",
                o.model.c_str(), o.dataset.c_str(), c.shared.budget_frac, o.config.epochs, o.finetune_epochs, c.seeds,
                o.pin.c_str());
    std::vector<Row> rows = method_rows(c, lut);
    // Seed by seed, every method in each round, and the tables rewritten after every run: an
    // interrupted comparison leaves a complete table of the seeds that finished.
    for (int k = 0; k < c.seeds; ++k)
      for (Row& row : rows)
        if (row.fits) {
          run_seed(c, lut, row, k);
          write_tables(c, lut, rows);
        }
    std::printf("wrote %s/compare.md and compare.csv\n", o.out.c_str());
    return int(kOk);
  });
}

}  // namespace enos::tools
