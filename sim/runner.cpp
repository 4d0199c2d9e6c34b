#include "sim/runner.hpp"

#include <stdexcept>

namespace enos::sim {

Runner::Runner(const spec::ArchSpec& arch, const std::string& name)
    : accelerator_(std::make_unique<Accelerator>(name.c_str(), arch)) {}

Runner::~Runner() = default;

LayerResult Runner::run(const LayerJob& job) {
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
