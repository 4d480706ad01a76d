"""Lesson: one task set on a ThreadPoolExecutor and on a ProcessPoolExecutor, with as_completed."""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
import threading
import time
from collections.abc import Mapping
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any

from scenarios.engine import probe
from scenarios.engine.pools import init_worker
from scenarios.model.lesson import Headline, Lesson, LessonText
from scenarios.model.params import NEXT_ROUND, choice_param, float_param, int_param
from scenarios.model.tries import Try, more_than, ran
from scenarios.model.words import plural

CORES = os.cpu_count() or 1

KINDS = ("cpu", "io")
# Task i is this many ninths of the longest task (repeating): a mix of long and short tasks, so
# tasks finish in another order than they were submitted.
SHAPE = (3, 1, 4, 1, 5, 9, 2, 6, 5, 3)
# A CPU task looks at the stop token once per this many loop steps (a few milliseconds of work).
CHUNK = 100_000
# The loop speed is measured on a few bursts of this many steps (about 10 ms each): short, and
# enough of them that one lands between other programs' time slices.
CALIBRATE_STEPS = 200_000
CALIBRATE_BURSTS = 5
# A process worker that has not ended this long after Stop (it finishes its chunk) is terminated.
WORKER_GRACE_S = 0.5


def task(i, kind, seconds, steps):
    """One task: count `steps` (cpu) or wait `seconds` (io, like a download). Drawn as a bar."""
    lab = probe.current()  # the lab of this process: a worker process has its own
    if kind == "io":
        lab.sleep(seconds, label=f"task {i}", kind="io")
        return i
    with lab.span("run", f"task {i}"):
        total = 0
        for first in range(0, steps, CHUNK):
            for k in range(first, min(first + CHUNK, steps)):
                total += k * k
            lab.check()  # Stop ends the task here
    return i


def completed(lab, futures):
    """`as_completed(futures)`, except that Stop ends the wait: yields futures as they finish."""
    pending = set(futures)

    def some_done(timeout):
        done, _ = concurrent.futures.wait(pending, timeout, FIRST_COMPLETED)
        return bool(done)

    while pending:
        lab.wait_until(some_done, "blocked", "as_completed")
        for future in [f for f in pending if f.done()]:
            pending.discard(future)
            yield future


def run_tasks(lab, executor, name, jobs):
    """Submit every task, then take results in the order they finish (as_completed)."""
    start = time.perf_counter()
    futures = [executor.submit(task, i, *job) for i, job in enumerate(jobs)]
    order = []
    for future in completed(lab, futures):
        i = future.result()
        order.append(i)
        lab.print(f"{name}: task {i} done")
    took = time.perf_counter() - start
    lab.print(f"{name}: all {plural(len(jobs), 'task')} in {took:.2f} s, finished in order {order}")
    return took, order


def name_thread(counter):
    """ThreadPoolExecutor initializer: give the worker thread a readable row name."""
    with counter["lock"]:
        counter["n"] += 1
        threading.current_thread().name = f"thread worker {counter['n']}"


def start_process_worker(child, ready, counter):
    """ProcessPoolExecutor initializer: name the worker, then report to the run (as a Pool's do)."""
    with counter.get_lock():
        counter.value += 1
        multiprocessing.current_process().name = f"process worker {counter.value}"
    init_worker(child, ready)


def start_processes(lab, workers):
    """A ProcessPoolExecutor (spawn) whose workers report spans, started before the clock runs."""
    ready, counter = lab.mp.Semaphore(0), lab.mp.Value("i", 0)
    executor = ProcessPoolExecutor(workers, mp_context=lab.mp, initializer=start_process_worker,
                                   initargs=(lab.open_child(), ready, counter))
    for _ in range(workers):  # one submit per worker spawns them all now
        executor.submit(int)
    up = []
    try:
        lab.wait_until(lambda t: ready.acquire(timeout=t) and (up.append(1) or len(up) == workers),
                       "blocked", "starting workers")
    except BaseException:
        end_processes(executor)
        raise
    return executor


def end_processes(executor) -> None:
    """Stop: drop the queued tasks, give running ones a moment to see Stop, end any left."""
    processes = list((executor._processes or {}).values())  # no public API lists them
    executor.shutdown(wait=False, cancel_futures=True)
    deadline = time.monotonic() + WORKER_GRACE_S
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
    for process in processes:
        if process.is_alive():
            process.terminate()
        process.join(1.0)


