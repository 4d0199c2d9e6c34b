#pragma once
// Shared helpers of the NoC tests: lambdas as SystemC processes, time in cycles.
// sc_spawn needs this macro before the first <systemc> include of the translation unit.
#define SC_INCLUDE_DYNAMIC_PROCESSES
#include <systemc>

#include <cstdint>
#include <utility>

namespace enos::noc::test {

// A function, not a global: an sc_time built during static initialization would touch the
// kernel before sc_main.
inline sc_core::sc_time cycle() { return sc_core::sc_time(1, sc_core::SC_NS); }

inline int64_t now_cycles() { return int64_t(sc_core::sc_time_stamp().value() / cycle().value()); }

inline void wait_cycles(int64_t n) {
  if (n > 0) sc_core::wait(sc_core::sc_time::from_value(uint64_t(n) * cycle().value()));
}

// Runs the simulation for n more cycles (from sc_main).
inline void run_cycles(int64_t n) {
  sc_core::sc_start(sc_core::sc_time::from_value(uint64_t(n) * cycle().value()));
}

inline int64_t ceil_cycles(int bits, int width) {
  const int64_t c = (bits + width - 1) / width;
  return c < 1 ? 1 : c;
}

// Spawns `body` as an SC_THREAD (elaboration time only).
template <class F>
void thread(const char* name, F body) {
  sc_core::sc_spawn(std::move(body), name);
}

// Spawns `body` as an SC_METHOD statically sensitive to `e`, not run at initialization.
template <class F>
void method_on(const char* name, const sc_core::sc_event& e, F body) {
  sc_core::sc_spawn_options opt;
  opt.spawn_method();
  opt.set_sensitivity(&e);
  opt.dont_initialize();
  sc_core::sc_spawn(std::move(body), name, &opt);
}

}  // namespace enos::noc::test
