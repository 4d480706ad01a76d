"""Lesson: the deck's f over range(N) on a Dask cluster, beside the serial loop and Pool.map."""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from typing import Any

from scenarios.engine.cluster import Options
from scenarios.engine.cluster_process import ClusterProcess
from scenarios.engine.cpu_watch import CpuWatch
from scenarios.lessons import pool_speedup
from scenarios.lessons.pool_speedup import f, serial, workers_cpu_s
from scenarios.model.fairness import core_share, speedup_bound, speedup_caveat
from scenarios.model.lesson import Headline, Lesson, LessonText, SpeedupPoint
from scenarios.model.params import (
    ADDRESS_PATTERN,
    ADDRESS_SHAPE,
    choice_param,
    int_param,
    text_param,
)
from scenarios.model.tries import Try, other_than, ran
from scenarios.model.words import plural

CORES = os.cpu_count() or 1
WORKER_KINDS = ("processes", "threads")


def f_over(numbers: range) -> int:
    """One Dask task: the deck's f over a run of numbers (as many as the task size says), summed.

    A task sends back its sum, not its list of values: Dask serialises a list item by item,
    which cost 20 ms per list of 1,000 here, a cost of Dask's data handling, not of its tasks.
    """
    return sum(f(x) for x in numbers)


def chunks(items: int, size: int) -> list[range]:
    """range(items) cut into runs of `size` numbers: the tasks of one map."""
    return [range(first, min(first + size, items)) for first in range(0, items, size)]


def overhead_ms(wall_s: float, slots: int, work_s: float, tasks: int) -> float:
    """Per task, the time the parallel slots spent not on the work: (wall × slots − work) / tasks.

    `work_s` is the slots' time in the tasks themselves: the pool workers' CPU time (the OS's
    count), or the compute time of Dask's task stream. Never below zero: those counts come in
    clock ticks, and a slot never spends negative time.
    """
    return round(max(0.0, wall_s * slots - work_s) / max(tasks, 1) * 1000, 4)


def describe(lab, info: dict[str, Any]) -> int:
    """Say which cluster this is and where its dashboard is; the worker threads it has."""
    where = ("a LocalCluster on this machine" if info["local"]
             else f"the scheduler at {info['address']}")
    workers = ", ".join(f"{name} (pid {pid}, {threads} thread{'s' * (threads != 1)})"
                        for name, pid, threads in info["workers"])
    lab.print(f"Dask: {where}, {info['threads']} worker threads: {workers}")
    if info["dashboard"]:
        lab.print(f"Dask's dashboard (while this run lasts): {info['dashboard']}")
    elif info["local"]:
        lab.print("Dask's own dashboard needs bokeh, an optional dependency: "
                  "pip install 'bokeh>=3.1' beside the lab to see it.")
    else:
        lab.print("The scheduler serves no dashboard: it needs bokeh (pip install 'bokeh>=3.1') "
                  "where the scheduler runs.")
    return int(info["threads"])


def one_round(lab, pool, cluster: ClusterProcess, p: Mapping[str, Any], number: int,
              serial_s: float, expected: list[int], slots: int) -> dict[str, Any]:
    """Pool.map and the cluster's map on the same numbers, in tasks of the current size."""
    size, items = lab.param("task_size"), p["items"]
    parts = chunks(items, size)  # Pool.map sends the same chunks: chunksize=size
    lab.mark(f"round {number}: tasks of {size:,}")
    pids = pool.pids()
    t, cpu = time.perf_counter(), workers_cpu_s(pids)
    pooled = pool.map(f, range(items), size)
    pool_s = time.perf_counter() - t
    pool_work_s = workers_cpu_s(pids) - cpu
    mapped = cluster.map(f_over, parts)
    cluster_s = mapped["wall_s"]
    got = sum(mapped["results"])
    row = {
        "task_size": size, "tasks": mapped["tasks"],
        "pool_s": round(pool_s, 4), "cluster_s": round(cluster_s, 4),
        "pool_speedup": round(serial_s / pool_s, 3),
        "cluster_speedup": round(serial_s / cluster_s, 3),
        "pool_overhead_ms": overhead_ms(pool_s, CORES, pool_work_s, len(parts)),
        "cluster_overhead_ms": overhead_ms(cluster_s, slots, mapped["computed_s"],
                                           mapped["tasks"]),
        # the share of the slots' time spent in the tasks (the rest: waiting for the next one)
        "pool_busy": min(1.0, core_share(pool_work_s, pool_s, CORES)),
        "cluster_busy": min(1.0, core_share(mapped["computed_s"], cluster_s, slots)),
        "scheduler_ms_per_task": round(mapped["scheduler_cpu_s"] / max(mapped["tasks"], 1)
                                       * 1000, 4),
        "computed_s": round(mapped["computed_s"], 4),
        "workers_used": mapped["workers_used"], "tasks_rerun": mapped["tasks_rerun"],
        "workers_left": mapped["workers_left"],
        "same_results": pooled == expected and got == sum(expected),
    }
    lab.print(f"Round {number}, tasks of {size:,}: Pool.map {pool_s:.3f} s "
              f"({row['pool_speedup']:.2f}×), Dask {cluster_s:.3f} s "
              f"({row['cluster_speedup']:.2f}×) for {plural(mapped['tasks'], 'task')}; "
              f"Dask's worker threads were in a task {row['cluster_busy']:.0%} of the time "
              f"(Pool's workers {row['pool_busy']:.0%}); the scheduler spent "
              f"{row['scheduler_ms_per_task']:.2f} ms of CPU per task")
    return row


