#!/usr/bin/env bash
# Float training figures of docs/models.md: where a training step of ShuffleNetV2 ×0.5 goes in
# both memory formats; seconds per epoch and images/s on CIFAR-10 at batch 128; test accuracy
# after a short schedule on CIFAR-10 and Fashion-MNIST (goals: ≥ 75 % and ≥ 88 % after 5 epochs).
# Usage: bench/bench_models.sh CIFAR10_DIR [build-dir] [epochs]
#   CIFAR10_DIR holds the binary batches, e.g. from ../shared/data/cifar10/prepare.py /tmp/cifar10.
# Runs take long (about 5 minutes per CIFAR-10 epoch on 2 busy cores): start it with nohup.
set -euo pipefail
cd "$(dirname "$0")/.."
cifar=${1:?usage: bench/bench_models.sh CIFAR10_DIR [build-dir] [epochs]}
build=${2:-build}
epochs=${3:-5}
out=${BENCH_OUT:-/tmp/enos-bench-models}
enos="$build/tools/enos"
# OpenMP threads that spin while the other core is busy with someone else's work slow LibTorch
# down many times over on a shared machine (`enos` sets this for enos-nn too; bench_train_step
# is started directly).
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}

echo "== training step by layer kind, both memory formats"
"$build/bench/bench_train_step" shufflenetv2_x0.5 128

echo "== one short epoch (12,800 images) per memory format"
for format in contiguous channels_last; do
  "$enos" train --model shufflenetv2_x0.5 --dataset "cifar10:$cifar" --epochs 1 --train-limit 12800 \
    --test-limit 1000 --memory-format "$format" --out "$out/format-$format" | tail -1
done

echo "== $epochs epochs, CIFAR-10 and Fashion-MNIST, batch 128"
# Flips only for CIFAR-10: in 5 epochs random crops cost more than they give (docs/models.md).
"$enos" train --model shufflenetv2_x0.5 --dataset "cifar10:$cifar" --epochs "$epochs" --augment flip \
  --out "$out/cifar10"
"$enos" train --model shufflenetv2_x0.5 --dataset fashion-mnist --epochs "$epochs" --out "$out/fashion-mnist"

echo "== summary"
for run in cifar10 fashion-mnist; do
  awk -F, -v run="$run" 'NR > 1 { s += $9; n++; ips += $10; acc = $8 }
    END { printf "%-14s %5.1f s/epoch  %6.1f images/s  test accuracy %.2f %% after %d epochs\n",
          run, s / n, ips / n, 100 * acc, n }' "$out/$run/log.csv"
done
