#include "tools/torch/threads.hpp"

#include <ATen/Parallel.h>

#include "models/registry.hpp"

namespace enos::tools {

void use_threads(int threads) {
  if (threads == 0)
    models::use_all_cores();
  else
    at::set_num_threads(threads);
}

}  // namespace enos::tools
