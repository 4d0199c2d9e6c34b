#pragma once
// Runs work items in N forked worker processes. SystemC elaborates once per process, so each
// worker builds its own model on its first item; items are handed out one at a time from a
// counter in shared memory, so fast and slow items balance across workers. The parent
// elaborates nothing: it only reports progress and collects exit statuses.
#include <functional>
#include <string>

namespace enos::characterize {

struct PoolProgress {
  int done = 0, total = 0;
};

// `work(i)` runs in a worker for each i in [0, items); it must leave its result where the
// parent can find it (the cache). Returns the first failed worker's message, empty on
// success; `bad_input`, when given, says whether that failure was the user's input
// (spec::SpecError, dataflow::MappingError, std::invalid_argument: exit 2, not 4).
// `on_progress` is called in the parent about ten times a second.
std::string run_worker_pool(int workers, int items, const std::function<void(int)>& work,
                            const std::function<void(const PoolProgress&)>& on_progress, bool* bad_input = nullptr);

}  // namespace enos::characterize
