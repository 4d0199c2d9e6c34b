#pragma once
// The error of a budget below the cheapest network a search may choose. Its own type so that
// `enos compare` can record such a method as "does not fit the budget" (the int-only search on
// CIFAR-100 at 0.5, where the pinned 100-class classifier leaves too little) and go on with the
// other methods, while every other bad option still stops the command (exit 2).
#include <stdexcept>
#include <string>

namespace enos::search {

struct UnreachableBudget : std::invalid_argument {
  explicit UnreachableBudget(const std::string& what) : std::invalid_argument(what) {}
};

}  // namespace enos::search
