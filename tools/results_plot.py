#!/usr/bin/env python3
"""Accuracy versus energy, one SVG per dataset, from the comparisons tools/results.sh measured.

Usage: tools/results_plot.py RESULTS_DIR OUT_DIR

Reads RESULTS_DIR/<table>/compare.csv (the tables of tools/results.sh: fm-0.4, fm-0.5, c10-0.5,
...) and writes OUT_DIR/<dataset>.svg: each method's mean test accuracy (± one standard deviation
over the seeds) against its mean LUT energy in µJ, every budget of the dataset on one chart, the
start checkpoint's float accuracy as a dashed line. Only the standard library: the chart is plain
SVG that any browser shows offline.
"""
import csv
import os
import statistics
import sys
from collections import defaultdict

DATASETS = {"fm": "Fashion-MNIST, ShuffleNetV2 x0.5", "c10": "CIFAR-10, ShuffleNetV2 x0.5",
            "c100": "CIFAR-100, ShuffleNetV2 x0.5", "squeeze-c10": "CIFAR-10, SqueezeNet 1.1"}
COLOURS = {"ENOS (single)": "#d62728", "ENOS (bilevel)": "#ff7f0e", "ENOS (sequential)": "#9467bd",
           "ENOS (stochastic)": "#8c564b", "mixed precision (int only)": "#1f77b4",
           "reference int:w8a8": "#2ca02c", "uni-operator": "#7f7f7f"}
WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 760, 440, 70, 230, 40, 55


def method_key(method, mode):
    """The legend entry: ENOS per mode, the uni-operator networks together."""
    if method.startswith("uni-operator"):
        return "uni-operator"
    return f"ENOS ({mode})" if method == "ENOS" else method


def colour(key):
    for prefix, value in COLOURS.items():
        if key.startswith(prefix):
            return value
    return "#000000"


def read_table(path):
    """(points, float accuracy): points maps (legend key, label) -> list of (energy µJ, accuracy)."""
    points, float_accuracy = defaultdict(list), None
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            if row["method"] == "float":
                float_accuracy = float(row["accuracy"])
            elif row["fits"] == "yes":
                label = row["method"].replace("uni-operator ", "") if row["method"].startswith("uni") else ""
                points[(method_key(row["method"], row["mode"]), label)].append(
                    (float(row["energy_uj"]), float(row["accuracy"])))
    return points, float_accuracy


