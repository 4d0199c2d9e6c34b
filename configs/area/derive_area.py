#!/usr/bin/env python3
"""Writes default_45nm.json: silicon area per architecture component at 45 nm.

The table is data: `enos explore` counts components of an architecture (energy/area.cpp) and
prices them with this table; it never recomputes these formulas. This script records how
every entry was derived (docs/area.md), with the same operator formulas as the energy table
(configs/energy/derive_tables.py) so that a lane's area and its energy follow one circuit.

    python3 configs/area/derive_area.py        # rewrites default_45nm.json beside this file
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
NANGATE = "nangate45"
MISTRY = "mistry2007"

# ---- anchors: NanGate FreePDK45 Open Cell Library, X1 drive cells (um^2) ----------------
FA = 4.256     # FA_X1 full adder
XOR2 = 1.596   # XOR2_X1
MUX2 = 1.862   # MUX2_X1
DFF = 4.522    # DFF_X1
NAND2 = 0.798  # NAND2_X1
SRAM_BIT = 0.346   # 6T SRAM cell, Intel 45 nm (Mistry et al., IEDM 2007)
UTIL = 0.7         # standard-cell placement utilization (assumption)
SRAM_EFF = 0.7     # SRAM array efficiency: cells / macro area (assumption: decoders, sense amps, I/O)
ACC_BITS = 32


def fmt(x):
    return float(f"{x:.7g}")


def entry(value, unit, why):
    return {"value": fmt(value), "unit": unit, "derivation": why}


def lane_int(k, a):
    cells = k * a * FA + ACC_BITS * FA
    return cells, f"{k}x{a} array multiplier {k*a} FA + {ACC_BITS}-bit accumulate adder {ACC_BITS} FA"


def lane_bin(k, a):
    cells = ACC_BITS * FA + a * XOR2
    return cells, f"{ACC_BITS}-bit add/sub {ACC_BITS} FA + {a} XOR2 (conditional negation of x)"


def lane_mf(k, a):
    gates = 2 * a + k - 1
    cells = 2 * ACC_BITS * FA + gates * XOR2
    return cells, f"two {ACC_BITS}-bit accumulate adders {2*ACC_BITS} FA + sign logic {gates} gates (XOR2 area)"


def lane_shift(k, a):
    width = min(32, a + 2 ** (k - 1) - 1)
    cells = (k - 1) * width * MUX2 + a * XOR2 + ACC_BITS * FA
    return cells, (f"barrel shifter {k-1} stages x {width} MUX2 + {a} XOR2 (sign) "
                   f"+ {ACC_BITS}-bit add {ACC_BITS} FA")


LANE = {"int": lane_int, "bin": lane_bin, "mf": lane_mf, "shift": lane_shift}


def lanes_for(energy_table):
    out = {}
    for cand in energy_table["operators"]:
        kind, bits = cand.split(":")
        k, a = bits[1:].split("a")
        cells, why = LANE[kind](int(k), int(a))
        out[cand] = entry(cells / UTIL, "um2/lane",
                          f"{why} = {fmt(cells)} um2 of NanGate 45 nm cells / {UTIL} utilization")
    return out


def table():
    energy = json.load(open(os.path.join(HERE, "..", "energy", "default_45nm.json")))
    fixed = 2 * ACC_BITS * DFF + 100 * NAND2
    spad = 8 * DFF + 8 * MUX2
    return {
        "name": "default_45nm_area",
        "description": ("Silicon area per component at 45 nm from NanGate FreePDK45 standard cells and a "
                        "published 45 nm SRAM cell; derivations in docs/area.md, written by derive_area.py."),
        "technology_nm": 45,
        "references": {
            NANGATE: "NanGate FreePDK45 Open Cell Library (v2011), typical X1 cell areas: FA_X1 4.256, "
                     "XOR2_X1 1.596, MUX2_X1 1.862, DFF_X1 4.522, NAND2_X1 0.798 um^2",
            MISTRY: "K. Mistry et al., 'A 45nm logic technology with high-k + metal gate transistors, strained "
                    "silicon, 9 Cu interconnect layers, 193nm dry patterning, and 100% Pb-free packaging', "
                    "IEDM 2007 (6T SRAM cell 0.346 um^2)",
        },
        "pe": {
            "fixed": entry(fixed / UTIL, "um2/PE",
                           f"accumulator and output registers 2 x {ACC_BITS} DFF + control ~100 NAND2 "
                           f"(assumption) = {fmt(fixed)} um2 / {UTIL} utilization"),
            "lanes": lanes_for(energy),
        },
        "scratchpad": entry(spad / UTIL, "um2/byte",
                            f"flip-flop register file: 8 DFF + 8 MUX2 read-mux bits per byte = {fmt(spad)} um2 "
                            f"/ {UTIL} utilization (small register files are built from flops, not SRAM)"),
        "global_buffer": entry(8 * SRAM_BIT / SRAM_EFF, "um2/byte",
                               f"8 x 6T cell {SRAM_BIT} um2 ({MISTRY}) / {SRAM_EFF} array efficiency "
                               "(assumption: decoders, sense amplifiers, I/O); banking overhead not credited"),
        "noc": {
            "register_bit": entry(DFF / UTIL, "um2/bit",
                                  f"one pipeline or FIFO register bit, DFF_X1 {DFF} um2 / {UTIL} utilization; "
                                  "wires are routed over the cells (assumption: no area of their own)"),
        },
        "excluded": {
            "dram_phy": "the DRAM PHY and memory controller are outside the accelerator's area",
            "noc_router": "no supported topology has routers (systolic links and multicast buses only)",
            "io_and_clock": "pads, clock tree and power grid are not counted",
        },
    }


if __name__ == "__main__":
    with open(os.path.join(HERE, "default_45nm.json"), "w") as f:
        json.dump(table(), f, indent=1, ensure_ascii=False)
        f.write("\n")
