#!/usr/bin/env bash
# Agreement with SCALE-Sim v2 (docs/dataflow.md, "Agreement with SCALE-Sim"): the same dense
# layers on SCALE-Sim and on `enos simulate` (SCALE-Sim's mapping pinned, then the project's own
# mapper), for weight-, output- and input-stationary on several arrays; per layer cycles, SRAM
# reads and writes per operand and their ratios, the wall-time ratio measured in the same run.
# Installs SCALE-Sim's Python packages (Debian's) when they are missing and brings enos up to date.
# Usage:
#   bench/scalesim_crosscheck.sh [--quick] [--limited] [--repeats N] [--out DIR]
#   env: ENOS (default: build-bench/tools/enos, built or rebuilt first), SCALESIM (default:
#        ../shared/tools/scale-sim-v2 beside the repository)
# SCALE-Sim is slow (about 100 µs per simulated cycle): the full run takes 20-40 minutes on two
# cores, --quick about 5. Never run in CI; tests/sim/test_scalesim_agreement.cpp pins its figures.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
SCALESIM=${SCALESIM:-$REPO/../shared/tools/scale-sim-v2}
PY=/usr/bin/python3

if [ ! -f "$SCALESIM/scalesim/scale.py" ]; then
  echo "scalesim_crosscheck: no SCALE-Sim v2 at $SCALESIM (set SCALESIM)" >&2
  exit 2
fi

# SCALE-Sim's packages from Debian (PyPI is not needed): idempotent.
if ! $PY -c "import numpy, pandas, absl, tqdm" 2>/dev/null; then
  echo "scalesim_crosscheck: installing python3-numpy python3-pandas python3-absl python3-tqdm" >&2
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-numpy python3-pandas python3-absl python3-tqdm
fi

if [ -z "${ENOS:-}" ]; then
  # Configured once, brought up to date every time: a binary left from older sources would
  # time and check the wrong simulator.
  ENOS=$REPO/build-bench/tools/enos
  if [ ! -f "$REPO/build-bench/CMakeCache.txt" ]; then
    echo "scalesim_crosscheck: configuring enos (Release, without LibTorch) in build-bench" >&2
    cmake -S "$REPO" -B "$REPO/build-bench" -G Ninja -DCMAKE_BUILD_TYPE=Release -DENOS_WITH_TORCH=OFF >/dev/null
  fi
  cmake --build "$REPO/build-bench" -j"$(nproc)" --target enos >/dev/null
fi

exec $PY "$REPO/bench/scalesim_crosscheck.py" --enos "$ENOS" --scalesim "$SCALESIM" --python $PY "$@"
