#include "characterize/worker_pool.hpp"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <exception>
#include <stdexcept>
#include <vector>

#include "dataflow/mapper.hpp"
#include "spec/json_reader.hpp"

namespace enos::characterize {
namespace {

struct Shared {
  std::atomic<int> next{0};
  std::atomic<int> done{0};
  std::atomic<int> failed{0};
  std::atomic<int> bad_input{0};  // the first failure was the user's input
  char message[1024] = {};
};

void run_worker(Shared& shared, int items, const std::function<void(int)>& work) {
  for (;;) {
    if (shared.failed.load()) return;
    const int i = shared.next.fetch_add(1);
    if (i >= items) return;
    work(i);
    shared.done.fetch_add(1);
  }
}

void record_failure(Shared& shared, const std::exception& e, bool bad_input) {
  if (shared.failed.exchange(1) != 0) return;
  std::snprintf(shared.message, sizeof shared.message, "%s", e.what());
  shared.bad_input.store(bad_input ? 1 : 0);
}

int worker_main(Shared& shared, int items, const std::function<void(int)>& work) {
  try {
    run_worker(shared, items, work);
    return 0;
  } catch (const spec::SpecError& e) {
    record_failure(shared, e, true);
  } catch (const dataflow::MappingError& e) {
    record_failure(shared, e, true);
  } catch (const std::invalid_argument& e) {
    record_failure(shared, e, true);
  } catch (const std::exception& e) {
    record_failure(shared, e, false);
  }
  return 1;
}

}  // namespace

std::string run_worker_pool(int workers, int items, const std::function<void(int)>& work,
                            const std::function<void(const PoolProgress&)>& on_progress, bool* bad_input) {
  void* mem = mmap(nullptr, sizeof(Shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (mem == MAP_FAILED) return "cannot map shared memory for the workers";
  Shared* shared = new (mem) Shared();
  std::fflush(nullptr);  // children must not flush the parent's buffered output again
  std::vector<pid_t> pids;
  for (int w = 0; w < workers && w < items; ++w) {
    const pid_t pid = fork();
    if (pid == 0) {
      prctl(PR_SET_PDEATHSIG, SIGKILL);  // a killed parent takes its workers with it
      _exit(worker_main(*shared, items, work));
    }
    if (pid < 0) break;
    pids.push_back(pid);
  }
  std::string error = pids.empty() && items > 0 ? "cannot start any worker process" : "";
  std::size_t running = pids.size();
  bool error_is_message = false;
  while (running > 0) {
    on_progress({shared->done.load(), items});
    int status = 0;
    const pid_t pid = waitpid(-1, &status, WNOHANG);
    if (pid > 0) {
      --running;
      const bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
      if (!ok && error.empty()) {
        error_is_message = shared->message[0] != 0;  // record_failure wrote it with its kind
        error = error_is_message ? shared->message
                                 : "a worker process died (signal " +
                                       std::to_string(WIFSIGNALED(status) ? WTERMSIG(status) : 0) + ")";
      }
      if (!ok) shared->failed.store(1);  // the others stop after their current item
      continue;
    }
    usleep(100000);
  }
  on_progress({shared->done.load(), items});
  if (bad_input) *bad_input = error_is_message && shared->bad_input.load();
  shared->~Shared();
  munmap(mem, sizeof(Shared));
  return error;
}

}  // namespace enos::characterize
