#!/usr/bin/env bash
# Quick start, step 1: install what is needed, build, run `enos simulate` on its built-in
# default (the shipped ShuffleNetV2 x0.5 CIFAR workload on the default reconfigurable 16x16
# architecture, int:w8a8, checked bit for bit), then `enos run`: the whole pipeline
# (characterize, search, fine-tune, replay, report) on its built-in default.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
tools/build.sh release
mkdir -p out
./build/tools/enos simulate --out out/simulate-default.json
# Then the whole pipeline on its built-in default (docs/run-config.md): characterize, search
# (stochastic ENOS on Fashion-MNIST under the default budget) with fine-tuning, replay, report.
# It needs the LibTorch side's `enos search`; a build without it stops after the simulation.
if ./build/tools/enos search --help >/dev/null 2>&1; then
  ./build/tools/enos run
else
  echo "quickstart: 'enos search' is not in this build; skipping 'enos run' (see docs/run-config.md)"
fi
