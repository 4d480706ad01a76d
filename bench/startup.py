"""Start-up time to the first painted window: the frozen app against the source app (issue 3).

Runs `ConcurrencyLab --run race_counter --report r.json --exit-when-done` (the one-folder app of
`make package`) and `python -m desktop` with the same flags, offscreen, several times each,
interleaved so both see the same machine, and prints the median `startup_s` of each (from the
process's creation to the window's first paint, as the app itself reports it). Budget: 2 s for
the frozen app (issue 3 acceptance). Writes the figures into bench/results/latest.json.

    .venv/bin/python -m bench.startup [--frozen dist/ConcurrencyLab/ConcurrencyLab]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.results import record

ROOT = Path(__file__).resolve().parent.parent
FROZEN = ROOT / "dist" / "ConcurrencyLab" / "ConcurrencyLab"
ROUNDS = 5
# Seconds to the first painted window: issue 3 (the frozen app) and issue 7 (from source, here).
BUDGETS_S = {"source": 1.5, "frozen": 2.0}
# A short run: the figure is taken before it starts; the run only lets the app exit normally.
RUN = ["--run", "race_counter", "--set", "increments=300", "--exit-when-done"]


def startup_s(command: list[str]) -> float:
    """One start of the app: its reported seconds from process creation to first paint."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "r.json"
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        subprocess.run([*command, *RUN, "--report", str(report)], check=True, env=env,
                       capture_output=True, timeout=120, cwd=tmp)
        return float(json.loads(report.read_text())["startup_s"])


def main() -> int:
    """Measure, print and record start-up of the frozen and the source app."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frozen", type=Path, default=FROZEN, help="the frozen executable")
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    args = parser.parse_args()
    apps = {"source": [sys.executable, "-m", "desktop"]}
    if args.frozen.exists():
        apps["frozen"] = [str(args.frozen)]
    else:
        print(f"no frozen app at {args.frozen}: run `make package` first; measuring source only")
    times: dict[str, list[float]] = {name: [] for name in apps}
    for _ in range(args.rounds):
        for name, command in apps.items():
            times[name].append(startup_s(command))
    for name, values in times.items():
        median = statistics.median(values)
        ok = record(f"startup_{name}_s", median, "s", BUDGETS_S[name], "lower")
        runs = ", ".join(f"{v:.2f}" for v in values)
        print(f"start-up to first paint, {name:6s}: median {median:.2f} s ({runs}) "
              f"budget {BUDGETS_S[name]} s {'ok' if ok else 'OVER BUDGET'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
