#!/usr/bin/env bash
# LUT vs replay agreement and bit-exactness: a generated export (dev-make-export: random weights, every
# PE mode cycled over the MAC layers, LUT characterized on the SystemC model) of each shipped 28x28x1
# network on each preset, replayed with the first 20 Fashion-MNIST test images. Usage:
#   [ENOS=build/tools/enos] [OUT=/tmp/dir] bench/validate_agreement.sh
set -u
cd "$(dirname "$0")/.."
E=${ENOS:-./build/tools/enos}
OUT=${OUT:-/tmp/enos-validate-agreement}
mkdir -p "$OUT"

for arch in default_reconfigurable_16x16 ws_systolic_16x16 os_systolic_16x16 eyeriss_like_12x14; do
  cands=$(python3 -c "import json;a=json.load(open('configs/arch/$arch.json'));print(','.join(a['pe']['modes']))" 2>/dev/null)
  for wl in shufflenetv2_x0.5_28x28x1 shufflenetv1_g3_28x28x1; do
    d=$OUT/${arch}_$wl
    rm -rf $d
    $E dev-make-export --arch configs/arch/$arch.json --workload configs/workloads/$wl.json --candidates "$cands" --images 20 --out $d > $d.gen.log 2>&1 || { echo "$arch $wl gen failed: $(tail -1 $d.gen.log)"; continue; }
    start=$(date +%s.%N)
    $E validate --arch configs/arch/$arch.json --mapping $d/mapping.json --dataset fashion-mnist --images 20 --out $d/report > $d.val.log 2>&1; rc=$?
    end=$(date +%s.%N)
    python3 - "$d/report/report.json" "$arch" "$wl" "$rc" "$start" "$end" <<'P'
import json,sys
r=json.load(open(sys.argv[1]))
macs=[l for l in r['layers'] if l['unit']=='pe_array']
e=max(abs(l['lut_error_frac']) for l in macs)
print(f"{sys.argv[2]:30s} {sys.argv[3]:28s} rc={sys.argv[4]} layers={len(macs)} max|err|={e:.2e} total err={r['energy']['lut_error_frac']:.2e} "
      f"bit-exact={r['bit_exact']['ok']} values={r['bit_exact']['checked_values']} stall-free={sum(all(l['by_cause_cycles'][k] == 0 for k in ('dram_bandwidth_stall', 'glb_port_stall', 'noc_stall')) for l in macs)} "
      f"replayed={r['energy']['replayed_uj']:.2f}uJ array={r['energy']['array_uj']:.2f} lut={r['energy']['lut_estimate_uj']:.2f} ppu={r['energy']['ppu_uj']:.2f} "
      f"wall={float(sys.argv[6])-float(sys.argv[5]):.1f}s")
P
  done
done
