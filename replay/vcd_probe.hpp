#pragma once
// A VCD waveform (GTKWave) of one layer of the replay. The model updates its whole PE array
// in one process over plain arrays, so there are no per-PE signals to trace; the probe samples
// the accelerator's counters once per cycle while the armed layer runs (MACs, busy and stall
// cycles, DRAM/GLB/NoC bits) into traced variables. SystemC allows one elaboration per
// process, so the probe and its trace file are built with the accelerator, before the first
// sc_start; it is then armed for the one layer to record and idles (waiting on an event, so
// sc_start still returns) for every other.
#include <string>

#include <systemc>

#include "sim/accelerator.hpp"

namespace enos::replay {

class VcdProbe : public sc_core::sc_module {
 public:
  // `file` ends in .vcd (SystemC adds the extension; it is stripped here). Its folder must be
  // writable: SystemC opens the file only when the simulation starts, and a failure there
  // cannot be recovered from (see spec::TempTarget::create_empty).
  VcdProbe(sc_core::sc_module_name name, sim::Accelerator& accelerator, const std::string& file);
  ~VcdProbe() override;
  // Writes the end of the waveform and closes the file (before it is published); no sample
  // is taken after it.
  void close();
  // The next layer submitted is recorded.
  void arm();
  bool recorded() const { return recorded_; }

 private:
  void run();
  void sample(bool active);

  sim::Accelerator& acc_;
  sc_core::sc_time cycle_;
  sc_core::sc_trace_file* file_ = nullptr;
  sc_core::sc_event arm_event_;
  bool armed_ = false, recorded_ = false;
  // Traced values (cumulative within the layer unless said otherwise).
  bool layer_active_ = false, array_busy_ = false;  // array_busy: a busy array step this cycle
  sc_dt::int64 macs_ = 0, busy_ = 0, fill_drain_ = 0, stall_dram_ = 0, stall_glb_ports_ = 0, stall_noc_ = 0;
  sc_dt::int64 dram_bits_ = 0, glb_bits_ = 0, noc_bits_ = 0, spad_bits_ = 0;
};

}  // namespace enos::replay
