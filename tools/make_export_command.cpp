// `enos dev-make-export` (a developer command, not listed in the usage): a random but valid
// export of a small workload with a LUT measured on the SystemC model, for the replay's tests.
#include <boost/program_options.hpp>

#include "characterize/energy_cost.hpp"
#include "replay/testgen.hpp"
#include "spec/json_reader.hpp"
#include "tools/cli.hpp"
#include "tools/shared_options.hpp"
#include "tools/option_values.hpp"

namespace po = boost::program_options;

namespace enos::tools {
namespace {

struct MakeExportOptions {
  std::string workload, candidates, out;
  SharedOptions shared{{SharedOption::Arch, SharedOption::Seed}, {}};
  int images = 8;
  std::string budget_uj;
  std::string lut_context = "widest";
};

std::vector<pe::Candidate> parse_candidates(const std::string& text, const spec::ArchSpec& arch) {
  std::vector<pe::Candidate> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = text.find(',', start);
    const std::string one = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    try {
      out.push_back(pe::parse_candidate(one));
    } catch (const std::invalid_argument& e) {
      throw spec::SpecError("--candidates", one, e.what());
    }
    spec::require_mode(arch, out.back());
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

int run(const MakeExportOptions& o) {
  o.shared.check();
  const spec::ArchSpec arch = o.shared.load_arch();
  const energy::EnergyTable table = characterize::load_arch_energy_table(arch, default_energy_table_path());
  const spec::Workload workload = spec::load_workload(o.workload);
  replay::TestExportRequest req;
  req.workload = &workload;
  req.table = &table;
  req.candidates = parse_candidates(o.candidates, arch);
  req.seed = o.shared.seed();
  req.images = o.images;
  if (!o.budget_uj.empty()) req.budget_uj = parse_budget_uj(o.budget_uj, "--budget-uj");
  req.out_dir = o.out;
  if (o.lut_context != "widest" && o.lut_context != "candidate")
    throw spec::SpecError("--lut-context", o.lut_context, "must be widest or candidate");
  req.lut_context = o.lut_context == "widest" ? dataflow::LutContext::Widest : dataflow::LutContext::Candidate;
  sim::Runner runner(arch);
  replay::make_test_export(runner, req);
  return int(kOk);
}

}  // namespace

int make_export_command(const Args& args) {
  return guarded("dev-make-export", [&] {
    MakeExportOptions o;
    po::options_description d("enos dev-make-export --workload W.json --out DIR [options] (developer command)\n\noptions");
    d.add_options()("help,h", "print this help")(
        "workload", po::value(&o.workload)->required(), "workload JSON (input 1×H×W, last layer 10 outputs)")(
        "candidates", po::value(&o.candidates)->default_value("int:w8a8,int:w4a4,int:w2a2,bin:w1a8,mf:w8a8,shift:w4a8"),
        "operator candidates, MAC layer i gets the (i mod n)-th")(
        "images", po::value(&o.images)->default_value(8), "test images to write")(
        "budget-uj", po::value(&o.budget_uj), "budget written into mapping.json")(
        "lut-context", po::value(&o.lut_context)->default_value("widest"),
        "where the LUT's entries assume their data lives: widest (as enos characterize) or candidate "
        "(the plan at each entry's own operator: optimistic for narrow layers)")(
        "out", po::value(&o.out)->required(), "export folder");
    o.shared.declare(d);
    if (!parse_options(args, d)) return int(kOk);
    return run(o);
  });
}

}  // namespace enos::tools
