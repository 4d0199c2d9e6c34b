#!/usr/bin/env bash
# Characterization speed: every MAC layer of ShuffleNetV2 x0.5 (CIFAR, 32x32) x every mode of
# the default architecture (8 candidates), cold (empty cache) and warm (every entry cached),
# each the median of several runs; then the analytical-vs-SystemC error table.
# Usage: bench/characterize.sh [runs]   (expects a release build in build/)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
enos=./build/tools/enos
work=configs/workloads/shufflenetv2_x0.5_32x32x3.json
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

median() { python3 -c 'import sys,statistics; print("%.3f" % statistics.median(map(float, sys.argv[1:])))' "$@"; }
seconds() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null; t1=$(date +%s.%N); python3 -c "print($t1 - $t0)"; }

cold=(); warm=()
for i in $(seq "$runs"); do
  rm -rf "$tmp/cache"
  cold+=("$(seconds $enos characterize --workload $work --cache "$tmp/cache" --out "$tmp/lut.json")")
  warm+=("$(seconds $enos characterize --workload $work --cache "$tmp/cache" --out "$tmp/lut.json")")
done
entries=$(python3 -c "import json; l=json.load(open('$tmp/lut.json')); print(len(l['layers']), 'layers x', len(l['candidates']), 'candidates')")
echo "bench_characterize: $entries on default_reconfigurable_16x16, $(nproc) workers, $runs runs (medians)"
echo "  cold cache: $(median "${cold[@]}") s   (runs: ${cold[*]})"
echo "  warm cache: $(median "${warm[@]}") s   (runs: ${warm[*]})"
echo
$enos characterize --workload $work --cache "$tmp/cache" --out "$tmp/lut.json" --check | sed -n '/analytical model vs/,$p'
