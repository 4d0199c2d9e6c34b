#!/usr/bin/env python3
"""Cross-check of `enos simulate` against SCALE-Sim v2 (bench/scalesim_crosscheck.sh runs it).

For each array and dataflow, the same dense layers (scalesim_layers.py) go through SCALE-Sim
and through `enos simulate` three times: with SCALE-Sim's mapping pinned (`--mapping
{"preset":"scalesim"}`, docs/dataflow.md), the same over the used PEs only, and with the
project's own mapper; both tools' wall and CPU times are measured in the same run. Ample bandwidth
and large SRAMs: SCALE-Sim in CALC mode, the project with a wide, large global buffer and a
fast DRAM; its stall-free cycles (busy + fill/drain) are compared with SCALE-Sim's total
minus its stalls. `--limited` adds the bandwidth-limited comparison (SCALE-Sim's USER mode).
Prints the tables and writes OUT/results.json. Only the Python standard library is used here.
"""
import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time

import scalesim_layers as layers

DATAFLOWS = [("ws", "weight_stationary"), ("os", "output_stationary"), ("is", "input_stationary")]


def scalesim_config(path, name, rows, cols, df, sram_kb, bandwidth):
    mode = "USER" if bandwidth else "CALC"
    with open(path, "w") as f:
        f.write(f"[general]\nrun_name = {name}\n\n[architecture_presets]\n"
                f"ArrayHeight: {rows}\nArrayWidth: {cols}\n"
                f"IfmapSramSzkB: {sram_kb}\nFilterSramSzkB: {sram_kb}\nOfmapSramSzkB: {sram_kb}\n"
                f"IfmapOffset: 0\nFilterOffset: 10000000\nOfmapOffset: 20000000\n"
                f"Bandwidth : {bandwidth or 10}\nDataflow : {df}\nMemoryBanks: 1\n\n"
                f"[run_presets]\nInterfaceBandwidth: {mode}\n")


def scalesim_topology(path, chosen):
    with open(path, "w") as f:
        f.write("Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\n")
        for l in chosen:
            C, K, H, W, R, S, stride = layers.scalesim_form(l)
            f.write(f"{l[0]}, {H}, {W}, {R}, {S}, {C}, {K}, {stride},\n")


def read_report(path):
    with open(path) as f:
        rows = [[x.strip() for x in line.split(",")] for line in f if line.strip()]
    head = rows[0]
    return [{head[i]: float(r[i]) for i in range(len(head)) if head[i]} for r in rows[1:]]