def nice_ticks(lo, hi, count=5):
    """Round tick values covering [lo, hi]."""
    span = hi - lo or 1.0
    raw = span / count
    magnitude = 10 ** len(str(int(raw))) / 10 if raw >= 1 else 10 ** -len(str(int(1 / raw)))
    step = min((m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw), default=raw)
    first = (lo // step) * step
    ticks, t = [], first
    while not ticks or ticks[-1] < hi:  # the last tick at or beyond hi: nothing falls off the chart
        ticks.append(round(t, 10))
        t += step
    return ticks


LABEL_CHAR_WIDTH, LABEL_HEIGHT, DOT_RADIUS = 6.0, 10.0, 4.0


def place_labels(labels):
    """SVG texts for (x, y, text, colour) points: each at the first of right, above, below, left
    of its point where it covers no point and no label placed before, so that a label sits next
    to its own point and not nearer another (the right side when nothing is free)."""
    dots = [(x - DOT_RADIUS, y - DOT_RADIUS, x + DOT_RADIUS, y + DOT_RADIUS) for x, y, _, _ in labels]
    placed, out = [], []
    overlaps = lambda a, b: a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
    for x, y, text, colour in sorted(labels, key=lambda l: (l[1], l[0])):
        w = LABEL_CHAR_WIDTH * len(text)
        boxes = [(x + 7, y - LABEL_HEIGHT / 2, x + 7 + w, y + LABEL_HEIGHT / 2),       # right
                 (x - w / 2, y - 7 - LABEL_HEIGHT, x + w / 2, y - 7),                  # above
                 (x - w / 2, y + 7, x + w / 2, y + 7 + LABEL_HEIGHT),                  # below
                 (x - 7 - w, y - LABEL_HEIGHT / 2, x - 7, y + LABEL_HEIGHT / 2)]       # left
        own = (x - DOT_RADIUS, y - DOT_RADIUS, x + DOT_RADIUS, y + DOT_RADIUS)
        free = [b for b in boxes if not any(overlaps(b, o) for o in dots + placed if o != own)]
        box = (free or boxes)[0]
        placed.append(box)
        out.append(f'<text x="{box[0]:.1f}" y="{box[3] - 1:.1f}" font-size="10" fill="{colour}">{text}</text>')
    return out


def svg_chart(title, series, float_accuracy):
    xs = [e for pts in series.values() for e, _ in pts]
    ys = [a * 100 for pts in series.values() for _, a in pts] + ([float_accuracy * 100] if float_accuracy else [])
    xt, yt = nice_ticks(0, max(xs) * 1.05), nice_ticks(min(ys) - 1, max(ys) + 1)
    x0, x1, y0, y1 = xt[0], xt[-1], yt[0], yt[-1]
    px = lambda x: LEFT + (x - x0) / (x1 - x0) * (WIDTH - LEFT - RIGHT)
    py = lambda y: HEIGHT - BOTTOM - (y - y0) / (y1 - y0) * (HEIGHT - TOP - BOTTOM)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" font-family="sans-serif" font-size="12">',
           f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
           f'<text x="{LEFT}" y="22" font-size="14" font-weight="bold">{title}</text>']
    for t in xt:
        out.append(f'<line x1="{px(t):.1f}" y1="{TOP}" x2="{px(t):.1f}" y2="{HEIGHT - BOTTOM}" stroke="#eee"/>')
        out.append(f'<text x="{px(t):.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle">{t:g}</text>')
    for t in yt:
        out.append(f'<line x1="{LEFT}" y1="{py(t):.1f}" x2="{WIDTH - RIGHT}" y2="{py(t):.1f}" stroke="#eee"/>')
        out.append(f'<text x="{LEFT - 6}" y="{py(t) + 4:.1f}" text-anchor="end">{t:g}</text>')
    out.append(f'<text x="{(LEFT + WIDTH - RIGHT) / 2}" y="{HEIGHT - 15}" text-anchor="middle">PE-array energy per image (LUT, µJ)</text>')
    out.append(f'<text transform="translate(18 {(TOP + HEIGHT - BOTTOM) / 2}) rotate(-90)" text-anchor="middle">test accuracy (%)</text>')
    if float_accuracy:
        y = py(float_accuracy * 100)
        out.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#000" stroke-dasharray="5 4"/>')
    legend, labels = [], []
    budgets = {budget for (_, _, budget) in series if budget}
    for (key, label, budget), pts in sorted(series.items()):
        if key.startswith("ENOS") and len(budgets) > 1:
            label = f"budget {budget}"  # several budgets on one chart: say which point is which
        energy = statistics.mean(e for e, _ in pts)
        accs = [a * 100 for _, a in pts]
        mean, std = statistics.mean(accs), (statistics.stdev(accs) if len(accs) > 1 else 0.0)
        c = colour(key)
        if std > 0:
            out.append(f'<line x1="{px(energy):.1f}" y1="{py(mean - std):.1f}" x2="{px(energy):.1f}" y2="{py(mean + std):.1f}" stroke="{c}"/>')
        out.append(f'<circle cx="{px(energy):.1f}" cy="{py(mean):.1f}" r="4" fill="{c}">'
                   f'<title>{key} {label}: {mean:.2f} ± {std:.2f} %, {energy:.2f} µJ, {len(pts)} seed(s)</title></circle>')
        if label:
            labels.append((px(energy), py(mean), label, c))
        if key not in legend:
            legend.append(key)
    out.extend(place_labels(labels))
    for i, key in enumerate(legend + (["float start checkpoint"] if float_accuracy else [])):
        y = TOP + 10 + 18 * i
        if key == "float start checkpoint":
            out.append(f'<line x1="{WIDTH - RIGHT + 15}" y1="{y}" x2="{WIDTH - RIGHT + 35}" y2="{y}" stroke="#000" stroke-dasharray="5 4"/>')
        else:
            out.append(f'<circle cx="{WIDTH - RIGHT + 25}" cy="{y}" r="4" fill="{colour(key)}"/>')
        out.append(f'<text x="{WIDTH - RIGHT + 42}" y="{y + 4}">{key}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    results, out_dir = sys.argv[1], sys.argv[2]
    by_dataset = defaultdict(lambda: [defaultdict(list), None])
    for table in sorted(os.listdir(results)):
        path = os.path.join(results, table, "compare.csv")
        prefix = table.rsplit("-", 1)[0]
        if not os.path.isfile(path) or prefix not in DATASETS:
            continue
        points, float_accuracy = read_table(path)
        budget = table.rsplit("-", 1)[1]
        for (key, label), values in points.items():
            # One point per method and budget. The reference and the uni-operator networks do
            # not depend on the budget (each budget's table has the same runs, trained again or
            # read with --reuse): one point, from the table with the most seeds.
            if key in ("reference int:w8a8", "uni-operator"):
                series = by_dataset[prefix][0]
                if len(values) > len(series[(key, label, "")]):
                    series[(key, label, "")] = list(values)
            else:
                by_dataset[prefix][0][(key, label, budget)].extend(values)
        by_dataset[prefix][1] = by_dataset[prefix][1] or float_accuracy
    os.makedirs(out_dir, exist_ok=True)
    for prefix, (series, float_accuracy) in by_dataset.items():
        target = os.path.join(out_dir, f"{prefix}.svg")
        with open(target + ".tmp", "w") as f:
            f.write(svg_chart(DATASETS[prefix], series, float_accuracy))
        os.replace(target + ".tmp", target)
        print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
