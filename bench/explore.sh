#!/usr/bin/env bash
# Exploration speed: points per second of `enos explore` on the 100-point sweep of the default
# architecture with ShuffleNetV2 x0.5 (configs/sweeps/default_shufflenet_100.json), cold
# (empty LUT cache and output folder) and warm (every entry cached, fresh output folder),
# each the median of several runs.
# Usage: bench/explore.sh [runs] [build-dir]   (expects a release build of `enos`)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
build=${2:-build}
enos=./$build/tools/enos
sweep=configs/sweeps/default_shufflenet_100.json
jobs=$(nproc)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

median() { python3 -c 'import sys,statistics; print("%.3f" % statistics.median(map(float, sys.argv[1:])))' "$@"; }
seconds() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null; t1=$(date +%s.%N); python3 -c "print($t1 - $t0)"; }
rate() { python3 -c "print('%.2f' % (100 / $1))"; }

cold=(); warm=()
for i in $(seq "$runs"); do
  rm -rf "$tmp/cache" "$tmp/out"
  cold+=("$(seconds $enos explore --sweep $sweep --cache "$tmp/cache" --out "$tmp/out" --jobs "$jobs")")
  rm -rf "$tmp/out"
  warm+=("$(seconds $enos explore --sweep $sweep --cache "$tmp/cache" --out "$tmp/out" --jobs "$jobs")")
done
c=$(median "${cold[@]}"); w=$(median "${warm[@]}")
echo "bench_explore: 100 points of $sweep, $jobs workers, $runs runs (medians)"
echo "  cold cache: $c s = $(rate "$c") points/s   (runs: ${cold[*]})"
echo "  warm cache: $w s = $(rate "$w") points/s   (runs: ${warm[*]})"
