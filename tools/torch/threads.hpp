#pragma once
// LibTorch's intra-op threads, as the LibTorch commands' --threads asks (checked by
// tools/shared_options.hpp).
namespace enos::tools {

// 0 means every core.
void use_threads(int threads);

}  // namespace enos::tools