def show_rounds(lab, rows: list[dict[str, Any]]) -> None:
    """Each round's times, speedups and overheads in the lesson's live table."""
    lab.table("rounds", ["task size", "tasks", "Pool.map (s)", "Dask (s)", "Dask speedup",
                         "Dask workers in a task", "Dask overhead per task (ms)",
                         "scheduler CPU per task (ms)"],
              [[r["task_size"], r["tasks"], r["pool_s"], r["cluster_s"], r["cluster_speedup"],
                f"{r['cluster_busy']:.0%}", r["cluster_overhead_ms"], r["scheduler_ms_per_task"]]
               for r in rows])


def rounds_caveat(rows: list[dict[str, Any]], serial: tuple[float, Any], slots: int,
                  local: bool, gil: bool) -> str | None:
    """Words on the speedup of any round, Pool.map's or Dask's, furthest above what is allowed.

    serial: the serial loop's share of a core and what else ran meanwhile. A remote cluster's
    cores are its own: its worker threads bound it.
    """
    share, sharing = serial
    checks = [(r["pool_speedup"], CORES, CORES, False) for r in rows]
    checks += [(r["cluster_speedup"], slots, CORES if local else slots, gil) for r in rows]
    checks.sort(key=lambda c: c[0] / speedup_bound(1 if c[3] else c[1], c[2]), reverse=True)
    said = (speedup_caveat(speedup, workers, cores, share, sharing, gil=under_gil)
            for speedup, workers, cores, under_gil in checks)
    return next((words for words in said if words), None)


def run(lab, p: Mapping[str, Any]) -> dict[str, Any]:
    """Serial loop, then round after round Pool.map and the cluster's map of the same tasks."""
    lab.print(f"Serial: f over range({p['items']:,}) on one core")
    t, watch = time.perf_counter(), CpuWatch()
    expected = serial(lab, p["items"])
    serial_s = time.perf_counter() - t
    share, sharing = watch.read()
    lab.print(f"Serial loop: {serial_s:.3f} s ({share:.0%} of a core)")
    options = Options(p["scheduler"], p["workers"], p["threads"],
                      p["worker_kind"] == "processes", ship=(__name__, pool_speedup.__name__))
    rows: list[dict[str, Any]] = []
    with lab.pool(CORES) as pool, ClusterProcess(lab, options) as cluster:
        t = time.perf_counter()
        info = cluster.start()
        start_s = time.perf_counter() - t
        slots = describe(lab, info)
        for number in range(1, p["rounds"] + 1):
            rows.append(one_round(lab, pool, cluster, p, number, serial_s, expected, slots))
            show_rounds(lab, rows)
    last = rows[-1]
    caveat = rounds_caveat(rows, (share, sharing), slots, info["local"],
                           info["local"] and p["worker_kind"] == "threads")
    if caveat:
        lab.print(caveat)
    return {
        **last,
        "serial_s": round(serial_s, 4), "serial_core_share": share,
        "cluster": "LocalCluster" if info["local"] else info["address"],
        "worker_threads": slots, "pool_size": CORES, "cpu_count": CORES,
        "cluster_start_s": round(start_s, 3), "dashboard": info["dashboard"],
        "workers": [name for name, _, _ in info["workers"]],
        "caveat": caveat, "rounds": rows,
        "same_results": all(r["same_results"] for r in rows),
    }