def timed_run(cmd, **kwargs):
    """Runs a command; returns its wall time and the CPU time (user + system) it used. On a
    machine other jobs share, CPU time is the steadier measure of one core's work."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, check=True, **kwargs)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def same_file(path, text):
    return os.path.exists(path) and open(path).read() == text


def run_scalesim(args, work, name, rows, cols, df, chosen, sram_kb, bandwidth):
    cfg, topo = os.path.join(work, name + ".cfg"), os.path.join(work, name + ".csv")
    wall_file = os.path.join(work, name + ".wall")
    old = {f: open(f).read() if os.path.exists(f) else None for f in (cfg, topo)}
    scalesim_config(cfg, name, rows, cols, df, sram_kb, bandwidth)
    scalesim_topology(topo, chosen)
    # --reuse-scalesim: the reports of an earlier run with the same inputs, and its wall time.
    reuse = args.reuse_scalesim and os.path.exists(wall_file) and all(same_file(f, t) for f, t in old.items() if t)
    times = open(wall_file).read().split() if reuse else []
    if len(times) == 2:  # wall and CPU seconds (an older run's file holds the wall time only)
        wall, cpu = (float(x) for x in times)
    else:
        # One core, like enos simulate: numpy's BLAS would otherwise start a thread per core.
        env = dict(os.environ, PYTHONPATH=args.scalesim, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1",
                   MKL_NUM_THREADS="1")
        cmd = [args.python, os.path.join(args.scalesim, "scalesim", "scale.py"), "-c", cfg, "-t", topo, "-p", work]
        with open(os.path.join(work, name + ".log"), "w") as log:
            wall, cpu = timed_run(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
        with open(wall_file, "w") as f:
            f.write(f"{wall} {cpu}\n")
    compute = read_report(os.path.join(work, name, "COMPUTE_REPORT.csv"))
    access = read_report(os.path.join(work, name, "DETAILED_ACCESS_REPORT.csv"))
    out = []
    for c, a in zip(compute, access):
        out.append({"cycles": int(c["Total Cycles"]), "stalls": int(c["Stall Cycles"]),
                    "ifmap_reads": int(a["SRAM IFMAP Reads"]), "filter_reads": int(a["SRAM Filter Reads"]),
                    "ofmap_writes": int(a["SRAM OFMAP Writes"]), "dram_ifmap_reads": int(a["DRAM IFMAP Reads"]),
                    "dram_filter_reads": int(a["DRAM Filter Reads"]), "dram_ofmap_writes": int(a["DRAM OFMAP Writes"])})
    return (wall, cpu), out


def enos_arch(path, rows, cols, dataflow, glb_kib, bytes_per_cycle, latency):
    # One 8-bit multiply-accumulate per PE and cycle, as SCALE-Sim's PEs (word size 1 byte).
    # Ample ports and links: 256 banks of 64 bits, 4096-bit links (docs/arch-format.md).
    arch = {"name": os.path.basename(path)[:-5], "clock_mhz": 500, "technology_nm": 45,
            "pe_array": {"rows": rows, "cols": cols},
            "pe": {"accumulator_bits": 32, "scratchpad": {"weight_bytes": 64, "input_bytes": 64, "psum_bytes": 64},
                   "modes": {"int:w8a8": {"lanes": 1}}},
            "dataflows": [dataflow],
            "global_buffer": {"size_kib": glb_kib, "banks": 256, "bank_width_bits": 64},
            "dram": {"bytes_per_cycle": bytes_per_cycle, "latency_cycles": latency},
            "noc": {"topology": "systolic", "link_width_bits": 4096, "fifo_depth": 4},
            "energy_table": os.path.join(repo_dir(), "configs", "energy", "default_45nm.json")}
    with open(path, "w") as f:
        json.dump(arch, f, indent=1)


def repo_dir():
    return os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def layer_options(chosen):
    opts = []
    for l in chosen:
        C, K, H, W, R, S, stride = layers.scalesim_form(l)
        opts += ["--layer", f"conv:{C},{K},{H},{W},{R},{S},{stride},0,1"]
    return opts


# The mappings the project runs each layer under: SCALE-Sim's, SCALE-Sim's on an array with
# bypasses (passes fill and drain over the PEs they use), and the project's own mapper's.
PINNED = '{"preset": "scalesim"}'
USED_SPAN = '{"preset": "scalesim", "pass_span": "used_pes"}'


def run_enos(args, arch, chosen, stats, mapping, repeats):
    cmd = [args.enos, "simulate", "--arch", arch, "--out", stats, "-q"] + layer_options(chosen)
    if mapping:
        cmd += ["--mapping", mapping]
    walls, cpus = [], []
    for _ in range(repeats):
        wall, cpu = timed_run(cmd, stdout=subprocess.DEVNULL)
        walls.append(wall)
        cpus.append(cpu)
    with open(stats) as f:
        doc = json.load(f)
    out = []
    for l in doc["layers"]:
        a = {k: v["count"] for k, v in l["actions"].items()}
        c = l["cycles"]
        s = c["stalls"]
        out.append({"cycles": c["total"], "stall_free": c["busy"] + s["fill_drain"],
                    "stall_dram": s["dram_bandwidth"], "stall_other": s["glb_ports"] + s["noc"],
                    "ifmap_reads": a.get("glb.read.input", 0), "filter_reads": a.get("glb.read.weight", 0),
                    "ofmap_writes": a.get("glb.write.output", 0) + a.get("glb.write.psum", 0),
                    "psum_reads": a.get("glb.read.psum", 0), "dram_ifmap_reads": a.get("dram.read.input", 0),
                    "dram_filter_reads": a.get("dram.read.weight", 0), "dram_ofmap_writes": a.get("dram.write.output", 0),
                    "bit_exact": l["bit_exact"], "mapping": l["mapping"]})
    return (statistics.median(walls), statistics.median(cpus)), out


def pct(a, b):
    return 100.0 * (a - b) / b if b else 0.0


def last_fold_rows(layer, rows):
    """Output-stationary under SCALE-Sim's mapping: the array rows the last fold uses (output
    pixels on the rows, row folds inside column folds, so the last fold holds the last pixels)."""
    C, K, H, W, R, S, stride = layers.scalesim_form(layer)
    pixels = layers.out_size(H, R, stride, 0) * layers.out_size(W, S, stride, 0)
    return pixels - (pixels - 1) // rows * rows


def ample(args, rows, cols, tag, dataflow, chosen):
    """SCALE-Sim vs the project on one array and dataflow with ample bandwidth; one dict per layer."""
    work = os.path.join(args.out, f"{rows}x{cols}_{tag}")
    os.makedirs(work, exist_ok=True)
    (ss_wall, ss_cpu), ss = run_scalesim(args, work, f"ss_{rows}x{cols}_{tag}", rows, cols, tag, chosen,
                                          args.sram_kb, None)
    arch = os.path.join(work, f"enos_{rows}x{cols}_{tag}.json")
    enos_arch(arch, rows, cols, dataflow, args.glb_kib, 4096, 0)
    (en_wall, en_cpu), pinned = run_enos(args, arch, chosen, os.path.join(work, "pinned.json"), PINNED, args.repeats)
    _, span = run_enos(args, arch, chosen, os.path.join(work, "span.json"), USED_SPAN, 1)
    _, own = run_enos(args, arch, chosen, os.path.join(work, "own.json"), None, 1)
    rows_out = []
    for l, s, p, u, o in zip(chosen, ss, pinned, span, own):
        base = s["cycles"] - s["stalls"]
        # Output-stationary: the project drains the last fold's rows after its last MAC, which
        # SCALE-Sim does not count (docs/dataflow.md); the same difference without that drain.
        drain = last_fold_rows(l, rows) if tag == "os" else 0
        rows_out.append({"layer": l[0], "macs": layers.macs(l), "scalesim": s, "pinned": p, "used_span": u, "own": o,
                         "delta_pct": pct(p["stall_free"], base), "delta_cycles": p["stall_free"] - base,
                         "last_drain": drain, "delta_less_drain_pct": pct(p["stall_free"] - drain, base),
                         "span_delta_pct": pct(u["stall_free"], base), "own_delta_pct": pct(o["stall_free"], base)})
    return {"array": f"{rows}x{cols}", "dataflow": tag, "scalesim_s": ss_wall, "enos_s": en_wall,
            "scalesim_cpu_s": ss_cpu, "enos_cpu_s": en_cpu, "speedup": ss_wall / en_wall,
            "cpu_speedup": ss_cpu / en_cpu, "layers": rows_out}


def print_ample(run):
    print(f"\n== {run['array']} {run['dataflow'].upper()}: wall SCALE-Sim {run['scalesim_s']:.1f} s, enos simulate "
          f"{run['enos_s']:.2f} s (median), {run['speedup']:.0f}x; CPU {run['scalesim_cpu_s']:.1f} s vs "
          f"{run['enos_cpu_s']:.2f} s, {run['cpu_speedup']:.0f}x")
    os_run = run["dataflow"] == "os"
    print(f"{'layer':13s} {'MACs':>9s} {'SCALE-Sim':>9s} {'pinned':>9s} {'Δ%':>6s} {'Δcyc':>5s}"
          + (f" {'drain':>5s} {'Δ%-dr':>6s}" if os_run else "") + "  "
          f"{'ifmap rd':>8s} {'filt rd':>8s} {'ofmap wr':>8s}   {'used PEs':>9s} {'Δ%':>6s} {'own':>9s} {'Δ%':>6s}")
    for r in run["layers"]:
        s, p = r["scalesim"], r["pinned"]
        ratio = lambda k: p[k] / s[k] if s[k] else float("nan")
        drain = f" {r['last_drain']:5d} {r['delta_less_drain_pct']:+6.2f}" if os_run else ""
        print(f"{r['layer']:13s} {r['macs']:9d} {s['cycles'] - s['stalls']:9d} {p['stall_free']:9d} "
              f"{r['delta_pct']:+6.2f} {r['delta_cycles']:+5d}{drain}  {ratio('ifmap_reads'):8.4f} "
              f"{ratio('filter_reads'):8.4f} {ratio('ofmap_writes'):8.4f}   {r['used_span']['stall_free']:9d} "
              f"{r['span_delta_pct']:+6.1f} {r['own']['stall_free']:9d} {r['own_delta_pct']:+6.1f}")


def limited(args, df, dataflow, chosen):
    """SCALE-Sim USER mode (args.bandwidth words per cycle for each operand, args.limited_sram_kb
    per operand SRAM) vs the project's DRAM at 3x that many bytes per cycle: stall cycles."""
    rows = cols = 16
    work = os.path.join(args.out, f"limited_{df}")
    os.makedirs(work, exist_ok=True)
    _, ss = run_scalesim(args, work, f"ssbw_{df}", rows, cols, df, chosen, args.limited_sram_kb, args.bandwidth)
    big = os.path.join(work, "enos_pinned.json")
    enos_arch(big, rows, cols, dataflow, args.glb_kib, 3 * args.bandwidth, 1)
    _, pinned = run_enos(args, big, chosen, os.path.join(work, "pinned.json"), PINNED, 1)
    small = os.path.join(work, "enos_own.json")
    enos_arch(small, rows, cols, dataflow, 3 * args.limited_sram_kb, 3 * args.bandwidth, 1)
    _, own = run_enos(args, small, chosen, os.path.join(work, "own.json"), None, 1)
    return [{"layer": l[0], "scalesim": s, "pinned": p, "own": o} for l, s, p, o in zip(chosen, ss, pinned, own)]


