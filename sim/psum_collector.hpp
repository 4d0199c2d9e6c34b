#pragma once
// Receives accumulators from the array's south edge and writes them into the global buffer's
// partial-sum slot, pass after pass of a tile: weight- and input-stationary passes after the
// first of a reduction read the earlier partial sum and add to it (wrapping, as the PE does);
// output-stationary outputs arrive complete.
#include <systemc>

#include "noc/link.hpp"
#include "sim/flit.hpp"
#include "sim/global_buffer.hpp"
#include "sim/handoff.hpp"
#include "sim/tally.hpp"
#include "sim/tile_context.hpp"
#include "spec/actions.hpp"

namespace enos::sim {

class PsumCollector : public sc_core::sc_module {
 public:
  PsumCollector(sc_core::sc_module_name name, GlobalBuffer& glb, noc::Link<PsumFlit>& in);

  void start(const TileWork& work) { inbox_.give(work); }  // done_event() when the tile's last pass is stored
  const sc_core::sc_event& done_event() const { return done_event_; }
  bool waiting_on_glb() const { return waiting_on_glb_; }
  spec::ActionCounts& actions() { return actions_; }

 private:
  void run();
  void store(const PsumFlit& flit);

  GlobalBuffer& glb_;
  noc::Link<PsumFlit>& in_;
  TileWork work_;
  TileContext tile_;
  Handoff<TileWork> inbox_;
  sc_core::sc_event done_event_;
  bool waiting_on_glb_ = false;
  spec::ActionCounts actions_;
  Tally tally_;
  int read_psum_, write_psum_, write_output_;
};

}  // namespace enos::sim
