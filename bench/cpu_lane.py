"""What watching the CPU every millisecond costs: the sampler's own CPU, and the lesson's time.

The CPU lane's sampler is a process of its own that looks at every watched thread about every
millisecond (scenarios/engine/cpu_lane.py). Printed: its share of a core while it watches two
busy threads for a few seconds, and gil_cpu_bound's watched phases (threads and processes) on
the process back end with the lane on and off, alternating, REPEATS runs each: the fastest on
over the fastest off (the host's slow spells only ever add; budget 1.03, issue 19).

    .venv/bin/python -m bench.cpu_lane
"""

from __future__ import annotations

import statistics
import sys
import threading
import time

REPEATS = 7
WATCH_S = 3.0
BUDGET = 1.03
PARAMS = {"workers": 2, "work_m": 15}


def spin(seconds: float) -> None:
    """Pure-Python work for this long."""
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass


def sampler_share() -> tuple[float, float]:
    """The sampler's share of one core while it watches two busy threads; its period (ms)."""
    import os

    import psutil

    from scenarios.engine.cpu_lane import CpuLane

    workers = [threading.Thread(target=spin, args=(WATCH_S + 0.5,)) for _ in range(2)]
    for w in workers:
        w.start()
    lane = CpuLane([os.getpid()]).start()
    sampler = psutil.Process(lane.sampler_pid)
    before = sampler.cpu_times()
    time.sleep(WATCH_S)
    after = sampler.cpu_times()
    seen = lane.stop()
    for w in workers:
        w.join()
    used = (after.user + after.system) - (before.user + before.system)
    return 100 * used / WATCH_S, seen.period_ms


def watched_s(cpu_lane: bool) -> float:
    """gil_cpu_bound's threads and processes phases, in seconds, with the lane on or off."""
    from scenarios.engine import backends
    from scenarios.lessons import catalogue

    lesson = catalogue.get("gil_cpu_bound")
    run = backends.make_run(lesson, lesson.resolve({**PARAMS, "cpu_lane": cpu_lane}), "process")
    run.start()
    run.wait(600)
    result = backends.result_of(run.collector.drain())
    if result is None or result.error:
        raise RuntimeError(f"gil_cpu_bound failed: {result}")
    return result.values["threads_s"] + result.values["processes_s"]


def main() -> int:
    """Measure, print and record."""
    from bench.results import record

    share, period = sampler_share()
    record("cpu_lane_sampler_pct", share, "% of a core", None, "lower")
    print(f"cpu_lane_sampler_pct       {share:6.1f}   the sampler's share of one core, looking "
          f"every {period:.2f} ms at two busy threads for {WATCH_S:g} s")
    ons, offs = [], []
    for _ in range(REPEATS):
        ons.append(watched_s(True))
        offs.append(watched_s(False))
    ratio = min(ons) / min(offs)  # the host's slow spells only ever add: the fastest of each
    ok = record("cpu_lane_wall_ratio", ratio, "x", BUDGET, "lower")
    print(f"cpu_lane_wall_ratio        {ratio:6.3f}  ≤ {BUDGET}  {'ok' if ok else 'OVER'}   "
          f"gil_cpu_bound's watched phases, fastest of {REPEATS} alternating runs each: lane on "
          f"{min(ons):.2f} s, off {min(offs):.2f} s (medians {statistics.median(ons):.2f}, "
          f"{statistics.median(offs):.2f})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
