"""Lesson: the deck's `Pool(processes=3).map(f, [1, 2, 3, 4, 5])`, and which worker did what."""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import partial
from typing import Any

from scenarios.engine import probe
from scenarios.model.lesson import Headline, Lesson, LessonText
from scenarios.model.params import float_param, int_param
from scenarios.model.tries import Try, compare, more_than, ran, where
from scenarios.model.words import plural


def f(n, delay):
    """The deck's f: n * n, after a pause so the workers' turns show; it also says who ran it."""
    lab = probe.current()  # this worker's lab: lab.sleep is time.sleep that Stop can wake
    lab.sleep(delay, label=f"f({n})")
    lab.print(f"f({n}) = {n * n} in worker {os.getpid()}")
    return n * n, os.getpid()


def run(lab, p: Mapping[str, Any]) -> dict[str, Any]:
    """Map f over the numbers with a pool, then show each result and the worker that made it."""
    numbers = list(range(1, 1 + p["numbers"]))       # the deck's [1, 2, 3, 4, 5]
    with lab.pool(p["processes"]) as pool:           # Pool(processes=3), workers started
        pairs = pool.map(partial(f, delay=p["delay"]), numbers, p["chunksize"] or None)
        pool_pids = pool.pids()
    results = [square for square, _ in pairs]
    worker_pids = [pid for _, pid in pairs]
    for n in results:                                # the deck's: for n in result: print(n)
        lab.print(n)
    lab.table("who computed what", ["n", "f(n)", "worker pid"],
              [[n, square, pid] for n, (square, pid) in zip(numbers, pairs, strict=True)])
    used = len(set(worker_pids))
    lab.print(f"{plural(len(numbers), 'item')} on {used} of {plural(p['processes'], 'worker')} "
              f"(parent pid {os.getpid()})")
    return {
        "results": results,
        "worker_pids": worker_pids,
        "pool_pids": pool_pids,
        "workers_used": used,
        "parent_pid": os.getpid(),
    }


def headline(values: dict[str, Any]) -> Headline:
    """How many worker processes shared the items."""
    workers = len(set(values["worker_pids"]))
    return Headline(f"{plural(len(values['results']), 'item')} computed by "
                    f"{plural(workers, 'worker process', 'worker processes')}")


LESSON = Lesson(
    id="pool_basics",
    title="Pool.map: who computed what",
    summary="Pool(processes=3).map(f, [1..5]) hands the items out to three worker processes.",
    section="Pools and executors",
    text=LessonText(
        watch="Three worker rows appear, each with its own process id. Pool.map hands them the "
        "numbers: each bar f(n) is one item computed on that worker. The results come back in "
        "the order of the input, and the table says which worker computed each one.",
        try_="Set processes to 1: one row does all the work, one item after another. Raise it "
        "to the number of items: all run at once. Set 'Chunk size' to the number of items: one "
        "worker gets them all as one chunk while the others wait idle.",
        why="A Pool starts its worker processes once and reuses them. map cuts the input into "
        "chunks, sends each chunk to a free worker (pickled, over a pipe), and puts the answers "
        "back in input order. Which worker gets which item depends on who is free first, so it "
        "can change from run to run; the results never do.",
    ),
    params=(
        int_param("processes", 3, 1, 8, "Worker processes in the pool.", label="Processes"),
        int_param("numbers", 5, 1, 30, "How many numbers to square: 1, 2, ... n.",
                  label="Numbers"),
        float_param("delay", 0.5, 0.0, 3.0, "How long f takes for each number, so the spread "
                    "over workers shows.", unit="s", step=0.1, label="Time per item"),
        int_param("chunksize", 0, 0, 30, "Items sent to a worker at a time; 0 lets Pool choose "
                  "(1 for a list this short).", label="Chunk size"),
    ),
    run=run,
    code=(f, run),
    result_keys=("results", "worker_pids"),
    headline=headline,
    tries=(
        Try("Set processes to 1: one worker does all the work, one item after another.",
            ran(processes=1, result=where(workers_used=1))),
        Try("Raise processes to the number of items: they all run at once.",
            ran(given=compare("processes", ">=", "numbers"))),
        Try("Set 'Chunk size' to the number of items: one worker gets them all, the others idle.",
            ran(processes=more_than(1), given=compare("chunksize", ">=", "numbers"),
                result=where(workers_used=1))),
    ),
)
