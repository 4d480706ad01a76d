"""Lesson: start two threads with `threading.Thread`, and see what `join` is for."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from scenarios.engine.events import now_ns
from scenarios.engine.spawning import joined_within
from scenarios.model.lesson import Headline, Lesson, LessonText
from scenarios.model.params import bool_param, float_param, int_param
from scenarios.model.tries import Try, compare, ran, where


def print_epoch(lab, name_of_thread, delay_name, count):
    """The deck's print_epoch: sleep, count, print the time, `count` times."""
    for _ in range(count):
        lab.sleep(lab.param(delay_name))  # time.sleep(delay), re-read each round: delays are live
        lab.print(name_of_thread, "-----", time.time())


def run(lab, p: Mapping[str, Any]) -> dict[str, Any]:
    """Start two threads, join them (or not), print Done."""
    t1 = lab.Thread(target=print_epoch, args=(lab, "Thread 1", "delay_1", p["count"]),
                    name="Thread 1")
    t2 = lab.Thread(target=print_epoch, args=(lab, "Thread 2", "delay_2", p["count"]),
                    name="Thread 2")
    t1.start()
    t2.start()
    if lab.param("join"):
        t1.join()
        t2.join()
    lab.print("Done")
    done_ns = now_ns()
    # Like the interpreter at exit, wait for the threads before the run ends (drawn as blocked).
    lab.wait_until(lambda t: _both_ended(t1, t2, t), "blocked", "exit: waiting for threads")
    return _outcome(lab.t0, done_ns, (t1, t2))


def _both_ended(t1, t2, timeout: float) -> bool:
    joined_within(t1, timeout / 2)
    return joined_within(t2, timeout / 2) and not t1.is_alive()


def _outcome(t0: int, done_ns: int, threads) -> dict[str, Any]:
    finished = {t.name: round((t.finished_ns - t0) / 1e9, 3) for t in threads}
    return {
        "done_after_threads": all(done_ns >= t.finished_ns for t in threads),
        "done_s": round((done_ns - t0) / 1e9, 3),
        "finished_s": finished,
    }


def headline(values: dict[str, Any]) -> Headline:
    """Did Done wait for the threads?"""
    if values["done_after_threads"]:
        return Headline("Done printed after both threads finished", "good")
    return Headline("Done printed before the threads finished", "bad")


LESSON = Lesson(
    id="thread_basics",
    title="Start and join threads",
    summary="Two threads print timestamps; join decides whether Done waits for them.",
    section="Threads",
    text=LessonText(
        watch="Two rows, Thread 1 and Thread 2, sleep and print side by side: they run at the "
        "same time. With join on, the main row is blocked until both finish, then prints Done.",
        try_="Switch join off and run again: Done is printed at once, before the threads have "
        "printed a single line. Change a delay while it runs: the next sleep uses it.",
        why="start() launches a thread and returns at once; join() makes the caller wait for that "
        "thread to end. Without join, main carries on and says Done while the work still runs.",
    ),
    params=(
        float_param("delay_1", 0.5, 0.0, 5.0, "How long Thread 1 sleeps between prints.",
                    unit="s", live=True, step=0.1, label="Delay of thread 1"),
        float_param("delay_2", 1.0, 0.0, 5.0, "How long Thread 2 sleeps between prints.",
                    unit="s", live=True, step=0.1, label="Delay of thread 2"),
        int_param("count", 5, 1, 50, "How many timestamps each thread prints.",
                  label="Prints per thread"),
        bool_param("join", True, "Call t1.join() and t2.join() before printing Done.",
                   live=True, label="join() the threads"),
    ),
    run=run,
    code=(print_epoch, run),
    result_keys=("done_after_threads", "done_s", "finished_s"),
    headline=headline,
    tries=(
        Try("Run it with join on: Done waits until both threads have finished.",
            ran(join=True, result=where(done_after_threads=True))),
        Try("Switch join off: Done is printed before the threads have finished.",
            ran(join=False, result=where(done_after_threads=False))),
        Try("Give Thread 1 the longer delay (even mid-run): now Thread 1 ends last.",
            ran(given=compare("delay_1", ">", "delay_2"))),
    ),
)
