"""Lesson: the deck's `Pool.map(f, range(N))` against the serial loop."""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from typing import Any

from scenarios.engine.cpu_watch import CpuWatch
from scenarios.engine.os_counts import process_cpu_s
from scenarios.model.fairness import core_share, is_fair, speedup_caveat, spread_caveat
from scenarios.model.lesson import Headline, Lesson, LessonText, SpeedupPoint
from scenarios.model.params import bool_param, int_param
from scenarios.model.tries import Try, ran
from scenarios.model.words import plural

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


def workers_cpu_s(pids: list[int]) -> float:
    """The CPU time the pool's workers have used so far, in seconds (the OS's count)."""
    return sum(process_cpu_s(pid) or 0.0 for pid in pids)


def one_round(lab, p: Mapping[str, Any], number: int) -> dict[str, Any]:
    """The deck's program once: the serial loop, then Pool() through map to close() and join()."""
    tasks, size = p["tasks"], p["pool_size"]
    lab.mark(f"round {number}")
    t, watch = time.perf_counter(), CpuWatch()
    expected = serial(lab, tasks)
    serial_s = time.perf_counter() - t
    serial_share, sharing = watch.read()  # 1.0: a whole core; and what else ran meanwhile
    lab.print(f"Round {number}. Serial processing took: {serial_s:.3f} s "
              f"({serial_share:.0%} of a core)")
    deck_t = t = time.perf_counter()  # the deck's clock starts before Pool()
    with lab.pool(size) as pool:  # multiprocessing.Pool(pool_size), workers started
        start_s = time.perf_counter() - t
        pids = pool.pids()
        t, cpu = time.perf_counter(), workers_cpu_s(pids)
        result = pool.map(f, range(tasks), p["chunksize"] or None)
        parallel_s = time.perf_counter() - t
        used = min(size, CORES)
        parallel_share = core_share(workers_cpu_s(pids) - cpu, parallel_s, used)
    deck_s = time.perf_counter() - deck_t  # ... and stops after close() and join()
    speedup = serial_s / parallel_s if parallel_s > 0 else 0.0
    lab.print(f"Pool took: {deck_s:.3f} s from Pool() to join(), as the deck times it; "
              f"Pool.map alone {parallel_s:.3f} s ({parallel_share:.0%} of {used} cores): "
              f"{speedup:.2f}×")
    return {
        "serial_s": round(serial_s, 4),
        "parallel_s": round(parallel_s, 4),
        "speedup": round(speedup, 3),
        "deck_pool_s": round(deck_s, 4),
        "deck_speedup": round(serial_s / deck_s, 3) if deck_s > 0 else 0.0,
        "serial_core_share": serial_share,
        # what else used the CPU during the serial loop, in cores
        "serial_beside_in_process": sharing.same_process,
        "serial_beside_other_processes": sharing.other_processes,
        "parallel_core_share": parallel_share,
        "pool_start_s": round(start_s, 4),
        "same_results": result == expected,
        "worker_pids": pids,
        "sharing": sharing,
    }


def median_round(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    """The round whose speedup is the median (the lower middle one of an even number)."""
    ordered = sorted(rounds, key=lambda r: r["speedup"])
    return ordered[(len(ordered) - 1) // 2]


def show_rounds(lab, rounds: list[dict[str, Any]]) -> None:
    """Each round's times and speedup in the lesson's live table."""
    lab.table("rounds", ["round", "serial (s)", "Pool.map (s)", "speedup",
                         "serial's share of a core"],
              [[i + 1, r["serial_s"], r["parallel_s"], r["speedup"],
                f"{r['serial_core_share']:.0%}"] for i, r in enumerate(rounds)])


def run(lab, p: Mapping[str, Any]) -> dict[str, Any]:
    """Time the serial loop, then the same tasks with Pool.map, round after round; compare."""
    rounds: list[dict[str, Any]] = []
    for number in range(1, p["rounds"] + 1):
        rounds.append(one_round(lab, p, number))
        show_rounds(lab, rounds)  # a table, not a plot: a plot appearing mid-run re-lays the
        # window out, and with the serial loop on the window's GIL that held it up to 100 ms
    chosen = median_round(rounds)
    speedup, spread = chosen["speedup"], [min(r["speedup"] for r in rounds),
                                          max(r["speedup"] for r in rounds)]
    words = [speedup_caveat(speedup, p["pool_size"], CORES, chosen["serial_core_share"],
                            chosen.pop("sharing")),
             spread_caveat([(r["speedup"], r["serial_core_share"]) for r in rounds],
                           p["pool_size"], CORES)]
    caveat = " ".join(w for w in words if w) or None
    lab.print(f"Speedup: {speedup:.2f}× on {CORES} cores"
              + (f" (the median of {len(rounds)} rounds, {spread[0]:.2f}× to {spread[1]:.2f}×)"
                 if len(rounds) > 1 else "") + (f". {caveat}" if caveat else ""))
    table = sweep(lab, p["sweep_tasks"], p["chunksize"] or None) if p["sweep"] else []
    return {
        **chosen,
        "caveat": caveat,
        "rounds": len(rounds),
        "speedup_spread": spread,
        "round_speedups": [r["speedup"] for r in rounds],
        "pool_size": p["pool_size"],
        "cpu_count": CORES,
        "same_results": all(r["same_results"] for r in rounds),
        "worker_pids": [pid for r in rounds for pid in r["worker_pids"]],  # every round's pool
        "sweep": table,
    }


def headline(values: dict[str, Any]) -> Headline:
    """How much faster the pool was, with how many workers on how many cores."""
    speedup = values["speedup"]
    how = "faster" if speedup >= 1 else "— slower than the serial loop"
    # A speedup the card must explain is no success to show in green (a round beside it may be).
    fair = is_fair(speedup, values["pool_size"], values["cpu_count"],
                   values.get("serial_core_share", 1.0))
    verdict = "good" if speedup > 1.2 and fair else "neutral"
    text = (f"{speedup:.2f}× {how} with {plural(values['pool_size'], 'worker')} on "
            f"{plural(values['cpu_count'], 'core')}")
    low, high = values.get("speedup_spread") or (speedup, speedup)
    if values.get("rounds", 1) > 1:  # the median round's; the others' span beside it
        text += f" (median of {values['rounds']} rounds, {low:.2f}–{high:.2f}×)"
    if "deck_speedup" in values:  # map alone above; the deck's clock also counts Pool() and join()
        text += f" · {values['deck_speedup']:.2f}× from Pool() to join(), as the deck times it"
    return Headline(text, verdict)


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
        int_param("tasks", 20_000, 100, 1_000_000, "How many times f runs in each round.",
                  label="Tasks"),
        int_param("rounds", 3, 1, 15, "How many times the deck's program runs (serial loop, "
                  "then a pool); the result is the round with the median speedup, so one round "
                  "slowed by a busy machine does not decide it.", label="Rounds"),
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
    code=(f, serial, one_round, run, sweep),
    result_keys=("serial_s", "parallel_s", "speedup", "speedup_spread", "deck_pool_s",
                 "serial_core_share", "parallel_core_share", "caveat", "rounds", "pool_size",
                 "cpu_count", "sweep"),
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
