#!/usr/bin/env bash
# Builds the release tree and prints every benchmark's figures (medians of several runs).
# Usage: bench/run.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
tools/build.sh release >/dev/null
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1
echo "== simulation speed (issue 2)"
./build/bench/bench_simulate configs/arch/ws_systolic_16x16.json \
    configs/workloads/shufflenetv2_x0.5_32x32x3.json int:w8a8 "$runs"
./build/bench/bench_simulate configs/arch/default_reconfigurable_16x16.json \
    configs/workloads/shufflenetv2_x0.5_32x32x3.json int:w4a4 "$runs"
echo
echo "== characterization speed (issue 3)"
bench/characterize.sh 3
echo
echo "== exploration speed (issue 7)"
bench/explore.sh 3
