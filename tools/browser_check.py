#!/usr/bin/env python3
"""Renders report.html (enos validate) and index.html (enos explore) in headless Chromium at
1400 and 800 px and fails on horizontal overflow, clipped chart text, a missing or misaligned
chart, an external resource, or a shown number that differs from the page's JSON.
Usage (tools/browser_check.sh prepares the pages and installs chromium):
  browser_check.py --report DIR/report.html --report-json DIR/report.json
                   --explore DIR/index.html --explore-json DIR/results.json [--screenshots DIR]
"""
import argparse, html, json, os, re, shutil, subprocess, sys, tempfile

WIDTHS = (1400, 800)
HEIGHT = 900  # the fold: what a 1400 × 900 window shows without scrolling
HERE = os.path.dirname(os.path.abspath(__file__))
# The per-layer charts of report.html, top to bottom (replay/report_charts.cpp).
REPORT_PLOTS = ("Cycles per layer by cause", "Energy per layer by level", "Cumulative energy vs budget")


def chromium_args(profile, width):
    return ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--user-data-dir=" + profile, "--window-size=%d,%d" % (width, HEIGHT)]


def measure(page, width):
    """The injected script's measurements of `page` at `width` px."""
    with open(page, encoding="utf-8") as f:
        text = f.read()
    with open(os.path.join(HERE, "browser_check.js"), encoding="utf-8") as f:
        script = "<script>" + f.read() + "</script>"
    # The copy sits beside the page so its relative links resolve as the page's do.
    copy = os.path.join(os.path.dirname(os.path.abspath(page)), ".browser_check_%d.html" % width)
    with open(copy, "w", encoding="utf-8") as f:
        f.write(text.replace("</body>", script + "</body>"))
    profile = tempfile.mkdtemp(prefix="enos-chromium-")
    try:
        dom = subprocess.run(chromium_args(profile, width) + ["--virtual-time-budget=5000", "--dump-dom",
                                                              "file://" + copy],
                             capture_output=True, text=True, timeout=120).stdout
    finally:
        os.remove(copy)
        shutil.rmtree(profile, ignore_errors=True)
    m = re.search(r'<pre id="browser-check">(.*?)</pre>', dom, re.S)
    if not m:
        raise SystemExit("browser_check: chromium rendered nothing for %s at %d px" % (page, width))
    return json.loads(html.unescape(m.group(1)))


def screenshot(page, width, out):
    profile = tempfile.mkdtemp(prefix="enos-chromium-")
    try:
        subprocess.run(chromium_args(profile, width) + ["--screenshot=" + out, "file://" + os.path.abspath(page)],
                       capture_output=True, timeout=120, check=True)
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def pointer(doc, ptr):
    for part in ptr.split("/")[1:]:
        part = part.replace("~1", "/").replace("~0", "~")
        doc = doc[int(part)] if isinstance(doc, list) else doc[part]
    return doc


def shown_number(text):
    t = text.replace(",", "").replace("\u2212", "-").replace("\u202f", " ").strip()
    m = re.match(r"[-+]?\d+(\.\d+)?", t)
    return (float(m.group(0)), len(m.group(1)) - 1 if m.group(1) else 0) if m else (None, 0)


def check_values(values, doc, errors):
    for ptr, scale, text in values:
        shown, decimals = shown_number(text)
        want = pointer(doc, ptr)
        if shown is None or want is None:
            errors.append("%s: shows %r, JSON has %r" % (ptr, text, want))
            continue
        if abs(shown - want * scale) > 0.5 * 10 ** -decimals * (1 + 1e-9) + 1e-12:
            errors.append("%s: shows %s, JSON has %r × %g" % (ptr, text, want, scale))


