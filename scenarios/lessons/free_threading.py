"""Lesson: the same threads with the GIL and without it (a free-threaded Python, PEP 703)."""

from __future__ import annotations

import sys
import time
from collections.abc import Mapping
from typing import Any

from scenarios.engine import probe
from scenarios.engine.cpu_watch import CpuWatch
from scenarios.engine.interpreters import Interpreter, first_found, this_python, without_gil
from scenarios.lessons.gil_cpu_bound import CORES, on_threads, serial
from scenarios.lessons.race_counter import STEPS, Shared, increment
from scenarios.model.fairness import speedup_caveat
from scenarios.model.lesson import Headline, Lesson, LessonText, SpeedupPoint
from scenarios.model.params import bool_param, choice_param, float_param, int_param
from scenarios.model.tries import Try, more_than, ran, where
from scenarios.model.words import plural

# Where a learner gets a free-threaded Python, by system (python.org's installers have it as an
# option; uv installs one in a minute).
HOW_TO_GET = {
    "win32": "run the python.org installer for 3.13 or newer and tick 'Download free-threaded "
             "binaries' (python3.13t.exe), or: uv python install 3.14t",
    "darwin": "run the python.org installer for 3.13 or newer and choose 'Customize', "
              "'Free-threaded Python', or: uv python install 3.14t",
    "linux": "uv python install 3.14t (or, from the lab's source folder, make freethreaded)",
}
SIDES = ("gil", "nogil")  # the result's keys start with these


def with_gil() -> Interpreter | None:
    """A Python with the GIL on: this one, unless it runs without it."""
    return first_found(lambda python: python.gil)


def how_to_get() -> str:
    """How to get a free-threaded Python on this system, in one sentence."""
    system = "linux" if sys.platform.startswith("linux") else sys.platform
    return "No free-threaded Python was found. To get one: " + HOW_TO_GET.get(
        system, HOW_TO_GET["linux"]) + "; the lab finds it at its next run."


def on_python(tasks: list[int], increments: int) -> dict[str, Any]:
    """In a process on one Python: the tasks serially, then on threads; then the race."""
    lab, python = probe.current(), this_python()
    lab.metric_prefix = f"GIL {'on' if python.gil else 'off'}: "  # the other side plots too
    watch, start = CpuWatch(), time.perf_counter()
    serial(lab, tasks)
    serial_s = time.perf_counter() - start
    share, sharing = watch.read()  # did the serial loop have a core? (else it ran slow)
    lab.mark("threads: start")
    start = time.perf_counter()
    on_threads(lab, tasks)
    threads_s = time.perf_counter() - start
    lab.mark("race: start")
    shared = Shared(len(tasks))
    lock = lab.Lock("x lock")
    racers = [lab.Thread(target=increment, args=(lab, shared, lock, increments, i),
                         name=f"Racer {i + 1}") for i in range(len(tasks))]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join()
    expected = len(tasks) * increments
    caveat = speedup_caveat(serial_s / threads_s, len(tasks), CORES, share, sharing,
                            gil=python.gil)
    return {"serial_s": serial_s, "threads_s": threads_s, "lost_updates": expected - shared.x,
            "expected": expected, "python": python.label, "caveat": caveat}


def run_on(lab, side: str, python: Interpreter, p: Mapping[str, Any]) -> dict[str, Any]:
    """One side's work in a process of its own on `python`; its figures, keyed by side."""
    tasks = [p["work_m"] * 1_000_000] * p["workers"]
    name = f"GIL {'on' if python.gil else 'off'} · {'.'.join(map(str, python.version[:2]))}"
    process = lab.Process(target=on_python, args=(tasks, p["increments"]), name=name,
                          python=python)
    process.start()
    process.join()
    got = process.returned
    if got is None:
        raise RuntimeError(f"the process on {python.label} ended without its figures")
    speedup = got["serial_s"] / got["threads_s"]
    lab.print(f"{got['python']}: serial {got['serial_s']:.2f} s, {plural(p['workers'], 'thread')} "
              f"{got['threads_s']:.2f} s = {speedup:.2f}x; x += 1 lost "
              f"{got['lost_updates']:,} of {got['expected']:,}")
    if got["caveat"]:
        lab.print(f"{got['python']}: {got['caveat']}")
    return {f"{side}_python": got["python"], f"{side}_serial_s": round(got["serial_s"], 3),
            **({f"{side}_caveat": got["caveat"]} if got["caveat"] else {}),
            f"{side}_threads_s": round(got["threads_s"], 3),
            f"{side}_threads_speedup": round(speedup, 2),
            f"{side}_lost_updates": got["lost_updates"]}


