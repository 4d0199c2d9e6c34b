#!/usr/bin/env python3
"""Writes the malformed architecture and workload files of the end-to-end error tests.

Each case mutates a valid document (the default architecture preset, the tiny workload) in
one way and names the JSON path and reason fragment the error message must contain. Writes
bad/*.json and cases.json beside this script. Run again after changing a preset.
"""
import copy
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
CONFIGS = os.path.join(HERE, "..", "..", "..", "configs")


def load(rel):
    with open(os.path.join(CONFIGS, rel)) as f:
        return json.load(f)


ARCH = load("arch/default_reconfigurable_16x16.json")
ARCH["energy_table"] = "../../../../configs/energy/default_45nm.json"
WORK = load("workloads/tiny.json")


def arch_case(name, mutate, expect):
    doc = copy.deepcopy(ARCH)
    mutate(doc)
    return name, "arch", doc, expect


def work_case(name, mutate, expect):
    doc = copy.deepcopy(WORK)
    mutate(doc)
    return name, "workload", doc, expect


def setp(path, value):
    def f(doc):
        node = doc
        for k in path[:-1]:
            node = node[k]
        node[path[-1]] = value
    return f


def delp(path):
    def f(doc):
        node = doc
        for k in path[:-1]:
            node = node[k]
        del node[path[-1]]
    return f


def first_conv(doc):
    return next(l for l in doc["layers"] if l["type"] == "conv")


CASES = [
    arch_case("rows_zero", setp(["pe_array", "rows"], 0), "arch.pe_array.rows"),
    arch_case("cols_string", setp(["pe_array", "cols"], "16"), "arch.pe_array.cols"),
    arch_case("unknown_top_key", setp(["clock_ghz"], 1), "clock_ghz"),
    arch_case("unknown_nested_key", setp(["pe_array", "rowz"], 4), "rowz"),
    arch_case("negative_clock", setp(["clock_mhz"], -5), "arch.clock_mhz"),
    arch_case("missing_glb", delp(["global_buffer"]), "global_buffer"),
    arch_case("bad_mode_string", lambda d: d["pe"]["modes"].update({"int:w9x9": {"lanes": 1}}), "int:w9x9"),
    arch_case("lanes_zero", setp(["pe", "modes", "int:w8a8", "lanes"], 0), "lanes"),
    arch_case("bad_topology", setp(["noc", "topology"], "torus"), "arch.noc.topology"),
    arch_case("bad_dataflow", setp(["dataflows"], ["row_stationary_v9"]), "arch.dataflows"),
    arch_case("ws_on_bus", setp(["noc", "topology"], "multicast_bus"), "weight_stationary"),
    arch_case("tiny_weight_spad", setp(["pe", "scratchpad", "weight_bytes"], 0), "weight_bytes"),
    arch_case("tiny_psum_spad", setp(["pe", "scratchpad", "psum_bytes"], 2), "psum_bytes"),
    arch_case("acc_bits", setp(["pe", "accumulator_bits"], 24), "accumulator_bits"),
    arch_case("dram_bw_zero", setp(["dram", "bytes_per_cycle"], 0), "arch.dram.bytes_per_cycle"),
    arch_case("glb_banks_float", setp(["global_buffer", "banks"], 2.5), "arch.global_buffer.banks"),
    arch_case("fifo_depth_zero", setp(["noc", "fifo_depth"], 0), "arch.noc.fifo_depth"),
    arch_case("no_modes", setp(["pe", "modes"], {}), "arch.pe.modes"),
    work_case("unknown_layer_type", lambda d: d["layers"][0].update({"type": "convolution"}), "workload.layers[0].type"),
    work_case("unknown_producer", lambda d: d["layers"][0].update({"inputs": ["nowhere"]}), "nowhere"),
    work_case("groups_not_dividing", lambda d: first_conv(d).update({"groups": 7}), "groups"),
    work_case("negative_stride", lambda d: first_conv(d).update({"stride": -1}), "stride"),
    work_case("unknown_layer_key", lambda d: first_conv(d).update({"dilation": 2}), "dilation"),
    work_case("bad_mapping_dataflow", lambda d: first_conv(d).update({"mapping": {"dataflow": "diagonal"}}), "mapping.dataflow"),
    work_case("duplicate_names", lambda d: d["layers"][1].update({"name": d["layers"][0]["name"]}), "duplicate"),
    work_case("layers_not_array", setp(["layers"], {"a": 1}), "workload.layers"),
]


def main():
    out_dir = os.path.join(HERE, "bad")
    os.makedirs(out_dir, exist_ok=True)
    manifest = []
    for name, kind, doc, expect in CASES:
        fname = f"{kind}_{name}.json"
        with open(os.path.join(out_dir, fname), "w") as f:
            json.dump(doc, f, indent=1)
        manifest.append({"file": "bad/" + fname, "kind": kind, "expect": expect})
    with open(os.path.join(out_dir, "arch_syntax_error.json"), "w") as f:
        f.write('{\n  "name": "broken",\n  "pe_array": { "rows": 16 "cols": 16 }\n}\n')
    manifest.append({"file": "bad/arch_syntax_error.json", "kind": "arch", "expect": "line 3"})
    manifest.append({"file": "bad/does_not_exist.json", "kind": "workload", "expect": "does_not_exist.json"})
    with open(os.path.join(HERE, "cases.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    print(f"wrote {len(manifest)} cases")


if __name__ == "__main__":
    main()