def check_common(name, width, m, errors):
    where = "%s at %d px" % (name, width)
    if abs(m["inner_width"] - width) > 20:
        errors.append("%s: the window is %d px wide, not %d" % (where, m["inner_width"], width))
    if m["scroll_width"] > m["client_width"]:
        errors.append("%s: overflows horizontally (%d > %d px): %s" % (where, m["scroll_width"], m["client_width"],
                                                                        "; ".join(m["sticking_out"][:5])))
    if m["clipped_text"]:
        errors.append("%s: chart text cut off: %s" % (where, "; ".join(m["clipped_text"][:5])))
    if m["external"]:
        errors.append("%s: external resources: %s" % (where, ", ".join(m["external"][:5])))


def check_report(m, doc, width, errors):
    shown_layers = sum(1 for l in doc["layers"]
                       if not (l["unit"] == "address" and l["energy_pj"] == 0 and l["cycles"] == 0))
    if len(m["panels"]) != 1:
        errors.append("report at %d px: %d per-layer panels, expected 1" % (width, len(m["panels"])))
        return
    p = m["panels"][0]
    if p["layers"] != shown_layers or p["labels"] != shown_layers:
        errors.append("report: the charts show %d layers and %d labels, report.json has %d not folded away"
                      % (p["layers"], p["labels"], shown_layers))
    drawn = [(pl["title"], pl["marks"]) for pl in p["plots"]]
    if [t for t, _ in drawn] != list(REPORT_PLOTS) or any(marks == 0 for _, marks in drawn):
        errors.append("report at %d px: a per-layer chart is missing or empty: %s (expected %s)"
                      % (width, drawn, list(REPORT_PLOTS)))
    edges = {(round(pl["left"], 1), round(pl["right"], 1)) for pl in p["plots"]}
    if len(edges) != 1:
        errors.append("report at %d px: the per-layer charts are not aligned: %s" % (width, sorted(edges)))
    if width == 1400:
        f = m["fold"]
        for what in ("verdict", "headroom", "utilization"):
            if not f[what] or f[what]["bottom"] > HEIGHT:
                errors.append("report at 1400 px: the %s is not above the fold (%s)" % (what, f[what]))
        if len(f["plots"]) < 2 or max(pl["bottom"] for pl in f["plots"][:2]) > HEIGHT:
            errors.append("report at 1400 px: the cycle and energy charts are not above the fold")
    check_values(m["values"], doc, errors)


def check_explore(m, doc, width, errors):
    workloads = {r["workload"] for r in doc["rows"] if r["valid"]}
    if len(m["scatters"]) != 3 * len(workloads) or any(n == 0 for n in m["scatters"]):
        errors.append("explore at %d px: %d scatter plots with %s points, expected 3 per workload (%d)"
                      % (width, len(m["scatters"]), m["scatters"], len(workloads)))
    if m["legends"] < 1:
        errors.append("explore: no legend")
    check_values(m["values"], {"rows": doc["rows"]}, errors)


def main():
    a = argparse.ArgumentParser()
    a.add_argument("--report"), a.add_argument("--report-json")
    a.add_argument("--explore"), a.add_argument("--explore-json")
    a.add_argument("--screenshots", help="write <page>-<width>.png here")
    o = a.parse_args()
    errors = []
    pages = []
    if o.report:
        pages.append(("report", o.report, json.load(open(o.report_json)), check_report))
    if o.explore:
        pages.append(("explore", o.explore, json.load(open(o.explore_json)), check_explore))
    for name, page, doc, check in pages:
        for width in WIDTHS:
            m = measure(page, width)
            check_common(name, width, m, errors)
            check(m, doc, width, errors)
            print("%-8s %4d px: %d values compared with the JSON, page %d px wide, %d panel(s), %d scatter(s)"
                  % (name, width, len(m["values"]), m["scroll_width"], len(m["panels"]), len(m["scatters"])))
            if o.screenshots:
                os.makedirs(o.screenshots, exist_ok=True)
                screenshot(page, width, os.path.join(o.screenshots, "%s-%d.png" % (name, width)))
    for e in errors:
        print("FAIL " + e, file=sys.stderr)
    print("browser check: %s" % ("FAILED (%d problems)" % len(errors) if errors else "ok"))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
