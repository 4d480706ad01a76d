"""Soak (issue 7): run after run of every lesson in one app must leave nothing behind.

Every lesson runs on both back ends, half of the runs stopped at a random moment; after each run
the app's threads and child processes must be back to where they were, and its memory must not
grow.

`python -m bench.soak [--rounds N] [--seed S]` (offscreen). A round is one run of every lesson on
each back end (about 40 runs, 1 to 2 minutes here); `make bench` runs 3 rounds, the issue's full
soak is `--rounds 100` (about 2 hours). Prints and records the memory growth from the end of the
first round to the end, the longest time from Stop to the run's end, and leftovers.
"""

from __future__ import annotations

import argparse
import os
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import psutil

from scenarios.engine.spawning import is_resource_tracker
from scenarios.lessons import catalogue
from scenarios.lessons.quick import quick_params

BACKENDS = ("thread", "process")
STOP_CHANCE = 0.5  # half the runs are stopped, at a random moment of their first half second
STOP_WITHIN_S = 0.5
RUN_LIMIT_S = 120.0  # a run that has not ended by then counts as hung
SETTLE_S = 3.0  # how long threads and processes get to be gone after a run's end
BUDGETS = {"soak_memory_growth": 20.0, "soak_stop_max": 1.0, "soak_leftovers": 0.0,
           "soak_shm_semaphores_left": 0.0}
SHM = "/dev/shm"  # where Linux keeps named semaphores (multiprocessing's locks and queues)

Wait = Callable[[Callable[[], bool], float], bool]


@dataclass
class SoakFigures:
    """What a soak measured."""

    runs: int = 0
    stopped: int = 0
    stop_s: list[float] = field(default_factory=list)  # Stop to the run's end, each stopped run
    leftovers: list[str] = field(default_factory=list)  # what outlived a run, and which run
    hung: list[str] = field(default_factory=list)
    memory_mb: list[float] = field(default_factory=list)  # the app's memory after each round


def children() -> set[int]:
    """This process's child processes, recursively, except multiprocessing's resource tracker.

    The tracker is multiprocessing's own helper, started by the first process run and kept until
    the app exits.
    """
    return {p.pid for p in psutil.Process().children(recursive=True) if not is_resource_tracker(p)}


def params_for(lesson: Any, backend: str) -> dict[str, Any]:
    """Short-run parameters; a lesson of ways runs the way that matches the back end."""
    values = quick_params(lesson)
    way = lesson.way_param()
    if way is not None:
        values[way.name] = next(name for name, on in way.extra["backend_of"].items()
                                if on == backend)
    return values


def one_run(window: Any, lesson: Any, backend: str, rng: random.Random, wait: Wait,
            figures: SoakFigures) -> None:
    """Run one lesson once (maybe stopping it), then check that nothing of it is left."""
    threads_before, children_before = set(threading.enumerate()), children()
    window.select(lesson.id)
    window.set_backend(backend)
    window.params.set_values(params_for(lesson, backend))
    window.start_run()
    name = f"{lesson.id}/{backend} (run {figures.runs + 1})"
    figures.runs += 1
    if rng.random() < STOP_CHANCE:
        wait(lambda: not window.running, rng.uniform(0.0, STOP_WITHIN_S))
        if window.running:
            stopped_at = time.perf_counter()
            window.stop_run()
            wait(lambda: not window.running, RUN_LIMIT_S)
            figures.stop_s.append(time.perf_counter() - stopped_at)
            figures.stopped += 1
    if not wait(lambda: not window.running, RUN_LIMIT_S):
        figures.hung.append(name)
        window.shutdown()
        return

    def settled() -> bool:
        return (set(threading.enumerate()) <= threads_before
                and children() <= children_before)

    if not wait(settled, SETTLE_S):
        extra = [t.name for t in set(threading.enumerate()) - threads_before]
        extra += [f"pid {pid}" for pid in children() - children_before]
        figures.leftovers.append(f"{name}: {', '.join(extra)}")


def soak(window: Any, rounds: int, seed: int, wait: Wait,
         lessons: list[Any] | None = None, backends: tuple[str, ...] = BACKENDS) -> SoakFigures:
    """`rounds` runs of every lesson on every back end, in one window."""
    rng = random.Random(seed)
    figures = SoakFigures()
    me = psutil.Process()
    for _ in range(rounds):
        for lesson in lessons or catalogue.lessons():
            for backend in backends:
                one_run(window, lesson, backend, rng, wait, figures)
        figures.memory_mb.append(me.memory_info().rss / 2**20)
    return figures


def memory_growth(figures: SoakFigures) -> float:
    """MB the app grew from the end of the first round (its caches warm) to the end."""
    return figures.memory_mb[-1] - figures.memory_mb[0] if figures.memory_mb else 0.0


def main() -> None:
    """Soak the real window offscreen, print the figures and record them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from bench.results import record
    from desktop.shell.window import MainWindow
    from desktop.startup.qt_app import GUI_SWITCH_INTERVAL_MS, create_app, set_switch_interval
    from desktop.style.plot_style import configure_plots

    app = create_app()
    configure_plots()
    set_switch_interval(GUI_SWITCH_INTERVAL_MS)
    window = MainWindow()
    window.ask_before_freezing = False
    window.show()

    def wait(done: Callable[[], bool], timeout: float) -> bool:
        deadline = time.perf_counter() + timeout
        while not done():
            if time.perf_counter() >= deadline:
                return False
            app.processEvents()
            time.sleep(0.005)
        return True

    started = time.perf_counter()
    semaphores = named_semaphores()
    figures = soak(window, args.rounds, args.seed, wait)
    window.shutdown()
    semaphores_left = named_semaphores() - semaphores
    took = time.perf_counter() - started
    growth = memory_growth(figures)
    stop_max = max(figures.stop_s, default=0.0)
    problems = len(figures.leftovers) + len(figures.hung)
    print(f"soak: {figures.runs} runs ({figures.stopped} stopped at a random moment) in "
          f"{took:.0f} s, {args.rounds} rounds of every lesson on {', '.join(BACKENDS)}")
    print(f"  memory after each round (MB): {[round(m, 1) for m in figures.memory_mb]}")
    print(f"  memory growth: {growth:.1f} MB (budget {BUDGETS['soak_memory_growth']:g})")
    print(f"  Stop to end: max {stop_max:.2f} s (budget 1)")
    print(f"  leftovers or hung runs: {problems} {figures.leftovers + figures.hung}")
    record("soak_memory_growth", growth, "MB", BUDGETS["soak_memory_growth"], "lower")
    record("soak_stop_max", stop_max, "s", BUDGETS["soak_stop_max"], "lower")
    record("soak_leftovers", float(problems), "runs", BUDGETS["soak_leftovers"], "lower")
    print(f"  named semaphores left in {SHM} after {figures.runs} runs: {semaphores_left} "
          "(budget 0; issue 22)")
    record("soak_shm_semaphores_left", float(semaphores_left), "entries",
           BUDGETS["soak_shm_semaphores_left"], "lower")


def named_semaphores() -> int:
    """How many named semaphores there are (0 where the OS keeps none in /dev/shm)."""
    try:
        return sum(1 for name in os.listdir(SHM) if name.startswith("sem."))
    except OSError:
        return 0


if __name__ == "__main__":
    main()
