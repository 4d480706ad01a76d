"""Lesson: the deck's `Pool.map(f, range(N))` against the serial loop."""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from typing import Any

from scenarios.model.lesson import Headline, Lesson, LessonText, SpeedupPoint
from scenarios.model.params import bool_param, int_param
from scenarios.model.tries import Try, ran

CORES = os.cpu_count() or 1
# Stop is looked at once per this many serial tasks: a few tens of ms of work.
CHECK_EVERY = 1000


def f(n):
    """The deck's task, as on its slide: a small pure-Python sum, all CPU and no waiting."""
    sum = 0  # noqa: A001 - the deck's own name
    for x in range(1000):
        sum += x * x
    return sum


def serial(lab, tasks: int) -> list[int]:
    """The deck's serial loop: f for each number, one after another, on one core."""
    result = []
    for first in range(0, tasks, CHECK_EVERY):
        with lab.span("run", "serial f(x)", merge=True):  # one bar, drawn as it grows
            for x in range(first, min(first + CHECK_EVERY, tasks)):
                result.append(f(x))
        lab.check()  # Stop ends the run here
    return result


def sweep(lab, tasks: int, chunksize: int | None) -> list[dict[str, Any]]:
    """Time Pool.map on the same tasks at every pool size from 1 to twice the cores."""
    t = time.perf_counter()
    serial(lab, tasks)
    serial_s = time.perf_counter() - t
    rows: list[dict[str, Any]] = []
    for size in range(1, 2 * CORES + 1):
        with lab.pool(size) as pool:  # started before the clock starts, as above
            t = time.perf_counter()
            pool.map(f, range(tasks), chunksize)
            parallel_s = time.perf_counter() - t
        speedup = serial_s / parallel_s if parallel_s > 0 else 0.0
        rows.append({"pool_size": size, "parallel_s": round(parallel_s, 4),
                     "speedup": round(speedup, 3)})
        lab.metric("speedup", speedup)
        lab.print(f"pool size {size}: {parallel_s:.3f} s, speedup {speedup:.2f}×")
        lab.table("speedup by pool size", ["pool size", "Pool.map (s)", "speedup"],
                  [[r["pool_size"], r["parallel_s"], r["speedup"]] for r in rows])
    return rows


def run(lab, p: Mapping[str, Any]) -> dict[str, Any]:
    """Time the serial loop, then the same tasks with Pool.map, and compare."""
    tasks = p["tasks"]
    t = time.perf_counter()
    expected = serial(lab, tasks)
    serial_s = time.perf_counter() - t
    lab.print(f"Serial processing took: {serial_s:.3f} s")
    t = time.perf_counter()
    with lab.pool(p["pool_size"]) as pool:  # multiprocessing.Pool(pool_size), workers started
        start_s = time.perf_counter() - t
        t = time.perf_counter()
        result = pool.map(f, range(tasks), p["chunksize"] or None)
        parallel_s = time.perf_counter() - t
        pids = pool.pids()
    lab.print(f"Pool took: {parallel_s:.3f} s (starting {p['pool_size']} workers took "
              f"{start_s:.3f} s more)")
    speedup = serial_s / parallel_s if parallel_s > 0 else 0.0
    lab.print(f"Speedup: {speedup:.2f}× on {CORES} cores")
    table = sweep(lab, p["sweep_tasks"], p["chunksize"] or None) if p["sweep"] else []
    return {
        "serial_s": round(serial_s, 4),
        "parallel_s": round(parallel_s, 4),
        "speedup": round(speedup, 3),
        "pool_size": p["pool_size"],
        "cpu_count": CORES,
        "pool_start_s": round(start_s, 4),
        "same_results": result == expected,
        "worker_pids": pids,
        "sweep": table,
    }


def headline(values: dict[str, Any]) -> Headline:
    """How much faster the pool was, with how many workers on how many cores."""
    speedup = values["speedup"]
    how = "faster" if speedup >= 1 else "— slower than the serial loop"
    verdict = "good" if speedup > 1.2 else "neutral"
    return Headline(f"{speedup:.2f}× {how} with {values['pool_size']} workers on "
                    f"{values['cpu_count']} cores", verdict)


def speedups(values: dict[str, Any]) -> list[SpeedupPoint]:
    """Pool.map's speedup at each pool size of the sweep, or at the one size run ([] if none)."""
    try:
        rows = values.get("sweep") or [values]
        return [SpeedupPoint("Pool.map", int(row["pool_size"]), float(row["speedup"]))
                for row in rows]
    except (KeyError, TypeError, ValueError):
        return []


LESSON = Lesson(
    id="pool_speedup",
    title="Pool.map against a serial loop",
    summary="The same CPU-bound tasks, one by one and across a pool of processes.",
    section="Pools and executors",
    text=LessonText(
        watch="First the main row runs every task alone while one core is busy. Then the pool's "
        "worker rows run the same tasks together, and the core plot shows every core busy.",
        try_="Set pool size to 1, then to the number of cores, then to twice that: the speedup "
        "climbs to about the core count and no further. Turn on the sweep to measure every pool "
        "size in one run: the speedup table and plot rise to the core count, then level off. "
        "Try a chunksize of 1 to see the cost of sending each task on its own.",
        why="Each process has its own interpreter and its own GIL, so pure-Python work really runs "
        "in parallel. More workers than cores only take turns. Starting workers and sending tasks "
        "costs time, which is why the pool start is timed separately and tiny chunks are slower.",
    ),
    params=(
        int_param("pool_size", CORES, 1, CORES * 2, "Worker processes in the pool.",
                  label="Pool size"),
        int_param("tasks", 40_000, 100, 1_000_000, "How many times f runs.",
                  label="Tasks"),
        int_param("chunksize", 0, 0, 100_000, "Tasks sent to a worker at a time; 0 lets Pool "
                  "choose.", label="Chunk size"),
        bool_param("sweep", False, "After the comparison, time Pool.map again at every pool "
                   "size from 1 to twice the cores, and plot the speedup of each.",
                   label="Sweep pool sizes"),
        int_param("sweep_tasks", 10_000, 100, 1_000_000, "How many times f runs at each pool "
                  "size of the sweep (fewer than above, to keep the sweep short).",
                  label="Tasks per sweep size"),
    ),
    run=run,
    code=(f, serial, sweep, run),
    result_keys=("serial_s", "parallel_s", "speedup", "pool_size", "cpu_count", "sweep"),
    headline=headline,
    speedups=speedups,
    tries=(
        Try("Set pool size to 1: the pool is no faster than the serial loop.", ran(pool_size=1)),
        Try(f"Set pool size to twice the cores ({2 * CORES}): no faster than at {CORES}.",
            ran(pool_size=2 * CORES)),
        Try("Turn on the sweep: the speedup rises to the core count, then levels off.",
            ran(sweep=True)),
        Try("Try a chunksize of 1: sending each task on its own costs time.", ran(chunksize=1)),
    ),
)
