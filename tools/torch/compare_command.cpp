// `enos compare`: ENOS against its baselines at one budget and one number of epochs.
#include <cstdio>
#include <filesystem>
#include <functional>
#include <fstream>
#include <iostream>

#include <ATen/Parallel.h>
#include <boost/program_options.hpp>

#include "energy/lut.hpp"
#include "models/registry.hpp"
#include "tools/cli.hpp"
#include "tools/torch/search_pipeline.hpp"

namespace po = boost::program_options;

namespace enos::tools {
namespace {

struct Row {
  std::string method, mode;
  SearchRunResult r;
  bool fits = true;
};

po::options_description compare_options(SharedSearchOptions& s) {
  po::options_description d(
      "enos compare --lut lut.json --model NAME --dataset NAME[:DIR] --budget-frac F --epochs N --out DIR\n\n"
      "Trains at the same budget and epochs, every run from the same start checkpoint (--init) with the\n"
      "same recipe: every uni-operator network that fits the budget (the best is the baseline), the\n"
      "mixed-precision int-only search (EdMIPS-like), and ENOS in each mode. Writes DIR/compare.md and\n"
      "DIR/compare.csv (accuracy, LUT energy, fraction of budget, search time) and each run's log and\n"
      "export in DIR/<run>/.\n\noptions");
  d.add_options()("help,h", "print this help");
  add_shared_search_options(d, s);
  return d;
}

Row run_row(const search::PipelineOptions& base, const std::string& method, const std::string& dir,
            const std::function<void(search::PipelineOptions&)>& adjust) {
  search::PipelineOptions o = base;
  o.out = base.out + "/" + dir;
  adjust(o);
  Row row{method, o.only ? "uniform" : o.mode, {}, true};
  std::printf("  %-32s ...", (method + (o.only ? "" : " (" + o.mode + ")")).c_str());
  std::fflush(stdout);
  try {
    row.r = run_search({o, true});
    std::printf(" accuracy %.2f%%, %.4f uJ, %.0f s\n", 100 * row.r.accuracy, row.r.energy_pj * 1e-6, row.r.search_seconds);
  } catch (const std::invalid_argument& e) {
    if (!o.only || std::string(e.what()).find("unreachable") == std::string::npos) throw;
    row.fits = false;  // this uni-operator network does not fit the budget
    std::printf(" does not fit the budget\n");
  }
  return row;
}

void write_reports(const std::string& out, const std::vector<Row>& rows, double budget_pj, const std::string& title) {
  std::ofstream csv(out + "/compare.csv"), md(out + "/compare.md");
  csv << "method,mode,accuracy,energy_uj,budget_fraction,search_seconds,finetune_seconds,fits\n";
  md << "# " << title << "\n\n| method | mode | test accuracy | LUT energy (µJ) | of budget | search time (s) |\n"
     << "|---|---|---|---|---|---|\n";
  for (const Row& row : rows) {
    csv << row.method << "," << row.mode << "," << (row.fits ? std::to_string(row.r.accuracy) : "") << ","
        << (row.fits ? std::to_string(row.r.energy_pj * 1e-6) : "") << ","
        << (row.fits ? std::to_string(row.r.energy_pj / budget_pj) : "") << "," << row.r.search_seconds << ","
        << row.r.finetune_seconds << "," << (row.fits ? "yes" : "no") << "\n";
    char line[256];
    if (row.fits)
      std::snprintf(line, sizeof line, "| %s | %s | %.2f %% | %.4f | %.1f %% | %.1f |\n", row.method.c_str(), row.mode.c_str(),
                    100 * row.r.accuracy, row.r.energy_pj * 1e-6, 100 * row.r.energy_pj / budget_pj, row.r.search_seconds);
    else
      std::snprintf(line, sizeof line, "| %s | %s | does not fit the budget | | | |\n", row.method.c_str(), row.mode.c_str());
    md << line;
  }
  md << "\nLUT energy is the PE array's (the LUT's); `enos validate` adds the post-processing unit's "
        "(requantization outside the array, pools, concat; about 5-10 %) and counts the sum against the budget.\n";
}

}  // namespace

int compare_command(const Args& args) {
  return guarded("compare", [&] {
    SharedSearchOptions s;
    const po::options_description d = compare_options(s);
    po::variables_map vm;
    if (!parse_options(args, d, &vm)) return int(kOk);
    if (!vm.count("budget-frac")) throw std::invalid_argument("the option '--budget-frac' is required but missing");
    finish_shared_search_options(s, vm);
    search::PipelineOptions& o = s.pipeline;
    const double frac = s.budget_frac;
    std::error_code error;
    std::filesystem::create_directories(o.out, error);
    if (error) throw std::invalid_argument(o.out + ": cannot create the output folder: " + error.message());
    const energy::Lut lut = energy::load_lut(o.lut_file);
    std::printf("compare %s on %s at %.2f x all-int:w8a8, %d epochs (+%d fine-tuning); first/last layers %s\n",
                o.model.c_str(), o.dataset.c_str(), frac, o.config.epochs, o.finetune_epochs, o.pin.c_str());
    std::vector<Row> rows;
    for (const std::string& c : lut.candidates)
      rows.push_back(run_row(o, "uni-operator " + c, "uniform_" + c.substr(0, c.find(':')) + "_" + c.substr(c.find(':') + 1),
                             [&](search::PipelineOptions& r) { r.only = c; }));
    rows.push_back(run_row(o, "mixed precision (int only)", "edmips", [](search::PipelineOptions& r) { r.int_only = true; }));
    for (const char* mode : {"single", "bilevel", "sequential", "stochastic"})
      rows.push_back(run_row(o, "ENOS", std::string("enos_") + mode, [&](search::PipelineOptions& r) { r.mode = mode; }));
    double budget_pj = 0;
    for (const Row& row : rows)
      if (row.fits) budget_pj = row.r.budget_pj;
    write_reports(o.out, rows, budget_pj,
                  "ENOS vs baselines: " + o.model + " on " + o.dataset + ", budget " + std::to_string(frac) +
                      " x all-int:w8a8, " + std::to_string(o.config.epochs) + " epochs");
    std::printf("wrote %s/compare.md and compare.csv\n", o.out.c_str());
    return int(kOk);
  });
}

}  // namespace enos::tools
