"""Event-loop lag of the window while a CPU-bound lesson runs, per back end (issue 2 budgets).

Runs `python -m desktop --run pool_speedup --backend B --report r.json --exit-when-done` offscreen,
several times per back end, interleaved so both see the same machine, and prints the median of
each run's p99 lag. Writes the figures into bench/results/latest.json (format in DESIGN).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.results import record

ROUNDS = 3
BUDGETS_MS = {"process": 5.0, "thread": 12.0}  # issue 2 acceptance


def one_run(backend: str) -> dict:
    """One automated run of pool_speedup; returns its report."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "r.json"
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        subprocess.run([sys.executable, "-m", "desktop", "--run", "pool_speedup", "--backend",
                        backend, "--report", str(report), "--exit-when-done"],
                       check=True, env=env, capture_output=True, timeout=300)
        return json.loads(report.read_text())


def main() -> None:
    """Measure, print and record the lag figures."""
    p99s: dict[str, list[float]] = {backend: [] for backend in BUDGETS_MS}
    for _ in range(ROUNDS):
        for backend in BUDGETS_MS:
            lag = one_run(backend)["ui_lag_ms"]
            p99s[backend].append(lag["p99"])
            print(f"pool_speedup {backend:8s} p50 {lag['p50']:6.2f}  p99 {lag['p99']:6.2f}  "
                  f"max {lag['max']:6.2f} ms ({lag['samples']} samples)")
    for backend, values in p99s.items():
        median = statistics.median(values)
        ok = record(f"ui_lag_p99_{backend}_pool_speedup", median, "ms", BUDGETS_MS[backend],
                    "lower")
        print(f"median p99, {backend}: {median:.2f} ms (budget {BUDGETS_MS[backend]} ms) "
              f"{'ok' if ok else 'OVER BUDGET'}")


if __name__ == "__main__":
    main()