def headline(values: dict[str, Any]) -> Headline:
    """The cluster's speedup beside Pool.map's, and what each task cost the cluster."""
    text = (f"Dask {values['cluster_speedup']:.2f}× · Pool.map {values['pool_speedup']:.2f}× "
            f"the serial loop, tasks of {values['task_size']:,} · "
            f"{values['cluster_overhead_ms']:.2f} ms overhead per Dask task")
    good = values["cluster_speedup"] > 1.2 and not values.get("caveat")
    return Headline(text, "good" if good else "neutral")


def speedups(values: dict[str, Any]) -> list[SpeedupPoint]:
    """Pool.map's and the cluster's speedup over the serial loop, by their parallel slots."""
    try:
        return [SpeedupPoint("Pool.map", int(values["pool_size"]), float(values["pool_speedup"])),
                SpeedupPoint("Dask cluster", int(values["worker_threads"]),
                             float(values["cluster_speedup"]))]
    except (KeyError, TypeError, ValueError):
        return []


LESSON = Lesson(
    id="cluster_map",
    title="The same map on a Dask cluster",
    summary="The deck's f over range(N) as Dask tasks on a cluster of workers, beside Pool.map.",
    section="Beyond one machine",
    text=LessonText(
        watch="First the main row runs f over every number alone. Then, each round, the pool's "
        "rows run it as Pool.map, and the Dask worker rows run the same numbers as tasks, drawn "
        "from Dask's own task stream: hover a bar for its task key. The Dask client row waits "
        "while the scheduler hands tasks out.",
        try_="Make the tasks tiny ('Items per task' 10, mid-run: the next round uses it): the "
        "scheduler's time per task swamps the work and the cluster falls behind Pool.map. Make "
        "them large again and it catches up. Run workers as threads: they share one GIL. Start "
        "a Dask scheduler and workers on other machines (dask scheduler, dask worker) and type "
        "the scheduler's address.",
        why="A cluster sends every task through a scheduler over the network: about a "
        "millisecond each, however small the task. Pool.map sends chunks through a pipe on one "
        "machine. Dask pays off when each task is long against that overhead and there are more "
        "cores across machines than on one. The scheduler's CPU per task falls as tasks get "
        "more numerous: part of it is work it does every so often while any task runs.",
    ),
    params=(
        text_param("scheduler", "", "A Dask scheduler's address (an instructor's 'dask "
                   "scheduler', with 'dask worker ADDRESS' on the lab's machines). Empty: the "
                   "lesson starts a LocalCluster on this machine.", pattern=ADDRESS_PATTERN,
                   shape=ADDRESS_SHAPE, label="Scheduler address",
                   extra={"placeholder": "local cluster"}),
        int_param("workers", CORES, 1, 4 * CORES, "Workers of the LocalCluster (not used with "
                  "a scheduler address).", label="Local workers"),
        int_param("threads", 1, 1, 8, "Threads in each local worker.",
                  label="Threads per worker"),
        choice_param("worker_kind", "processes", WORKER_KINDS, "Local workers as processes "
                     "(each its own GIL) or as threads of the Dask client's process (one GIL).",
                     label="Workers as"),
        int_param("items", 20_000, 100, 1_000_000, "How many numbers f runs over: range(N).",
                  label="Numbers (N)"),
        int_param("task_size", 1_000, 1, 100_000, "How many numbers one task (a Pool.map chunk, "
                  "a Dask task) takes: tiny tasks make the cost of sending each one dominate."
                  " A change mid-run applies from the next round.", label="Items per task",
                  live=True),
        int_param("rounds", 3, 1, 20, "How many times Pool.map and the cluster's map run, "
                  "each at the items per task of that moment.", label="Rounds"),
    ),
    run=run,
    code=(f, f_over, one_round, run),
    result_keys=("serial_s", "pool_s", "cluster_s", "pool_speedup", "cluster_speedup",
                 "task_size", "tasks", "cluster_overhead_ms", "pool_overhead_ms", "cluster_busy",
                 "scheduler_ms_per_task", "cluster", "worker_threads", "cluster_start_s",
                 "workers_used", "tasks_rerun", "dashboard", "caveat"),
    headline=headline,
    speedups=speedups,
    needs=("distributed",),
    tries=(
        Try("Set items per task to 10: the scheduler's cost per task swamps the work.",
            ran(task_size=10)),
        Try("Run the workers as threads: they share one GIL.", ran(worker_kind="threads")),
        Try("Type the address of a Dask scheduler with workers on other machines.",
            ran(scheduler=other_than(""))),
    ),
)
