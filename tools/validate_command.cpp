// `enos validate`: replay an exported network on the SystemC model with real test images,
// check every layer bit for bit against the C++ integer reference, and report energy
// (replayed vs LUT vs budget), latency, utilization and accuracy (docs/validate.md).
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include <boost/program_options.hpp>

#include "characterize/energy_cost.hpp"
#include "replay/chrome_trace.hpp"
#include "replay/network.hpp"
#include "replay/report.hpp"
#include "replay/vcd_probe.hpp"
#include "spec/json_reader.hpp"
#include "tools/cli.hpp"
#include "tools/shared_options.hpp"
#include "tools/option_values.hpp"
#include "tools/progress.hpp"
#include "tools/validate_outputs.hpp"

namespace po = boost::program_options;

namespace enos::tools {
namespace {

struct ValidateOptions {
  std::string mapping, dataset, out, trace, vcd, window;
  SharedOptions shared{{SharedOption::Arch, SharedOption::EnergyTable}, {}};  // --arch: its hash must match the export's
  int64_t images = 20;
  std::string budget_uj;      // tools::parse_budget_uj when given (boost takes "nan")
  bool budget_given = false;  // --budget-uj "" is a mistake, not "no budget"
};

po::options_description validate_options(ValidateOptions& o) {
  po::options_description d(
      "enos validate --arch A.json --mapping DIR/mapping.json [options] --out REPORT_DIR\n\n"
      "Replays the exported network on the SystemC model with real test images, checks every layer\n"
      "bit for bit against the C++ integer reference, and writes report.json, report.md and report.html.\n"
      "Exit code 0 within budget, 3 over budget, 1 outputs differ, 2 bad input.\n\noptions");
  d.add_options()("help,h", "print this help")(
      "mapping", po::value(&o.mapping)->required(), "the export's mapping.json")(
      "dataset", po::value(&o.dataset), "NAME[:DIR] of the test images (default: the export's dataset)")(
      "images", po::value(&o.images)->default_value(20), "test images to replay (the first N of the test split)")(
      "budget-uj", po::value(&o.budget_uj), "energy budget per inference in µJ (default: the export's)")(
      "out", po::value(&o.out)->required(), "report folder")(
      "trace", po::value(&o.trace), "write a Chrome trace-event JSON of one inference (Perfetto, chrome://tracing)")(
      "vcd", po::value(&o.vcd), "write a VCD waveform of the layer named by --window (GTKWave)")(
      "window", po::value(&o.window), "the MAC layer --vcd records");
  o.shared.declare(d);
  return d;
}

void check_hash(const spec::ArchSpec& arch, const replay::Export& e) {
  if (arch.hash == e.arch_hash) return;
  throw spec::SpecError(arch.file, "arch",
                        "architecture '" + arch.name + "' (hash " + arch.hash + ") is not the one the export was searched for: " +
                            e.mapping_file + " names '" + e.arch_name + "' with hash " + e.arch_hash +
                            " (its LUT " + e.lut_file + " was characterized on that architecture); pass that --arch, or "
                            "characterize and search again");
}

void check_window(const ValidateOptions& o, const replay::Export& e) {
  if (o.vcd.empty() != o.window.empty())
    throw spec::SpecError(o.vcd.empty() ? "--window" : "--vcd", o.vcd.empty() ? o.window : o.vcd,
                          "--vcd FILE and --window LAYER go together");
  if (o.window.empty()) return;
  std::string macs;
  for (const spec::Layer& l : e.workload.layers) {
    if (!l.is_mac()) continue;
    if (l.name == o.window) return;
    macs += (macs.empty() ? "" : ", ") + l.name;
  }
  throw spec::SpecError("--window", o.window, "is not a MAC layer of the export (MAC layers: " + macs + ")");
}

void print_verdict(const nlohmann::json& r, const std::string& out) {
  const auto& e = r["energy"];
  std::printf("replayed %lld images: energy %.4f µJ per inference (array %.4f + post-processing %.4f), LUT %.4f µJ (%+.3f %%)",
              (long long)r["accuracy"]["images"].get<int64_t>(), e["replayed_uj"].get<double>(), e["array_uj"].get<double>(),
              e["ppu_uj"].get<double>(), e["lut_estimate_uj"].get<double>(), 100 * e["lut_error_frac"].get<double>());
  if (!e["budget_uj"].is_null())
    std::printf(", budget %.4f µJ (headroom %.4f µJ, %.1f %%)", e["budget_uj"].get<double>(), e["budget_margin_uj"].get<double>(),
                e["budget_margin_frac"].is_null() ? 0.0 : 100 * e["budget_margin_frac"].get<double>());
  std::printf("\nlatency %.2f µs (%.1f inferences/s at %.0f MHz); accuracy %.1f %%; bit-exact: %s\n",
              r["latency"]["total_us"].get<double>(), r["latency"]["inferences_per_second"].get<double>(),
              r["latency"]["clock_mhz"].get<double>(), 100 * r["accuracy"]["accuracy_frac"].get<double>(),
              r["bit_exact"]["ok"].get<bool>() ? "yes" : "NO");
  std::printf("report: %s/report.html (and report.md, report.json)\nverdict: %s\n", out.c_str(),
              r["verdict"].get<std::string>().c_str());
}

int run_validate(const ValidateOptions& o) {
  o.shared.check();
  const spec::ArchSpec arch = o.shared.load_arch();
  const energy::EnergyTable table = characterize::load_arch_energy_table(arch, default_energy_table_path());
  const replay::Export e = replay::load_export(o.mapping);
  check_hash(arch, e);
  const std::string lut_checked = replay::check_lut(e, arch.hash, arch.file);
  replay::tensor_formats(e);  // every format problem before the first image
  const std::string dataset = o.dataset.empty() ? e.dataset : o.dataset;
  const replay::TestImages images = replay::load_test_images(dataset);
  replay::check_input_shape(images, e.workload.input, e.mapping_file);
  if (o.images < 1 || o.images > images.set.count())
    throw spec::SpecError("--images", std::to_string(o.images),
                          "must be 1 … " + std::to_string(images.set.count()) + " (the test split of " + images.name + ")");
  check_window(o, e);
  std::optional<double> budget = e.budget_uj;
  if (o.budget_given) budget = parse_budget_uj(o.budget_uj, "--budget-uj");
  ValidateOutputs outputs(o.out, o.trace, o.vcd);  // every output writable, before the replay

  std::printf("replaying %s (%s) on %s: %.0f MHz, %d nm, energy table %s; %lld images of %s\n", e.model.c_str(),
              e.mapping_file.c_str(), arch.name.c_str(), arch.clock_mhz, arch.technology_nm, table.name.c_str(),
              (long long)o.images, dataset.c_str());
  sim::Runner runner(arch);
  // Built before the first sc_start (one elaboration per process), armed for the window only.
  std::unique_ptr<replay::VcdProbe> probe;
  if (!o.vcd.empty()) probe = std::make_unique<replay::VcdProbe>("vcd_probe", runner.accelerator(), outputs.vcd_temp());
  ProgressBar bar("validate");
  replay::ReplayRequest req{&e, &arch, &table, &images, o.images, [&](int64_t d, int64_t t) { bar.update(long(d), long(t)); },
                            !o.trace.empty(), {}};
  if (probe)
    req.before_mac = [&](const spec::Layer& l) {
      if (l.name == o.window && !probe->recorded()) probe->arm();
    };
  const replay::ReplayResult result = replay::replay(runner, req);
  bar.finish();
  nlohmann::json report =
      replay::report_json({&e, &arch, &table, &result, dataset, budget, ENOS_VERSION});
  report["export"]["lut_checked"] = !lut_checked.empty();
  outputs.add_report("report.json", report.dump(2) + "\n");
  outputs.add_report("report.md", replay::report_markdown(report));
  outputs.add_report("report.html", replay::report_html(report));
  if (!o.trace.empty()) outputs.add_trace(replay::chrome_trace(result, arch).dump() + "\n");
  outputs.publish(probe.get());
  if (probe) std::printf("vcd: %s (layer %s of the first image; open with GTKWave)\n", o.vcd.c_str(), o.window.c_str());
  if (!o.trace.empty()) std::printf("trace: %s (open in https://ui.perfetto.dev or chrome://tracing)\n", o.trace.c_str());
  print_verdict(report, o.out);
  const std::string verdict = report["verdict"];
  if (verdict == "mismatch") {
    std::fprintf(stderr, "enos validate: FAILED: the replay's outputs differ from the C++ integer reference (see report.json layers[].bit_exact)\n");
    return kCheckFailed;
  }
  return verdict == "over_budget" ? kOverBudget : kOk;
}

}  // namespace

int validate_command(const Args& args) {
  return guarded("validate", [&] {
    ValidateOptions o;
    po::variables_map given;
    if (!parse_options(args, validate_options(o), &given)) return int(kOk);
    o.budget_given = given.count("budget-uj") > 0;
    return run_validate(o);
  });
}

}  // namespace enos::tools
