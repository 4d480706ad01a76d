"""Step mode's costs: a switch point in a normal run, explore's rate, and a step's latency.

A point (`lab.point("read x", x=lambda: shared.x)`) is in the lesson's code whether or not the
run steps, so its cost in a normal run is what every race_counter increment pays: timed here on a
real Lab (the thread back end's), against the same loop without the point, as the fastest of
several repeats (the host's slow spells only ever add). Explore runs race_counter's every
schedule for real (2 threads x 2 increments: 70 schedules) and prints how many per second.
A step's latency is timed in the window (offscreen): from the number key pressed to the Step
tab painted with the threads' next choices, over race_counter's 200 steps (budget: p99 50 ms on
the thread back end, issue 17). The timeline's tick for the step follows at the next frame.

    .venv/bin/python -m bench.stepping
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable

import numpy as np

from bench.results import record
from scenarios.engine.exploring import explore
from scenarios.engine.lab import Lab
from scenarios.engine.stop import StopToken
from scenarios.lessons import catalogue

POINTS = 200_000
REPEATS = 9
POINT_BUDGET_NS = 500.0  # issue 17: "next to nothing"; a span costs 2 µs (issue 7)
STEP_LATENCY_BUDGET_MS = 50.0  # issue 17, thread back end


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
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
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
    latencies = step_latencies_ms()
    p99 = float(np.percentile(latencies, 99))
    ok = record("step_latency_p99_thread_ms", p99, "ms", STEP_LATENCY_BUDGET_MS, "lower")
    print(f"step_latency_p99_thread_ms {p99:7.1f}  ≤ {STEP_LATENCY_BUDGET_MS:g}  "
          f"{'ok' if ok else 'OVER'}   median {np.median(latencies):.1f} ms over "
          f"{len(latencies)} key presses (window, offscreen)")
    return 0


def step_latencies_ms() -> list[float]:
    """Key press to the Step tab's next choices, in ms, for every step of a race_counter run."""
    from PySide6.QtCore import QEventLoop, Qt
    from PySide6.QtTest import QTest

    from desktop.shell.window import MainWindow
    from desktop.startup.qt_app import GUI_SWITCH_INTERVAL_MS, create_app, set_switch_interval

    app = create_app()
    set_switch_interval(GUI_SWITCH_INTERVAL_MS)
    window = MainWindow()
    window.resize(1366, 768)
    window.show()
    window.select("race_counter")
    window.set_backend("thread")
    window.apply_assignments(["threads=2", "increments=50"])
    window.step_action.setChecked(True)
    shown: list[float] = []
    panel = window.step_panel
    plain = panel.show_state

    def noted(*args: object, waiting: bool) -> None:
        plain(*args, waiting=waiting)
        if waiting:
            panel.repaint()  # painted, not only set: what the learner sees
            shown.append(time.perf_counter())

    panel.show_state = noted  # type: ignore[method-assign]
    window.start_run()
    latencies = []
    keys = (Qt.Key.Key_1, Qt.Key.Key_2)
    def wait_for(done: Callable[[], bool], timeout_s: float = 5.0) -> bool:
        deadline = time.perf_counter() + timeout_s
        while not done() and time.perf_counter() < deadline:
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 1)
        return done()

    while window.running and wait_for(lambda: bool(shown) or not window.running):
        if not window.running:
            break
        runnable = window.step_control.stepper.runnable()
        if not runnable:
            break
        shown.clear()
        pressed = time.perf_counter()
        QTest.keyClick(window, keys[runnable[len(latencies) % len(runnable)].number - 1])
        if wait_for(lambda: bool(shown) or not window.running) and shown:
            latencies.append((shown[0] - pressed) * 1000)
    window.close()
    app.processEvents()
    return latencies


if __name__ == "__main__":
    sys.exit(main())
