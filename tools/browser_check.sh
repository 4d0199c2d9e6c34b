#!/usr/bin/env bash
# The pages a person reads, checked in a real browser. Makes a validation report (a generated
# export of ShuffleNetV2 ×0.5 with every PE mode of the default architecture, 20 images, a
# budget 8 % above its LUT energy) and the explore page of configs/sweeps/example_tiny.json,
# renders both in headless Chromium at 1400 and 800 px (tools/browser_check.py) and fails on
# horizontal overflow, clipped chart text, a missing or misaligned chart, an external
# resource, or a shown number that is not its JSON's. Installs Debian's chromium when missing.
#   tools/browser_check.sh [--enos build/tools/enos] [--out DIR] [--screenshots docs/img]
set -euo pipefail
cd "$(dirname "$0")/.."
enos=build/tools/enos
out=""
shots=()
while [ $# -gt 0 ]; do
  case "$1" in
    --enos) enos=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --screenshots) shots=(--screenshots "$2"); shift 2 ;;
    *) echo "usage: tools/browser_check.sh [--enos PATH] [--out DIR] [--screenshots DIR]" >&2; exit 2 ;;
  esac
done
if ! command -v chromium >/dev/null; then
  echo "== installing chromium (Debian) for the browser check"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
if [ -z "$out" ]; then
  out=$(mktemp -d)
  trap 'rm -rf "$out"' EXIT
fi
rm -rf "$out/export" "$out/report" "$out/explore"
arch=configs/arch/default_reconfigurable_16x16.json
modes=$(python3 -c "import json,sys; print(','.join(json.load(open(sys.argv[1]))['pe']['modes']))" "$arch")
"$enos" dev-make-export --arch "$arch" --workload configs/workloads/shufflenetv2_x0.5_28x28x1.json --candidates "$modes" \
  --images 20 --out "$out/export" >/dev/null
budget=$(python3 -c "import json,sys; print(round(json.load(open(sys.argv[1]))['totals']['energy_pj'] / 1e6 * 1.08, 2))" \
  "$out/export/mapping.json")
"$enos" validate --arch "$arch" --mapping "$out/export/mapping.json" --dataset "fashion-mnist:$out/export/data" --images 20 \
  --budget-uj "$budget" --out "$out/report" >/dev/null
"$enos" explore --sweep configs/sweeps/example_tiny.json --out "$out/explore" --cache "$out/cache" --jobs 2 >/dev/null
python3 tools/browser_check.py --report "$out/report/report.html" --report-json "$out/report/report.json" \
  --explore "$out/explore/index.html" --explore-json "$out/explore/results.json" "${shots[@]}"
