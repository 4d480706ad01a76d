"""What tracing a script costs: the deck's programs run plain and traced, side by side.

Each program is run with plain `python` and traced in the lab (scenarios.engine.scripts), the
two alternating, REPEATS times; the figure is the median of the traced/plain wall-time ratios
of the pairs (each pair on the same few seconds of this noisy host). Both walls count an
interpreter's start: `python FILE` from its launch to its exit, and the traced run from Run to
the result (the lab's process starts, traces, runs the file, sends its last events). Budget
(issue 18): 1.05 for the Pool.map and calc_square/calc_cube programs. The peer: VizTracer 1.1.1
took about 1.9 times as long on the deck's Pool.map program, and showed nothing until it ended.

Then a script that keeps four threads taking one lock is traced for a few seconds, and the
events per second the lab received are printed (what the trace sustains).

    .venv/bin/python -m bench.tracing
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

# The lab is imported inside the functions: the script's process (spawned) imports this, the
# parent's main module, again at its start, and it would pay for what only the parent needs.

REPEATS = 5
BUDGET = 1.05
PROGRAMS = {  # the deck's programs the budget is for
    "pool_map": "15_pool_vs_serial_timing.py",
    "calc_square_cube": "08_square_cube_serial_timing.py",
}
BUSY = """
    import threading, time
    lock = threading.Lock()
    def work():
        end = time.monotonic() + {seconds}
        while time.monotonic() < end:
            with lock:
                time.sleep(0)
    ts = [threading.Thread(target=work) for _ in range(4)]
    for t in ts: t.start()
    for t in ts: t.join()
"""
BUSY_S = 3.0


def plain_s(path: Path) -> float:
    """`python FILE`: seconds from its launch to its exit."""
    started = time.perf_counter()
    subprocess.run([sys.executable, str(path)], stdout=subprocess.DEVNULL, check=True,
                   cwd=tempfile.gettempdir())
    return time.perf_counter() - started


def traced_s(path: Path) -> tuple[float, int]:
    """The file traced in the lab: seconds from Run to its result, and the events received."""
    from scenarios.engine import backends
    from scenarios.engine.scripts import ScriptRun

    started = time.perf_counter()
    run = ScriptRun(str(path))
    run.start()
    if not run.wait(600):
        run.close()
        raise RuntimeError(f"{path.name} did not end")
    wall = time.perf_counter() - started
    events = run.collector.drain()
    result = backends.result_of(events)
    if result is None or result.error:
        raise RuntimeError(f"{path.name} failed traced: {result}")
    return wall, len(events)


def ratio(path: Path) -> tuple[float, list[float], list[float]]:
    """The median traced/plain ratio of REPEATS interleaved pairs, and both walls."""
    plains, traceds = [], []
    for _ in range(REPEATS):
        plains.append(plain_s(path))
        traceds.append(traced_s(path)[0])
    ratios = [t / p for t, p in zip(traceds, plains, strict=True)]
    return statistics.median(ratios), plains, traceds


def events_per_s() -> tuple[float, int]:
    """Events per second the lab received from four threads contending for one lock."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "busy.py"
        path.write_text(textwrap.dedent(BUSY.format(seconds=BUSY_S)))
        wall, count = traced_s(path)
    return count / wall, count


def main() -> int:
    """Measure, print and record."""
    from bench.results import record
    from scenarios.engine.scripts import EXAMPLES

    failed = False
    for name, file in PROGRAMS.items():
        median, plains, traceds = ratio(EXAMPLES / file)
        ok = record(f"trace_ratio_{name}", median, "x", BUDGET, "lower")
        failed |= not ok
        print(f"trace_ratio_{name:<26}{median:6.3f}  ≤ {BUDGET}  {'ok' if ok else 'OVER'}   "
              f"plain {statistics.median(plains):.2f} s, traced {statistics.median(traceds):.2f}"
              f" s (median of {REPEATS} pairs; {file})")
    with tempfile.TemporaryDirectory() as folder:
        tiny = Path(folder) / "tiny.py"
        tiny.write_text("print('hello')\n")
        _, plains, traceds = ratio(tiny)
    cost = (statistics.median(traceds) - statistics.median(plains)) * 1000
    record("trace_fixed_cost_ms", cost, "ms", None, "lower")
    print(f"trace_fixed_cost_ms           {cost:8.1f}   a one-line script, traced minus plain "
          f"(the lab's process: its start, the tracer, its last events sent)")
    rate, count = events_per_s()
    record("trace_events_per_s", rate, "1/s", None, "higher")
    print(f"trace_events_per_s            {rate:8.0f}   {count:,} events from four threads "
          f"taking one lock for {BUSY_S:g} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
