"""Step mode's costs: a switch point in a normal run, explore's rate, and a step's latency.

A point (`lab.point("read x", x=lambda: shared.x)`) is in the lesson's code whether or not the
run steps, so its cost in a normal run is what every race_counter increment pays: timed here on a
real Lab (the thread back end's), against the same loop without the point, as the fastest of
several repeats (the host's slow spells only ever add). The schedule 1,2,1,2 is replayed 100
times on each back end, for race_counter and for process_lock: one outcome every time. Explore
runs race_counter's every schedule (2 threads x 2 increments: 70 schedules, the pruned ones
counted without a run) and prints how many runs per second.
A step's latency is timed in the window (offscreen): from the number key pressed to the Step
tab painted with the threads' next choices, over race_counter's 200 steps on the thread back end
(budget: p99 50 ms, issue 17), and over process_lock's 200 steps on the process back end: its
deposit and withdraw processes, gated through the lab's channel (budget: p99 100 ms). The
timeline's tick for the step follows at the next frame.

    .venv/bin/python -m bench.stepping
"""

from __future__ import annotations

import os
import sys
import time
from collections import Counter
from collections.abc import Callable

import numpy as np

from bench.results import record
from scenarios.engine.exploring import explore, outcome_of, run_schedule
from scenarios.engine.lab import Lab
from scenarios.engine.stop import StopToken
from scenarios.lessons import catalogue

POINTS = 200_000
REPEATS = 9
POINT_BUDGET_NS = 500.0  # issue 17: "next to nothing"; a span costs 2 µs (issue 7)
# issue 17: a schedule replayed this many times on each back end gives one outcome every time
REPLAYS = 100
SCHEDULE = [1, 2, 1, 2]  # both read, then both write: one update lost
SAME_SCHEDULE = {"race_counter": {"threads": 2, "increments": 1},
                 "process_lock": {"times": 1, "pause": 0.0, "race_window": 0.0}}
# issue 17: the budgets of a step's latency, per back end, and the run each is timed on
STEP_LATENCY_BUDGET_MS = {"thread": 50.0, "process": 100.0}
STEPPED = {"thread": ("race_counter", ["threads=2", "increments=50"]),
           "process": ("process_lock", ["times=50", "pause=0", "race_window=0"])}


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
    rate = explored.runs / (time.perf_counter() - started)
    record("explore_runs_per_s", rate, "1/s", None, "higher")
    print(f"explore_runs_per_s        {rate:8.1f}   race_counter 2 threads x 2 increments: "
          f"{explored.schedules()} schedules from {explored.runs} runs ({explored.pruned} "
          f"pruned), {dict(explored.counts())}")
    for lesson_id, values in SAME_SCHEDULE.items():
        for backend in ("thread", "process"):
            outcomes = replayed(lesson_id, values, backend)
            same = max(outcomes.values())
            record(f"same_outcome_{lesson_id}_{backend}", same, f"of {REPLAYS}", None, "higher")
            print(f"same outcome {lesson_id:<13} {backend:<8} {same:4d} of {REPLAYS}   "
                  f"schedule {SCHEDULE}: {dict(outcomes)}")
    from desktop.startup.qt_app import GUI_SWITCH_INTERVAL_MS, create_app, set_switch_interval

    app = create_app()
    set_switch_interval(GUI_SWITCH_INTERVAL_MS)
    for backend, budget in STEP_LATENCY_BUDGET_MS.items():
        latencies = step_latencies_ms(app, backend)
        p99 = float(np.percentile(latencies, 99))
        name = f"step_latency_p99_{backend}_ms"
        ok = record(name, p99, "ms", budget, "lower")
        print(f"{name:<26}{p99:7.1f}  ≤ {budget:g}  {'ok' if ok else 'OVER'}   median "
              f"{np.median(latencies):.1f} ms over {len(latencies)} key presses "
              f"({STEPPED[backend][0]}, window offscreen)")
    return 0


def replayed(lesson_id: str, values: dict[str, object], backend: str) -> Counter[str]:
    """The outcomes of REPLAYS runs of one schedule (issue 17: one outcome, every time)."""
    lesson = catalogue.get(lesson_id)
    params = lesson.resolve(values)
    outcomes: Counter[str] = Counter()
    for _ in range(REPLAYS):
        played, result = run_schedule(lesson, params, SCHEDULE, backend)
        outcomes[outcome_of(lesson, played, result)] += 1
    return outcomes


def step_latencies_ms(app: object, backend: str) -> list[float]:
    """Key press to the Step tab's next choices, in ms, for every step of a stepped run."""
    from PySide6.QtCore import QEventLoop, Qt
    from PySide6.QtTest import QTest

    from desktop.shell.window import MainWindow

    window = MainWindow()
    window.resize(1366, 768)
    window.show()
    lesson_id, assignments = STEPPED[backend]
    window.select(lesson_id)
    window.set_backend(backend)
    window.apply_assignments(assignments)
    window.step_action.setChecked(True)
    shown: list[float] = []
    panel = window.step_panel
    plain = panel.show_state

    def noted(*args: object, **kwargs: object) -> None:
        plain(*args, **kwargs)
        if kwargs.get("waiting", len(args) > 4 and args[4]):
            panel.repaint()  # painted, not only set: what the learner sees
            shown.append(time.perf_counter())

    panel.show_state = noted  # type: ignore[method-assign]
    window.start_run()
    latencies = []
    keys = (Qt.Key.Key_1, Qt.Key.Key_2)

    def wait_for(done: Callable[[], bool], timeout_s: float = 10.0) -> bool:
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
    app.processEvents()  # type: ignore[attr-defined]
    return latencies


if __name__ == "__main__":
    sys.exit(main())
