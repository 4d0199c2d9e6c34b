#!/usr/bin/env bash
# Trains (or resumes) one model-zoo entry with its recipe (docs/models.md), in the background-
# friendly way: one thread, resumable, logging to RUNS/<entry>/train.log. Re-running the same
# command after an interruption continues from the last finished epoch.
#
# Usage: tools/zoo_train.sh ENTRY [RUNS_DIR] [DATA_DIR]
#   ENTRY: shufflenetv2_x0.5-fashion-mnist | shufflenetv2_x0.5-cifar10 |
#          shufflenetv2_x0.5-cifar10-r2 | shufflenetv2_x0.5-cifar100 | squeezenet1_1-cifar10
#   RUNS_DIR: where the run folders live (default: runs/ beside the sources)
#   DATA_DIR: holds cifar10/ and cifar100/ in the binary layout (default: data/ beside the
#             sources; ../shared/data/*/prepare.py writes them)
# ENOS_BIN=/path/to/a/copy/of/enos (with enos-nn beside it) keeps a rebuild from touching the run.
# When the run has finished: build/tools/enos models --publish RUNS/ENTRY --target T
set -euo pipefail
cd "$(dirname "$0")/.."
entry=${1:?usage: tools/zoo_train.sh ENTRY [RUNS_DIR] [DATA_DIR]}
runs=${2:-runs}
data=${3:-data}
enos=${ENOS_BIN:-build/tools/enos}  # ENOS_BIN: a copy, so that rebuilding does not touch a running training

# The recipe: SGD with Nesterov momentum 0.9, weight decay 5e-4, batch 128 (the fastest per image
# on one thread here), linear warm-up then cosine to 0, label smoothing 0.1 (none in -r2), the
# dataset's standard augmentation; the whole training set, test accuracy measured once at the end.
common=(--batch 128 --lr 0.1 --momentum 0.9 --weight-decay 5e-4 --augment standard --test-at end --threads 1 --seed 1)
ls=(--label-smoothing 0.1)
case "$entry" in
  shufflenetv2_x0.5-fashion-mnist) args=(--model shufflenetv2_x0.5 --dataset fashion-mnist --epochs 40 --warmup 1 "${ls[@]}") ;;
  shufflenetv2_x0.5-cifar10) args=(--model shufflenetv2_x0.5 --dataset "cifar10:$data/cifar10" --epochs 200 --warmup 2 "${ls[@]}") ;;
  # The recipe tools/zoo_screen.sh chose on a validation split (docs/models.md): no label smoothing.
  shufflenetv2_x0.5-cifar10-r2) args=(--model shufflenetv2_x0.5 --dataset "cifar10:$data/cifar10" --epochs 100 --warmup 2
                                      --label-smoothing 0) ;;
  shufflenetv2_x0.5-cifar100) args=(--model shufflenetv2_x0.5 --dataset "cifar100:$data/cifar100" --epochs 100 --warmup 2 "${ls[@]}") ;;
  squeezenet1_1-cifar10) args=(--model squeezenet1_1 --dataset "cifar10:$data/cifar10" --epochs 60 --warmup 2 "${ls[@]}") ;;
  *) echo "zoo_train.sh: unknown entry '$entry'" >&2; exit 2 ;;
esac
dir="$runs/$entry"
mkdir -p "$runs"
if [ -f "$dir/config.json" ]; then
  exec "$enos" train --resume "$dir" >> "$dir/train.log" 2>&1
fi
mkdir -p "$dir"
exec "$enos" train "${args[@]}" "${common[@]}" --out "$dir" >> "$dir/train.log" 2>&1
