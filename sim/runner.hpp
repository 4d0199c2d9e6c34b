#pragma once
// Streams layer jobs through one elaborated accelerator. SystemC allows one elaboration per
// process: construct every Runner a process needs before the first run(); each run() is
// one more sc_start() on the same model, never an sc_stop().
#include <memory>

#include "sim/accelerator.hpp"
#include "sim/layer_job.hpp"

namespace enos::sim {

class Runner {
 public:
  // `name` tells apart several accelerators elaborated in one process.
  explicit Runner(const spec::ArchSpec& arch, const std::string& name = "accelerator");
  ~Runner();
  Runner(const Runner&) = delete;
  Runner& operator=(const Runner&) = delete;

  LayerResult run(const LayerJob& job);
  const spec::ArchSpec& arch() const { return accelerator_->arch(); }
  nlohmann::json last_noc_stats() const { return accelerator_->noc_stats(); }
  // For probes that watch the model (e.g. a VCD of one layer); build them before the first run().
  Accelerator& accelerator() { return *accelerator_; }

 private:
  std::unique_ptr<Accelerator> accelerator_;
};

}  // namespace enos::sim
