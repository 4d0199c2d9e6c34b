#!/usr/bin/env bash
# Configures and builds one tree. Usage: tools/build.sh [release|asan|fuzz]
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:-release}
jobs=$(nproc)
case "$kind" in
  release) dir=build; flags=(-DCMAKE_BUILD_TYPE=Release) ;;
  # -O1 -g1 (line tables only): what the sanitizers need for readable reports, at a fraction
  # of the compile and link time of -O2 -g; no benchmarks in this tree.
  asan) dir=build-asan; flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1"
                               -DENOS_SANITIZE=ON -DENOS_WITH_TORCH=OFF -DENOS_BUILD_BENCH=OFF) ;;
  # The libFuzzer targets (fuzz/, docs/fuzzing.md): clang, ASan+UBSan, the input loaders only.
  fuzz) dir=build-fuzz; flags=(-DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=RelWithDebInfo
                               "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1" -DENOS_FUZZ=ON) ;;
  *) echo "usage: tools/build.sh [release|asan|fuzz]" >&2; exit 2 ;;
esac
cmake -S . -B "$dir" -G Ninja "${flags[@]}" >/dev/null
cmake --build "$dir" -j "$jobs"
