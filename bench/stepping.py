"""Step mode's costs: a switch point in a normal run, and explore's schedules per second.

A point (`lab.point("read x", x=lambda: shared.x)`) is in the lesson's code whether or not the
run steps, so its cost in a normal run is what every race_counter increment pays: timed here on a
real Lab (the thread back end's), against the same loop without the point, as the fastest of
several repeats (the host's slow spells only ever add). Explore runs race_counter's every
schedule for real (2 threads x 2 increments: 70 schedules) and prints how many per second.

    .venv/bin/python -m bench.stepping
"""

from __future__ import annotations

import sys
import time

from bench.results import record
from scenarios.engine.exploring import explore
from scenarios.engine.lab import Lab
from scenarios.engine.stop import StopToken
from scenarios.lessons import catalogue

POINTS = 200_000
REPEATS = 9
POINT_BUDGET_NS = 500.0  # issue 17: "next to nothing"; a span costs 2 µs (issue 7)


class Shared:
    """A counter, as race_counter's."""

    x = 0


def loop_ns(lab: Lab, with_point: bool) -> float:
    """Ns per iteration of a loop that reads a counter, with or without a point before it."""
    shared = Shared()
    start = time.perf_counter_ns()
    if with_point:
        for _ in range(POINTS):
            lab.point("read x", x=lambda: shared.x)
            shared.x += 1
    else:
        for _ in range(POINTS):
            shared.x += 1
    return (time.perf_counter_ns() - start) / POINTS


def point_cost_ns() -> float:
    """A point's cost outside step mode: the fastest loop with it minus the fastest without."""
    lab = Lab(lambda event: None, StopToken(), {}, time.perf_counter_ns())
    with_point = min(loop_ns(lab, True) for _ in range(REPEATS))
    without = min(loop_ns(lab, False) for _ in range(REPEATS))
    return with_point - without


def main() -> int:
    """Measure, print and record."""
    cost = point_cost_ns()
    ok = record("step_point_cost_ns", cost, "ns", POINT_BUDGET_NS, "lower")
    print(f"step_point_cost_ns        {cost:8.1f}  ≤ {POINT_BUDGET_NS:g}  {'ok' if ok else 'OVER'}"
          f"   (a point outside step mode, {POINTS:,} of them, fastest of {REPEATS})")
    lesson = catalogue.get("race_counter")
    started = time.perf_counter()
    explored = explore(lesson, lesson.resolve({"threads": 2, "increments": 2}))
    rate = len(explored.runs) / (time.perf_counter() - started)
    record("explore_schedules_per_s", rate, "1/s", None, "higher")
    print(f"explore_schedules_per_s   {rate:8.1f}   race_counter 2 threads x 2 increments: "
          f"{len(explored.runs)} schedules, {dict(explored.counts())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
