#include "replay/vcd_probe.hpp"

namespace enos::replay {
namespace {

// Σ bits of the counted actions whose name starts with `unit.`.
sc_dt::int64 bits_of(const spec::ActionCounts& a, const std::string& unit) {
  sc_dt::int64 bits = 0;
  for (const auto& [name, c] : a.all())
    if (name.compare(0, unit.size() + 1, unit + ".") == 0) bits += c.bits;
  return bits;
}

std::string without_vcd(const std::string& file) {
  const std::string ext = ".vcd";
  return file.size() > ext.size() && file.compare(file.size() - ext.size(), ext.size(), ext) == 0
             ? file.substr(0, file.size() - ext.size())
             : file;
}

}  // namespace

VcdProbe::VcdProbe(sc_core::sc_module_name name, sim::Accelerator& accelerator, const std::string& file)
    : sc_core::sc_module(name), acc_(accelerator), cycle_(accelerator.arch().cycle_ns(), sc_core::SC_NS) {
  file_ = sc_core::sc_create_vcd_trace_file(without_vcd(file).c_str());
  if (!file_) throw std::invalid_argument(file + ": cannot create the VCD file");
  file_->set_time_unit(1, sc_core::SC_PS);
  sc_core::sc_trace(file_, layer_active_, "layer_active");
  sc_core::sc_trace(file_, array_busy_, "array_busy");
  sc_core::sc_trace(file_, macs_, "macs");
  sc_core::sc_trace(file_, busy_, "cycles_busy");
  sc_core::sc_trace(file_, fill_drain_, "cycles_fill_drain");
  sc_core::sc_trace(file_, stall_dram_, "stall_dram");
  sc_core::sc_trace(file_, stall_glb_ports_, "stall_glb_ports");
  sc_core::sc_trace(file_, stall_noc_, "stall_noc");
  sc_core::sc_trace(file_, dram_bits_, "dram_bits");
  sc_core::sc_trace(file_, glb_bits_, "glb_bits");
  sc_core::sc_trace(file_, noc_bits_, "noc_bits");
  sc_core::sc_trace(file_, spad_bits_, "spad_bits");
  SC_HAS_PROCESS(VcdProbe);
  SC_THREAD(run);
}

VcdProbe::~VcdProbe() { close(); }

void VcdProbe::close() {
  if (file_) sc_core::sc_close_vcd_trace_file(file_);
  file_ = nullptr;
}

void VcdProbe::arm() {
  armed_ = true;
  arm_event_.notify(sc_core::SC_ZERO_TIME);
}

void VcdProbe::sample(bool active) {
  const sim::CycleBreakdown c = acc_.gather_cycles();
  const spec::ActionCounts a = acc_.gather_actions();
  layer_active_ = active;
  array_busy_ = active && c.busy > busy_;
  macs_ = acc_.macs();
  busy_ = c.busy;
  fill_drain_ = c.fill_drain;
  stall_dram_ = c.stall_dram;
  stall_glb_ports_ = c.stall_glb_ports;
  stall_noc_ = c.stall_noc;
  dram_bits_ = bits_of(a, "dram");
  glb_bits_ = bits_of(a, "glb");
  noc_bits_ = bits_of(a, "noc");
  spad_bits_ = bits_of(a, "spad");
}

void VcdProbe::run() {
  for (;;) {
    // A flag, not only the event: an arm() before this thread first waits is kept.
    while (!armed_) sc_core::wait(arm_event_);
    armed_ = false;
    sc_core::wait(sc_core::SC_ZERO_TIME);  // let the controller take the job
    while (!acc_.controller().finished()) {
      sample(true);
      sc_core::wait(cycle_);
    }
    sample(false);
    recorded_ = true;
  }
}

}  // namespace enos::replay
