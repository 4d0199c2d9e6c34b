#!/usr/bin/env python3
"""Writes the seed corpus of the fuzz targets (fuzz/corpus/<target>/) and their dictionary
(fuzz/enos.dict) from the shipped configs and a generated export (docs/fuzzing.md).

Usage: fuzz/make_corpus.py ENOS_BINARY   (the export comes from `enos dev-make-export`)
The output is checked in; run again when a format changes."""
import json
import os
import pathlib
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
CONFIGS = ROOT / "configs"
OUT = ROOT / "fuzz" / "corpus"
SEP = "\n--enos-fuzz-part--\n"  # fuzz/fuzz_util.hpp kSeparator


def write(target, name, data):
    d = OUT / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data if isinstance(data, bytes) else data.encode())


def configs(sub):
    return sorted((CONFIGS / sub).glob("*.json"))


def keys_of(value, out):
    if isinstance(value, dict):
        for k, v in value.items():
            out.add(k)
            keys_of(v, out)
    elif isinstance(value, list):
        for v in value:
            keys_of(v, out)
    elif isinstance(value, str) and len(value) < 24 and "/" not in value:
        out.add(value)


def export_files(enos, work):
    """mapping.json, network.json, weights.bin, reference.json of two small generated exports."""
    exports = []
    for workload, cands in [("two_layer.json", "int:w8a8"), ("mixed.json", "int:w8a8,int:w4a4,bin:w1a8,mf:w8a8,shift:w4a8")]:
        out = pathlib.Path(work) / workload
        subprocess.run([enos, "dev-make-export", "--workload", str(ROOT / "tests/replay/data" / workload),
                        "--candidates", cands, "--images", "4", "--out", str(out)], check=True,
                       stdout=subprocess.DEVNULL)
        exports.append([(out / n).read_bytes() for n in ("mapping.json", "network.json", "weights.bin", "reference.json")])
    return exports


def signed_variant(files):
    """The first export with its first layer's output signed (ShuffleNet v1's residual branches
    make such tensors) and the next MAC layer rescaling it, as a MAC layer reading one must."""
    net = json.loads(files[1])
    net["layers"][0]["output"]["signed"] = True
    for layer in net["layers"][1:]:
        if layer["type"] in ("conv", "fc") and layer.get("input_rescale") is None:
            layer["input_rescale"] = {"multiplier": 1 << 30, "shift": 30}
            break
    return [files[0], json.dumps(net, indent=1, sort_keys=True).encode()] + files[2:]


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    # Every generated file is made again; the inputs of findings (finding-*, docs/fuzzing.md)
    # are regression inputs and stay.
    for f in OUT.glob("*/*"):
        if not f.name.startswith("finding-"):
            f.unlink()
    words = set()
    for sub in ("arch", "energy", "area", "workloads", "sweeps"):
        for f in configs(sub):
            text = f.read_text()
            keys_of(json.loads(text), words)
            write("json", f"{sub}_{f.name}", text)
            target = {"arch": "arch", "workloads": "workload", "sweeps": "sweep"}.get(sub)
            if target:
                write(target, f.name, text)
            if sub in ("energy", "area"):  # fuzz_energy_table: the first byte picks the loader
                write("energy_table", f"{sub}_{f.name}", ("\x00" if sub == "energy" else "\x01") + text)
    # A sweep of shipped models, one with CIFAR-100's classifier (the `classes` key).
    models_sweep = json.loads((CONFIGS / "sweeps" / sorted(p.name for p in configs("sweeps"))[0]).read_text())
    models_sweep["workloads"] = [{"model": "squeezenet1_1", "input": "32x32x3", "classes": 100},
                                 {"model": "shufflenetv2_x0.5", "candidates": ["int:w8a8"]}]
    keys_of(models_sweep, words)
    write("sweep", "models_classes.json", json.dumps(models_sweep, indent=1))
    with tempfile.TemporaryDirectory() as work:
        exports = export_files(sys.argv[1], work)
        for i, files in enumerate(exports + [signed_variant(exports[0])]):
            for blob in files[:2] + files[3:]:
                keys_of(json.loads(blob), words)
            write("export", f"export{i}", SEP.encode().join(files))
    runs = [
        {},
        {"model": "shufflenetv2_x0.5", "dataset": "fashion-mnist", "characterize": {"jobs": 2},
         "search": {"mode": "stochastic", "budget_frac": 0.6, "epochs": 2, "finetune_epochs": 1,
                    "train_limit": 6000, "test_limit": 1000, "seed": 1, "extra_args": ["--lr", "0.05"]},
         "validate": {"images": 20, "budget_uj": 12.5}},
        {"arch": "a.json", "workload": "w.json", "search": {"export": "out/search"}, "energy_table": "t.json"},
    ]
    for i, r in enumerate(runs):
        keys_of(r, words)
        write("run_config", f"run{i}.json", json.dumps(r, indent=1))
    options = [  # --layer, --op, --seed, --budget-uj, --mapping
        ["conv:3,8,8,8,3,3,1,1,1", "int:w8a8", "1", "0.5", ""],
        ["fc:64,10", "shift:w4a8", "18446744073709551615", "1e-7", '{"preset": "scalesim", "pass_span": "used_pes"}'],
        ["conv:32,32,16,16,3,3,2,1,32", "bin:w1a8", "0", "0", '{"dataflow": "output_stationary", "k_tile": 4}'],
        ["conv:16,32,8,8,1,1,1,0,4", "mf:w8a8", "42", "1234.5",
         '{"dataflow": "input_stationary", "p_tile": 2, "loop_order": "p_outer", "double_buffer": false}'],
    ]
    for i, o in enumerate(options):
        write("options", f"options{i}", SEP.join(o))
        words.update(o[:2])
        if o[4]:
            keys_of(json.loads(o[4]), words)
    words.update(["int:w4a4", "int:w2a2", "int:w2a8", "int:w4a8", "conv:", "fc:", "null", "true", "false",
                  "1e308", "-1", "4294967296", "9223372036854775807", "1e-300", "NaN", SEP])
    dict_lines = ["# libFuzzer dictionary of enos' input formats: made by fuzz/make_corpus.py"]
    for w in sorted(words):
        escaped = "".join(chr(b) if 32 <= b < 127 and chr(b) not in '"\\' else f"\\x{b:02X}" for b in w.encode())
        dict_lines.append('"' + escaped + '"')
    (ROOT / "fuzz" / "enos.dict").write_text("\n".join(dict_lines) + "\n")
    print(f"corpus in {OUT}: " + ", ".join(f"{d.name} {len(list(d.iterdir()))}" for d in sorted(OUT.iterdir())))


if __name__ == "__main__":
    main()
