#!/usr/bin/env bash
# Fuzz campaign (docs/fuzzing.md): builds the fuzz tree (tools/build.sh fuzz) and runs every
# libFuzzer target, or the ones named, for SECONDS each, one after another. Each target's
# corpus grows in build-fuzz/campaign/<target>/corpus (seeded from fuzz/corpus/<target>, which
# is only read); findings (crash-*, leak-*, timeout-*, oom-*) land beside it. Prints one line
# per target: executions, executions per second of wall time and of CPU time (on a shared
# machine the second is the one to compare), coverage, corpus size, findings. Exit 1 when
# anything was found.
#   bench/fuzz.sh 600                 # the 10-minute campaign
#   bench/fuzz.sh 60 export sweep     # one minute of two targets
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:?usage: bench/fuzz.sh SECONDS [TARGET...]}
shift
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(json arch workload energy_table run_config sweep export options)
tools/build.sh fuzz >/dev/null
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1
found=0
printf "%-13s %12s %10s %12s %8s %8s %s\n" target executions exec/s exec/cpu-s cov corpus findings
TIMEFORMAT="%U %S"
for t in "${targets[@]}"; do
  dir=build-fuzz/campaign/$t
  mkdir -p "$dir/corpus"
  log=$dir/fuzz.log
  { time build-fuzz/fuzz/fuzz_$t -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -dict=fuzz/enos.dict \
      -print_final_stats=1 -artifact_prefix="$dir/" "$dir/corpus" "fuzz/corpus/$t" >"$log" 2>&1 || true; } 2>"$dir/cpu"
  cpu=$(awk '{printf "%d", $1 + $2 + 0.5}' "$dir/cpu")
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  corpus=$(ls "$dir/corpus" | wc -l)
  findings=$(ls "$dir" | grep -cE '^(crash|leak|timeout|oom|slow-unit)-' || true)
  rate=$([ -n "${runs:-}" ] && [ "${secs:-0}" -gt 0 ] && echo $((runs / secs)) || echo "?")
  cpu_rate=$([ -n "${runs:-}" ] && [ "${cpu:-0}" -gt 0 ] && echo $((runs / cpu)) || echo "?")
  printf "%-13s %12s %10s %12s %8s %8s %s\n" "$t" "${runs:-?}" "$rate" "$cpu_rate" "${cov:-?}" "$corpus" "$findings"
  [ "$findings" -eq 0 ] || found=1
done
exit $found
