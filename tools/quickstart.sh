#!/usr/bin/env bash
# Quick start, step 1: install what is needed, build, and run the main job on its built-in
# default (`enos simulate`: the shipped ShuffleNetV2 x0.5 CIFAR workload on the default
# reconfigurable 16x16 architecture, int:w8a8, checked bit for bit).
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
tools/build.sh release
mkdir -p out
./build/tools/enos simulate --out out/simulate-default.json
