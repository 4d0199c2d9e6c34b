#!/usr/bin/env bash
# Measures docs/results.md: `enos compare` from the model zoo's checkpoints, resumably (a
# finished comparison is skipped; run the same command again after an interruption).
#
# Usage: tools/results.sh TABLE [OUT_DIR] [DATA_DIR]
#   TABLE: fm-0.5 | c10-0.5          the main tables: every method, 3 seeds
#          fm-0.4 | fm-0.6 | c10-0.4 | c10-0.6 | c100-0.5 | c100-0.6 | squeeze-c10-0.5
#                                    ENOS in its best mode on fm-0.5 (single), int-only and the
#                                    uniform networks, 1 seed
#   OUT_DIR: default results/ beside the sources; DATA_DIR: holds cifar10/ and cifar100/ (data/)
# Each table runs on one thread: start two tables side by side on a 2-core machine, or split one
# table's methods between two processes with METHODS (below). The 0.4/0.6 tables read the 0.5
# table's reference and uni-operator runs when it has them (`enos compare --reuse`): run 0.5 first.
set -euo pipefail
cd "$(dirname "$0")/.."
table=${1:?usage: tools/results.sh TABLE [OUT_DIR] [DATA_DIR]}
out=${2:-results}
data=${3:-data}
enos=${ENOS_BIN:-build/tools/enos}  # ENOS_BIN: a copy, so that rebuilding does not touch a running comparison
mkdir -p "$out"

lut() {  # lut MODEL INPUT [CLASSES]: the LUT of the default architecture (cached by enos characterize)
  local classes=${3:-10}
  local file="$out/lut_$1_$2.json"
  [ "$classes" = 10 ] || file="$out/lut_$1_$2_${classes}classes.json"
  [ -f "$file" ] || "$enos" characterize --model "$1" --input "$2" --classes "$classes" --jobs 1 --out "$file" > /dev/null
  echo "$file"
}

# The schedule every method shares: 2 search epochs (weights at lr 0.01, docs/search.md) and
# 2 fine-tuning epochs on 10,000
# training images, the full test set.
schedule=(--epochs 2 --finetune-epochs 2 --train-limit 10000 --lr 0.01 --threads 1)

# Always runs compare: it resumes by itself (each finished run is read back from its
# compare_run.json), and compare.md is rewritten after every run, so it says nothing about
# whether the table is complete.
# METHODS (environment): a subset of the table's methods, to split one table between two
# processes on two cores (no method in both); the table's own command afterwards writes the
# whole compare.md from the finished runs.
# REUSE_FROM (a table's name): its finished reference and uni-operator runs serve this table
# (`enos compare --reuse`: they do not depend on the budget), when that table has them.
compare() {  # compare NAME MODEL INPUT DATASET BUDGET SEEDS METHODS [CLASSES [REUSE_FROM]]
  local dir="$out/$1" reuse=()
  [ -n "${9:-}" ] && [ -d "$out/$9" ] && reuse=(--reuse "$out/$9")
  "$enos" compare --lut "$(lut "$2" "$3" "${8:-10}")" --model "$2" --dataset "$4" --budget-frac "$5" --seeds "$6" \
      --methods "${METHODS:-$7}" "${schedule[@]}" --out "$dir" "${reuse[@]}" | tee -a "$dir.log"
}

all=reference,uniform,int-only,single,bilevel,sequential,stochastic
few=reference,uniform,int-only,single  # single: the best mode of fm-0.5 (docs/results.md)
case "$table" in
  fm-0.5)  compare fm-0.5 shufflenetv2_x0.5 28x28x1 fashion-mnist 0.5 3 "$all" ;;
  c10-0.5) compare c10-0.5 shufflenetv2_x0.5 32x32x3 "cifar10:$data/cifar10" 0.5 3 "$all" ;;
  fm-0.4)  compare fm-0.4 shufflenetv2_x0.5 28x28x1 fashion-mnist 0.4 1 "$few" 10 fm-0.5 ;;
  fm-0.6)  compare fm-0.6 shufflenetv2_x0.5 28x28x1 fashion-mnist 0.6 1 "$few" 10 fm-0.5 ;;
  c10-0.4) compare c10-0.4 shufflenetv2_x0.5 32x32x3 "cifar10:$data/cifar10" 0.4 1 "$few" 10 c10-0.5 ;;
  c10-0.6) compare c10-0.6 shufflenetv2_x0.5 32x32x3 "cifar10:$data/cifar10" 0.6 1 "$few" 10 c10-0.5 ;;
  c100-0.5) compare c100-0.5 shufflenetv2_x0.5 32x32x3 "cifar100:$data/cifar100" 0.5 1 "$few" 100 ;;
  # At 0.5 the pinned 100-class classifier leaves the int-only search no network that fits.
  c100-0.6) compare c100-0.6 shufflenetv2_x0.5 32x32x3 "cifar100:$data/cifar100" 0.6 1 "$few" 100 c100-0.5 ;;
  squeeze-c10-0.5) compare squeeze-c10-0.5 squeezenet1_1 32x32x3 "cifar10:$data/cifar10" 0.5 1 "$few" ;;
  *) echo "results.sh: unknown table '$table'" >&2; exit 2 ;;
esac
