#include "sim/runner.hpp"

#include <cstdio>
#include <stdexcept>

#include "dataflow/limits.hpp"
#include "spec/json_reader.hpp"
#include "spec/limits.hpp"

namespace enos::sim {
namespace {

// SystemC's clock is one unsigned 64-bit count of picoseconds for the whole process, and every
// layer adds to it. Each layer stays within spec::kMaxLayerCycles (checked before it is
// mapped); this keeps room for twice that before the next one starts, so the clock can never
// wrap around in the middle of a layer.
void require_time_headroom(const spec::ArchSpec& arch) {
  const double cycle_ps = 1e6 / arch.clock_mhz;
  const double now_ps = sc_core::sc_time_stamp().to_seconds() * 1e12;
  const double max_ps = sc_core::sc_max_time().to_seconds() * 1e12;
  if (now_ps + 2 * double(spec::kMaxLayerCycles) * cycle_ps <= max_ps) return;
  char text[200];
  std::snprintf(text, sizeof text,
                "this run has simulated %.3g s; at %g MHz another layer of up to 2^40 cycles (the limit of one layer) "
                "could overflow SystemC's clock (2^64 ps): run fewer or shorter layers per command",
                now_ps * 1e-12, arch.clock_mhz);
  throw spec::SpecError(arch.file, "arch.clock_mhz", text);
}

}  // namespace

Runner::Runner(const spec::ArchSpec& arch, const std::string& name)
    : accelerator_(std::make_unique<Accelerator>(name.c_str(), arch)) {}

Runner::~Runner() = default;

LayerResult Runner::run(const LayerJob& job) {
  dataflow::check_plan_limits(job.plan, arch(), job.name);
  require_time_headroom(arch());
  LayerResult result;
  result.name = job.name;
  accelerator_->reset_counters();
  accelerator_->controller().submit(job, result);
  const sc_core::sc_time start = sc_core::sc_time_stamp();
  sc_core::sc_start();  // runs until every process waits on nothing pending
  if (!accelerator_->controller().finished())
    throw std::logic_error("internal error: the simulation of layer '" + job.name +
                           "' starved before finishing (a deadlock in the model)");
  result.cycles = accelerator_->gather_cycles();
  result.actions = accelerator_->gather_actions();
  result.macs = accelerator_->macs();
  const sc_core::sc_time cycle(arch().cycle_ns(), sc_core::SC_NS);
  result.elapsed_cycles = int64_t((sc_core::sc_time_stamp() - start) / cycle);
  result.start_cycle = int64_t(start / cycle);
  return result;
}

}  // namespace enos::sim
