#pragma once
// The accelerator top: global buffer, DMA engine, the network between buffer and array
// (dedicated systolic edge links, or a shared multicast bus), the PE array, the partial-sum
// collector and the controller, elaborated once per architecture.
#include <memory>

#include <systemc>

#include "noc/link.hpp"
#include "noc/multicast_bus.hpp"
#include "sim/controller.hpp"
#include "sim/edge_port.hpp"
#include "spec/arch.hpp"

namespace enos::sim {

class Accelerator : public sc_core::sc_module {
 public:
  Accelerator(sc_core::sc_module_name name, const spec::ArchSpec& arch);

  const spec::ArchSpec& arch() const { return arch_; }
  Controller& controller() { return *controller_; }
  // Counters of every module, cleared before a layer and gathered after it.
  void reset_counters();
  spec::ActionCounts gather_actions() const;
  CycleBreakdown gather_cycles() const;
  int64_t macs() const { return array_->macs(); }
  nlohmann::json noc_stats() const;

 private:
  void build_systolic_network(int depth, int width);
  void build_bus_network(int depth, int width);
  StallCause operand_stall() const;
  StallCause output_stall() const;

  spec::ArchSpec arch_;
  sc_core::sc_time cycle_;
  std::unique_ptr<GlobalBuffer> glb_;
  std::unique_ptr<noc::Link<DataFlit>> west_link_, north_link_;
  std::unique_ptr<noc::MulticastBus<DataFlit>> input_bus_, weight_bus_;
  std::unique_ptr<noc::Link<PsumFlit>> psum_link_;
  std::unique_ptr<EdgePort> west_port_, north_port_;
  std::unique_ptr<DmaEngine> dma_;
  std::unique_ptr<Streamer> streamer_;
  std::unique_ptr<PeArray> array_;
  std::unique_ptr<PsumCollector> collector_;
  std::unique_ptr<Controller> controller_;
};

}  // namespace enos::sim
