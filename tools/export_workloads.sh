#!/usr/bin/env bash
# Regenerates configs/workloads/<model>_<HxWxC>.json for every model and both input shapes, and
# <model>_32x32x3_100classes.json (CIFAR-100), from the LibTorch model definitions (tests/models
# checks the files equal a fresh export).
# Usage: tools/export_workloads.sh [build-dir]   (default: build)
set -euo pipefail
cd "$(dirname "$0")/.."
enos=${1:-build}/tools/enos
for model in shufflenetv2_x0.5 shufflenetv2_x1.0 squeezenet1_1 shufflenetv1_g3; do
  for input in 32x32x3 28x28x1; do
    "$enos" models --export "$model" --input "$input" --out "configs/workloads/${model}_${input}.json"
    echo "configs/workloads/${model}_${input}.json"
  done
  "$enos" models --export "$model" --input 32x32x3 --classes 100 --out "configs/workloads/${model}_32x32x3_100classes.json"
  echo "configs/workloads/${model}_32x32x3_100classes.json"
done