def run(lab, p: Mapping[str, Any]) -> dict[str, Any]:
    """The same work and race on a Python with the GIL, then on one without it (if found)."""
    values: dict[str, Any] = {"workers": p["workers"], "cpu_count": CORES}
    for side, python in zip(SIDES, (with_gil(), first_found(without_gil)), strict=True):
        if python is None:
            lab.print(how_to_get() if side == "nogil" else "No Python with the GIL was found.")
            values[f"{side}_python"] = None
            continue
        values.update(run_on(lab, side, python, p))
    said = [values.get(f"{side}_caveat") for side in SIDES]
    values["caveat"] = how_to_get() if values["nogil_python"] is None else \
        " ".join(filter(None, said)) or None
    return values


def headline(values: dict[str, Any]) -> Headline:
    """Each side's threads against serial, and its lost updates."""
    parts = []
    for side, words in zip(SIDES, ("GIL on", "GIL off"), strict=True):
        if values.get(f"{side}_python"):
            parts.append(f"{words}: threads {values[f'{side}_threads_speedup']:.2f}× serial, "
                         f"{values[f'{side}_lost_updates']:,} lost")
    return Headline(" · ".join(parts) or "no Python to run on")


def speedups(values: dict[str, Any]) -> list[SpeedupPoint]:
    """The threads' speedup over serial on each Python ([] where none ran)."""
    points = []
    for side, words in zip(SIDES, ("GIL on", "GIL off"), strict=True):
        if values.get(f"{side}_python") and f"{side}_threads_speedup" in values:
            points.append(SpeedupPoint(f"threads, {words}", int(values["workers"]),
                                       float(values[f"{side}_threads_speedup"])))
    return points


LESSON = Lesson(
    id="free_threading",
    title="Without the GIL: free-threaded Python",
    summary="The same CPU-bound threads and x += 1 race with the GIL and without it (3.13t).",
    section="Beyond",
    text=LessonText(
        watch="Two processes, one after the other: the first on a Python with the GIL, the "
        "second on a free-threaded one (3.13t or newer) with the GIL off. Each counts serially, "
        "then on N threads, then runs the deck's x += 1 race on N threads. With the GIL the "
        "threads take turns (as long as serial) and hardly any update is lost; without it the "
        "threads run on every core at once (up to N times faster) and updates are lost again.",
        try_="Turn 'Use a lock' on: the lock fixes the race on both Pythons (and costs time "
        "without the GIL). Set 'Threads' to 1: no speedup, no race. Compare the two rows of the "
        "speedup chart. Pick the free-threaded Python for the process back end (Lab → Python "
        "for processes…) and run 'The GIL: CPU-bound threads vs processes' there too.",
        why="CPython's GIL lets one thread run Python at a time; PEP 703 builds (3.13t, "
        "supported from 3.14) remove it, so threads run Python in parallel. The GIL also hid "
        "races: since 3.10 a thread is only switched at certain points, so x += 1 with the GIL "
        "is hardly ever interrupted in the middle. Without the GIL nothing serialises the read "
        "and the write: a lock is needed again, as the deck says. Each side runs in a process "
        "of its own on its Python (the window stays on its own), and its result names it.",
    ),
    params=(
        int_param("workers", CORES, 1, 2 * CORES, "How many threads count, and how many race.",
                  label="Threads"),
        int_param("work_m", 5, 1, 200, "Loop steps per thread's task, in millions.",
                  unit="million steps", label="Work per thread"),
        int_param("increments", 1_000_000, 1000, 5_000_000, "How many times each racer adds "
                  "one to x.", label="Increments"),
        choice_param("step", "x += 1", STEPS, "How a racer adds one: the deck's plain x += 1, "
                     "or read, pause, write (loses updates with the GIL too).", label="Add as"),
        float_param("race_window", 0.0, 0.0, 5.0, "For read, pause, write: the pause between "
                    "reading and writing x.", unit="ms", step=0.1, label="Race window"),
        bool_param("use_lock", False, "Hold a lock around each add.", label="Use a lock"),
    ),
    run=run,
    code=(on_python, run_on, run),
    result_keys=("gil_python", "nogil_python"),
    headline=headline,
    speedups=speedups,
    tries=(
        Try("Run it with a free-threaded Python on the machine: updates are lost without the "
            "GIL.", ran(result=where(nogil_lost_updates=more_than(0)))),
        Try("Turn the lock on: nothing is lost on either Python.",
            ran(use_lock=True, result=where(gil_lost_updates=0, nogil_lost_updates=0))),
        Try("Set threads to 1: no speedup and no race, with or without the GIL.",
            ran(workers=1)),
    ),
)
