#include "sim/accelerator.hpp"

#include <algorithm>

namespace enos::sim {
namespace {

int max_lanes(const spec::ArchSpec& arch) {
  int lanes = 1;
  for (const spec::ModeSpec& m : arch.modes) lanes = std::max(lanes, m.lanes);
  return lanes;
}

}  // namespace

Accelerator::Accelerator(sc_core::sc_module_name name, const spec::ArchSpec& arch)
    : sc_core::sc_module(name), arch_(arch), cycle_(arch.cycle_ns(), sc_core::SC_NS) {
  const int depth = arch.noc.fifo_depth;
  const int width = arch.noc.link_width_bits;
  glb_ = std::make_unique<GlobalBuffer>(arch.glb, cycle_);
  if (arch.noc.topology == spec::NocTopology::Systolic)
    build_systolic_network(depth, width);
  else
    build_bus_network(depth, width);
  // The south edge has one channel per column, as wide as a NoC link.
  psum_link_ = std::make_unique<noc::Link<PsumFlit>>("south_edge", depth, arch.cols * width, cycle_);

  ArrayPorts ports;
  ports.west = west_link_ ? west_link_.get() : &input_bus_->destination(0);
  ports.north = north_link_ ? north_link_.get() : &weight_bus_->destination(0);
  ports.south = psum_link_.get();
  ports.operand_stall = [this] { return operand_stall(); };
  ports.output_stall = [this] { return output_stall(); };

  dma_ = std::make_unique<DmaEngine>("dma", arch.dram, *glb_, cycle_);
  streamer_ = std::make_unique<Streamer>("streamer", *glb_, *west_port_, *north_port_);
  array_ = std::make_unique<PeArray>("pe_array", arch.rows, arch.cols, max_lanes(arch),
                                     arch.noc.topology == spec::NocTopology::MulticastBus, arch.zero_gating, cycle_,
                                     ports);
  collector_ = std::make_unique<PsumCollector>("collector", *glb_, *psum_link_);
  controller_ = std::make_unique<Controller>("controller", *dma_, *streamer_, *array_,
                                             *collector_, *glb_, cycle_);
}

// A systolic edge has one channel per row (west) or column (north), each a NoC link wide.
void Accelerator::build_systolic_network(int depth, int width) {
  west_link_ = std::make_unique<noc::Link<DataFlit>>("west_edge", depth, arch_.rows * width, cycle_);
  north_link_ = std::make_unique<noc::Link<DataFlit>>("north_edge", depth, arch_.cols * width, cycle_);
  west_port_ = std::make_unique<LinkEdgePort>(*west_link_);
  north_port_ = std::make_unique<LinkEdgePort>(*north_link_);
}

// Eyeriss keeps separate global networks for input feature maps and filters: one bus each,
// a NoC link wide, whose flits the array multicasts to every PE of a row or column.
void Accelerator::build_bus_network(int depth, int width) {
  input_bus_ = std::make_unique<noc::MulticastBus<DataFlit>>("ifmap_bus", 1, 1, depth, width, cycle_);
  weight_bus_ = std::make_unique<noc::MulticastBus<DataFlit>>("filter_bus", 1, 1, depth, width, cycle_);
  west_port_ = std::make_unique<BusEdgePort>(input_bus_->source(0), uint64_t{1});
  north_port_ = std::make_unique<BusEdgePort>(weight_bus_->source(0), uint64_t{1});
}

StallCause Accelerator::operand_stall() const {
  return streamer_->waiting_on_glb() ? StallCause::GlbPorts : StallCause::Noc;
}

StallCause Accelerator::output_stall() const {
  return collector_->waiting_on_glb() ? StallCause::GlbPorts : StallCause::Noc;
}

void Accelerator::reset_counters() {
  dma_->actions() = {};
  streamer_->actions() = {};
  collector_->actions() = {};
  array_->reset_counters();
  controller_->cycles() = {};
  for (auto* l : {west_link_.get(), north_link_.get()})
    if (l) l->reset_stats();
  for (auto* b : {input_bus_.get(), weight_bus_.get()})
    if (b) b->reset_stats();
  psum_link_->reset_stats();
}

spec::ActionCounts Accelerator::gather_actions() const {
  spec::ActionCounts all;
  all.merge(dma_->actions());
  all.merge(streamer_->actions());
  all.merge(array_->actions());
  all.merge(collector_->actions());
  return all;
}

CycleBreakdown Accelerator::gather_cycles() const {
  CycleBreakdown c = controller_->cycles();
  c += array_->cycles();
  return c;
}

nlohmann::json Accelerator::noc_stats() const {
  auto link = [](const noc::LinkStats& s) {
    return nlohmann::json{{"flits", s.flits}, {"bits", s.bits}, {"busy_cycles", s.busy_cycles},
                          {"full_waits", s.full_waits}};
  };
  nlohmann::json j;
  if (west_link_) {
    j["west_edge"] = link(west_link_->stats());
    j["north_edge"] = link(north_link_->stats());
  } else {
    auto bus = [](const noc::BusStats& b) {
      return nlohmann::json{{"transactions", b.transactions}, {"busy_cycles", b.busy_cycles},
                            {"contention_cycles", b.contention_cycles}};
    };
    j["ifmap_bus"] = bus(input_bus_->stats());
    j["filter_bus"] = bus(weight_bus_->stats());
  }
  j["south_edge"] = link(psum_link_->stats());
  return j;
}

}  // namespace enos::sim
