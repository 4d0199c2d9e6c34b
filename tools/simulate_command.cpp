// `enos simulate`: layers on the cycle-level model, checked bit for bit, with a stats tree.
#include <cstdio>
#include <fstream>
#include <iostream>

#include <boost/program_options.hpp>

#include "characterize/energy_cost.hpp"
#include "characterize/simulation_energy.hpp"
#include "sim/simulation.hpp"
#include "spec/json_reader.hpp"
#include "spec/output_files.hpp"
#include "tools/cli.hpp"
#include "tools/shared_options.hpp"
#include "tools/option_values.hpp"
#include "tools/summary_table.hpp"

namespace po = boost::program_options;

namespace enos::tools {
namespace {

struct SimulateOptions {
  std::string workload, op, out, mapping;
  std::vector<std::string> layers;
  bool quiet = false;
  SharedOptions shared{{SharedOption::Arch, SharedOption::EnergyTable, SharedOption::Seed}, {}};
};

po::options_description simulate_options(SimulateOptions& o) {
  po::options_description d("enos simulate [options]\n\nRuns MAC layers with seeded random data "
                            "through the SystemC model and checks every output against the C++ "
                            "reference.\nWithout --workload or --layer it runs the default workload "
                            "on the default architecture.\n\noptions");
  d.add_options()("help,h", "print this help")(
      "workload", po::value(&o.workload), "workload JSON (default: the shipped ShuffleNetV2 x0.5 CIFAR workload)")(
      "layer", po::value(&o.layers)->composing(),
      "one layer instead of a workload: \"conv:C,K,H,W,R,S,stride,pad,groups\" or \"fc:IN,OUT\" (repeatable)")(
      "op", po::value(&o.op)->default_value(pe::to_string(pe::reference_candidate())), "operator candidate, e.g. int:w4a4, bin:w1a8, mf:w8a8, shift:w4a8")(
      "mapping", po::value(&o.mapping),
      "pin every layer's mapping, a JSON object as in a workload layer (docs/workload-format.md), e.g. "
      "'{\"preset\": \"scalesim\"}' for SCALE-Sim's; a layer that pins its own keeps it")(
      "out", po::value(&o.out), "write the JSON stats tree here")(
      "quiet,q", po::bool_switch(&o.quiet), "print only the totals");
  o.shared.declare(d);
  return d;
}

spec::Workload layers_from_options(const SimulateOptions& o) {
  if (!o.layers.empty() && !o.workload.empty())
    throw std::invalid_argument("give either --workload or --layer, not both");
  if (o.layers.empty()) return spec::load_workload(o.workload.empty() ? default_workload_path() : o.workload);
  spec::Workload w;
  w.name = "command-line layers";
  w.file = spec::kLayerOptionFile;  // messages name the option and the layer's text
  for (std::size_t i = 0; i < o.layers.size(); ++i) {
    spec::Layer l = spec::parse_layer_option(o.layers[i]);
    l.name = "layer" + std::to_string(i);
    w.layers.push_back(l);
  }
  return w;
}

pe::Candidate supported_candidate(const std::string& text, const spec::ArchSpec& arch) {
  pe::Candidate c;
  try {
    c = pe::parse_candidate(text);
  } catch (const std::invalid_argument& e) {
    throw spec::SpecError("--op", text, e.what());
  }
  if (!arch.find_mode(c)) {
    std::string modes;
    for (const spec::ModeSpec& m : arch.modes) modes += (modes.empty() ? "" : ", ") + pe::to_string(m.candidate);
    throw spec::SpecError(arch.file, "arch.pe.modes",
                          "operator " + text + " is not supported by this PE (supported: " + modes + ")");
  }
  return c;
}

int run_simulate(const SimulateOptions& o) {
  o.shared.check();
  const spec::ArchSpec arch = o.shared.load_arch();
  const energy::EnergyTable table = characterize::load_arch_energy_table(arch, default_energy_table_path());
  const spec::Workload workload = layers_from_options(o);
  sim::SimulationRequest request;
  request.arch = &arch;
  request.workload = &workload;
  request.candidate = supported_candidate(o.op, arch);
  request.seed = o.shared.seed();
  spec::OutputFiles outputs;
  if (!o.out.empty()) outputs.check(o.out, "--out");  // before the work, not after it
  request.cost = characterize::energy_cost_model(arch, table);
  request.pin = parse_mapping_option(o.mapping, "--mapping");

  sim::Runner runner(arch);
  const sim::SimulationReport report = sim::simulate(runner, request);
  const characterize::PricedSimulation priced = characterize::price_simulation(report, arch, table);
  nlohmann::json stats = characterize::priced_stats_json(priced, request);
  stats["tool"] = {{"name", "enos"}, {"version", ENOS_VERSION}};
  print_summary(std::cout, priced, request, o.quiet);
  if (!o.out.empty()) {
    outputs.add(o.out, stats.dump(2) + "\n");
    outputs.publish();
    std::cout << "stats written to " << o.out << "\n";
  }
  if (!report.bit_exact()) {
    std::cerr << "enos simulate: FAILED: outputs differ from the C++ reference (see mismatched_outputs)\n";
    return kCheckFailed;
  }
  return kOk;
}

}  // namespace

int simulate_command(const Args& args) {
  return guarded("simulate", [&] {
    SimulateOptions o;
    if (!parse_options(args, simulate_options(o))) return int(kOk);
    return run_simulate(o);
  });
}

}  // namespace enos::tools
