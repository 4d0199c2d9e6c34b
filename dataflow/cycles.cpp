#include "dataflow/cycles.hpp"

namespace enos::dataflow {

CycleBreakdown& CycleBreakdown::operator+=(const CycleBreakdown& o) {
  busy += o.busy;
  fill_drain += o.fill_drain;
  stall_dram += o.stall_dram;
  stall_glb_ports += o.stall_glb_ports;
  stall_noc += o.stall_noc;
  return *this;
}

nlohmann::json CycleBreakdown::to_json() const {
  return {{"total", total()},
          {"busy", busy},
          {"stalls",
           {{"dram_bandwidth", stall_dram},
            {"glb_ports", stall_glb_ports},
            {"noc", stall_noc},
            {"fill_drain", fill_drain}}}};
}

}  // namespace enos::dataflow
