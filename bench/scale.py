"""Memory of the app after the heaviest runs, and what they put on screen (issue 5, scale).

Runs `python -m desktop --run ID --set ... --report r.json --exit-when-done` offscreen for
race_counter with 1,000,000 increments (20,000 spans, 40,000 counter values) and pool_speedup with
100,000 tasks sent one by one, and prints the app's memory after each (resident set, MB), how
many spans and samples it drew, and the window's lag during the run. About 2 minutes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.results import record

BUDGET_MB = 400.0  # issue 5: the app's memory after such a run
RUNS = {
    "race_1m": ("race_counter", "thread", ["increments=1000000"]),
    "pool_100k": ("pool_speedup", "process", ["tasks=100000", "chunksize=1"]),
}


def one_run(lesson: str, backend: str, settings: list[str]) -> dict:
    """One automated run; returns its report."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "r.json"
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        args = [sys.executable, "-m", "desktop", "--run", lesson, "--backend", backend,
                "--report", str(report), "--exit-when-done"]
        for setting in settings:
            args += ["--set", setting]
        subprocess.run(args, check=True, env=env, capture_output=True, timeout=600)
        return json.loads(report.read_text())


def main() -> None:
    """Measure, print and record the memory figures."""
    for name, (lesson, backend, settings) in RUNS.items():
        report = one_run(lesson, backend, settings)
        lag, drawn = report["ui_lag_ms"], report["events"]
        print(f"{lesson} {' '.join(settings)} ({backend}): {report['wall_s']:.1f} s, "
              f"memory {report['memory_mb']:.0f} MB; drew {drawn}; UI lag p50 {lag['p50']:.1f} "
              f"p99 {lag['p99']:.1f} max {lag['max']:.1f} ms")
        ok = record(f"memory_after_{name}", report["memory_mb"], "MB", BUDGET_MB, "lower")
        print(f"memory_after_{name}: {report['memory_mb']:.0f} MB (budget {BUDGET_MB:.0f} MB) "
              f"{'ok' if ok else 'OVER BUDGET'}")


if __name__ == "__main__":
    main()
