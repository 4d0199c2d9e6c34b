#pragma once
// Work handed to a component's SC_THREAD from outside it (the controller hands tiles to the
// streamer, the array and the collector; the runner hands layers to the controller).
#include <systemc>

namespace enos::sim {

template <class Work>
class Handoff {
 public:
  void give(const Work& work) {
    work_ = work;
    pending_ = true;
    event_.notify(sc_core::SC_ZERO_TIME);
  }
  // In the component's thread: waits until work was given, then takes it. A flag, not only
  // the event: work given before the thread first waits is kept (an event nobody waits for
  // is lost).
  Work take() {
    while (!pending_) sc_core::wait(event_);
    pending_ = false;
    return work_;
  }

 private:
  Work work_{};
  bool pending_ = false;
  sc_core::sc_event event_;
};

}  // namespace enos::sim
