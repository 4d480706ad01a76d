"""`make bench`: every bench module in turn, whatever the ones before found, then one summary.

A module that misses a budget exits non-zero; the next runs all the same. A module that records
no figure (it crashed, or could not start) is recorded as a failed figure `ran:<module>` with its
last line. The summary lists every figure against its budget; the exit status is 1 if any figure
is over budget or failed, else 0.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from collections.abc import Sequence

from bench import results

# (module, draws a window): the order of `make bench`; a window is drawn offscreen unless told.
MODULES = (("bench.ui_lag", True), ("bench.redraw", True), ("bench.scale", True),
           ("bench.fidelity", False), ("bench.stepping", False), ("bench.tracing", False),
           ("bench.cpu_lane", False), ("bench.freethreaded", False), ("bench.cluster", False),
           ("bench.soak", True), ("bench.felt_pauses", True), ("bench.startup", False))


def run(module: str, window: bool) -> tuple[int, str]:
    """Run one module, its output shown as it comes; (exit status, its last line)."""
    env = dict(os.environ)
    if window:
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
    print(f"== {module}", flush=True)
    last = ""
    with subprocess.Popen([sys.executable, "-m", module], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, env=env) as proc:
        for line in proc.stdout:
            print(line, end="", flush=True)
            if line.strip() and "propagateSizeHints" not in line:
                last = line.strip()
    return proc.returncode, last


def run_all(modules: Sequence[tuple[str, bool]]) -> None:
    """Run the modules; one that recorded nothing is recorded as failed, with its last line."""
    for module, window in modules:
        started = time.time()
        status, last = run(module, window)
        made = [name for name, figure in results.figures().items()
                if figure.get("at", 0) >= started]
        if not made:
            results.record(f"ran:{module}", float(status or 1), "exit status", 0.0, "lower",
                           note=last or "it printed nothing")


def summary() -> tuple[str, bool]:
    """The table of every figure against its budget, and whether all are within it."""
    rows = [("figure", "value", "budget", "")]
    all_ok = True
    for name, figure in sorted(results.figures().items()):
        budget = figure["budget"]
        sign = "≤" if figure["better"] == "lower" else "≥"
        rows.append((name, f"{figure['value']:g} {figure['unit']}",
                     "—" if budget is None else f"{sign} {budget:g}",
                     "ok" if figure["ok"] else "OVER" + (f": {figure['note']}"
                                                         if figure.get("note") else "")))
        all_ok = all_ok and figure["ok"]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True))
             + f"  {row[3]}" for row in rows]
    return "\n".join(lines), all_ok


def main(argv: Sequence[str] | None = None) -> int:
    """Run every module (from a fresh results file), print the summary; 1 if any figure missed."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--only", nargs="+", metavar="MODULE",
                        help="run these modules only (e.g. bench.redraw)")
    args = parser.parse_args(argv)
    chosen = [(m, w) for m, w in MODULES if not args.only or m in args.only]
    results.LATEST.unlink(missing_ok=True)  # every figure of this run, and only those
    run_all(chosen)
    table, all_ok = summary()
    print(f"\n{table}\n\n{'every figure within budget' if all_ok else 'some figures missed'}: "
          f"{results.LATEST}")
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