def print_limited(df, rows):
    print(f"\n== bandwidth-limited 16x16 {df.upper()}: stall cycles and DRAM words (ifmap/filter/ofmap)")
    print(f"{'layer':13s} {'SS stall':>9s} {'SS cycles':>9s} {'pin stall':>9s} {'own stall':>9s} {'own cyc':>9s}   "
          f"{'SS DRAM i/f/o':>22s}   {'own DRAM i/f/o':>22s}")
    for r in rows:
        s, p, o = r["scalesim"], r["pinned"], r["own"]
        dram = lambda x: f"{x['dram_ifmap_reads']}/{x['dram_filter_reads']}/{x['dram_ofmap_writes']}"
        print(f"{r['layer']:13s} {s['stalls']:9d} {s['cycles']:9d} {p['stall_dram']:9d} {o['stall_dram']:9d} "
              f"{o['cycles']:9d}   {dram(s):>22s}   {dram(o):>22s}")


def summary(runs):
    print("\n== summary (SCALE-Sim's mapping pinned; stall-free cycles vs SCALE-Sim's total − stalls)")
    total_ss = sum(r["scalesim_s"] for r in runs)
    total_en = sum(r["enos_s"] for r in runs)
    for tag, _ in DATAFLOWS:
        mine = [r for r in runs if r["dataflow"] == tag]
        if not mine:
            continue
        worst = max(((abs(l["delta_pct"]), l["layer"], r["array"]) for r in mine for l in r["layers"]))
        reads = max(abs(l["pinned"][k] / l["scalesim"][k] - 1) for r in mine for l in r["layers"]
                    for k in ("ifmap_reads", "filter_reads"))
        exact = all(l["pinned"]["bit_exact"] for r in mine for l in r["layers"])
        n = sum(len(r["layers"]) for r in mine)
        ss, en = sum(r["scalesim_s"] for r in mine), sum(r["enos_s"] for r in mine)
        ssc, enc = sum(r["scalesim_cpu_s"] for r in mine), sum(r["enos_cpu_s"] for r in mine)
        over = sum(abs(l["delta_pct"]) > 1 for r in mine for l in r["layers"])
        cycles = f"{over} over 1 %, worst |Δ| {worst[0]:.2f} % ({worst[1]} on {worst[2]})"
        if tag == "os":
            # Like terms first: the project drains the last fold's outputs out of the array
            # after its last MAC; SCALE-Sim does not model that drain (docs/dataflow.md).
            worst_dr = max(((abs(l["delta_less_drain_pct"]), l["layer"], r["array"]) for r in mine for l in r["layers"]))
            over_dr = sum(abs(l["delta_less_drain_pct"]) > 1 for r in mine for l in r["layers"])
            cycles = (f"like terms (less the last fold's output drain, which SCALE-Sim does not model): {over_dr} over "
                      f"1 %, worst |Δ| {worst_dr[0]:.2f} % ({worst_dr[1]} on {worst_dr[2]}); with that drain: {cycles}")
        print(f"{tag.upper()}: {n} layer runs, {cycles}, worst SRAM read ratio |r−1| {100 * reads:.3f} %, "
              f"bit-exact {exact}, wall {ss:.1f} s vs {en:.2f} s = {ss / en:.0f}x, CPU {ssc:.1f} s vs {enc:.2f} s = "
              f"{ssc / enc:.0f}x")
    total_ssc = sum(r["scalesim_cpu_s"] for r in runs)
    total_enc = sum(r["enos_cpu_s"] for r in runs)
    print(f"all: wall SCALE-Sim {total_ss:.1f} s, enos simulate {total_en:.2f} s: {total_ss / total_en:.0f}x; "
          f"CPU {total_ssc:.1f} s vs {total_enc:.2f} s: {total_ssc / total_enc:.0f}x (each on one core)")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--enos", required=True)
    p.add_argument("--scalesim", required=True, help="SCALE-Sim v2 checkout")
    p.add_argument("--python", default="/usr/bin/python3", help="the Python with numpy, pandas, absl, tqdm")
    p.add_argument("--out", default="/tmp/enos-scalesim")
    p.add_argument("--quick", action="store_true", help="16x16 and the SMALL layers only")
    p.add_argument("--repeats", type=int, default=3, help="enos runs per table (median wall time)")
    p.add_argument("--sram-kb", type=int, default=8192, help="SCALE-Sim SRAM per operand, ample runs")
    p.add_argument("--glb-kib", type=int, default=8192, help="the project's global buffer, ample runs")
    p.add_argument("--limited", action="store_true", help="also the bandwidth-limited comparison")
    p.add_argument("--no-ample", action="store_true", help="skip the ample-bandwidth tables")
    p.add_argument("--reuse-scalesim", action="store_true",
                   help="reuse SCALE-Sim's reports and wall time from an earlier run into --out with the same inputs")
    p.add_argument("--bandwidth", type=int, default=10, help="SCALE-Sim words per cycle per operand (USER)")
    p.add_argument("--limited-sram-kb", type=int, default=64, help="SCALE-Sim SRAM per operand, limited runs")
    args = p.parse_args()
    os.makedirs(args.out, exist_ok=True)
    runs = []
    arrays = [(16, 16, layers.SMALL)] if args.quick else layers.ARRAYS
    for rows, cols, names in [] if args.no_ample else arrays:
        chosen = layers.select(names)
        for tag, dataflow in DATAFLOWS:
            runs.append(ample(args, rows, cols, tag, dataflow, chosen))
            print_ample(runs[-1])
            sys.stdout.flush()
    if runs:
        summary(runs)
    result = {"ample": runs}
    if args.limited:
        chosen = layers.select(layers.LIMITED)
        result["limited"] = {}
        for tag, dataflow in DATAFLOWS:
            result["limited"][tag] = limited(args, tag, dataflow, chosen)
            print_limited(tag, result["limited"][tag])
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump(result, f, indent=1)
    print(f"\nresults: {os.path.join(args.out, 'results.json')}")


if __name__ == "__main__":
    main()