def calibrate(lab) -> float:
    """Loop steps per second on this machine (so a cpu task of s seconds is about s seconds).

    The fastest of a few short bursts: a burst that another program interrupted runs slow.
    """
    best = 0.0
    for _ in range(CALIBRATE_BURSTS):
        total, start = 0, time.perf_counter()
        for k in range(CALIBRATE_STEPS):  # the loop body of a cpu task
            total += k * k
        best = max(best, CALIBRATE_STEPS / (time.perf_counter() - start))
    return best


def run(lab, p: Mapping[str, Any]) -> dict[str, Any]:
    """The same tasks on a thread pool, then on a process pool; compare times and finish order."""
    kind, longest = p["kind"], p["longest_s"]
    rate = calibrate(lab)
    lab.print(f"one core counts about {rate / 1e6:.0f} million steps a second")
    jobs = [(kind, longest * SHAPE[i % len(SHAPE)] / 9,
             int(rate * longest * SHAPE[i % len(SHAPE)] / 9)) for i in range(p["tasks"])]
    with ThreadPoolExecutor(p["workers"], initializer=name_thread,
                            initargs=({"lock": threading.Lock(), "n": 0},)) as threads:
        try:
            thread_s, thread_order = run_tasks(lab, threads, "threads", jobs)
        except probe.StopRun:
            threads.shutdown(wait=True, cancel_futures=True)  # running tasks see Stop at once
            raise
    started = time.perf_counter()
    processes = start_processes(lab, p["workers"])
    start_s = time.perf_counter() - started
    try:
        process_s, process_order = run_tasks(lab, processes, "processes", jobs)
    except BaseException:
        end_processes(processes)
        raise
    processes.shutdown(wait=True)
    return {
        "thread_s": round(thread_s, 3),
        "process_s": round(process_s, 3),
        "completion_order": {"threads": thread_order, "processes": process_order},
        "submission_order": list(range(p["tasks"])),
        "process_start_s": round(start_s, 3),
        "kind": kind,
        "workers": p["workers"],
    }


def headline(values: dict[str, Any]) -> Headline:
    """Thread pool against process pool on the same tasks."""
    return Headline(f"thread pool {values['thread_s']:.2f} s · process pool "
                    f"{values['process_s']:.2f} s")


LESSON = Lesson(
    id="executors",
    title="ThreadPoolExecutor and ProcessPoolExecutor",
    summary="The same tasks on a pool of threads and a pool of processes, taken as they finish.",
    section="Pools and executors",
    text=LessonText(
        watch="Each task is a bar labelled with its number on a worker row. as_completed hands "
        "results back as they finish, so the console lists them out of submission order: short "
        "tasks first. With cpu tasks the thread workers share one core and take about as long "
        "as doing everything serially; the process workers finish in about 1/cores of that.",
        try_="Switch kind to io (waiting, like downloads): now threads are as fast as processes, "
        "and cheaper to start. Set workers to 1 and the finish order becomes the submission "
        "order. More workers than cores helps io tasks, not cpu tasks.",
        why="Both executors share one interface: submit() returns a Future, as_completed() "
        "yields futures as they finish, shutdown() waits for the workers. A thread pool runs "
        "tasks in this process, so CPU-bound Python code takes turns on the GIL; a process pool "
        "sends each task (pickled) to another interpreter, so it really runs in parallel but "
        "costs a process start and the pickling.",
    ),
    params=(
        choice_param("kind", "cpu", KINDS, "What a task does: count in a Python loop (cpu) or "
                     "wait like a download (io).", label="Task kind"),
        int_param("tasks", 6, 1, 40, "How many tasks are submitted.", label="Tasks"),
        int_param("workers", 2, 1, 16, "max_workers of both executors.", label="Workers"),
        float_param("longest_s", 0.5, 0.05, 5.0, "How long the longest task takes alone; the "
                    "others take from 1/9 to all of this." + NEXT_ROUND, unit="s", step=0.05,
                    live=True, label="Longest task"),
    ),
    run=run,
    code=(task, run_tasks, completed, start_processes, run),
    result_keys=("thread_s", "process_s", "completion_order"),
    headline=headline,
    tries=(
        Try("Run the cpu tasks and compare the two pools' times.", ran(kind="cpu")),
        Try("Switch kind to io: now threads are as fast as processes.", ran(kind="io")),
        Try("Set workers to 1: the tasks finish in the order they were submitted.",
            ran(workers=1)),
        Try(f"Give io tasks more workers than cores (above {CORES}): they finish sooner.",
            ran(kind="io", workers=more_than(CORES))),
    ),
)
