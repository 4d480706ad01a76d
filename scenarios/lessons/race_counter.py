"""Lesson: two threads add to one counter; without a lock, updates are lost."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Mapping
from typing import Any

from scenarios.engine.probe import StopRun
from scenarios.model.lesson import Lesson, LessonText, RaceKeys, race_outcome
from scenarios.model.params import bool_param, choice_param, float_param, int_param
from scenarios.model.tries import Try, raced, ran, stepped, where

# One bar per this many increments keeps the timeline readable and the event stream small.
BATCH = 100
STEPS = ("read, pause, write", "x += 1")
# How long, after Stop, the threads get to reach their next check so their counts are final.
STOP_WAIT_S = 1.0


class Shared:
    """The deck's global `x`, held in an object so each run starts from zero."""

    def __init__(self, threads: int) -> None:
        self.x = 0
        self.done = [0] * threads  # additions each thread has made (for the live plot)


def add_one(lab, shared: Shared) -> None:
    """`x += 1` done as its three steps, with a pause where another thread can get in."""
    if lab.param("step") == "x += 1":
        lab.point("x += 1", x=lambda: shared.x)  # step mode: where this thread waits its turn
        shared.x += 1
        return
    lab.point("read x", x=lambda: shared.x)  # what it will read: x as it is when it goes on
    value = shared.x                                # read
    time.sleep(lab.param("race_window") / 1000)     # pause: 0 ms still lets another thread run
    lab.point("write x", x=value + 1)
    shared.x = value + 1                            # write


def increment(lab, shared: Shared, lock, n: int, me: int) -> None:
    """Add one to the counter n times, holding the lock around each add when use_lock is on."""
    for done in range(0, n, BATCH):
        with lab.span("run", f"x += 1 ×{min(BATCH, n - done)}"):
            for _ in range(min(BATCH, n - done)):
                if lab.param("use_lock"):          # live: flip it mid-run
                    with lock:
                        add_one(lab, shared)
                else:
                    add_one(lab, shared)
                shared.done[me] += 1  # counted one by one: Stop may come mid-batch
        lab.metric("x", shared.x)  # the two lines drift apart by the lost updates
        lab.metric("additions made", sum(shared.done))
        lab.check()  # Stop ends the run here


def counted_at_stop(threads: list, shared: Shared, expected: int) -> dict[str, int]:
    """Stopped mid-run: the additions made, the updates lost among them, and those never made.

    lost + never made + x = expected: an addition not made is not an update lost.
    """
    for thread in threads:  # each stops at its next check; its last additions count
        threading.Thread.join(thread, STOP_WAIT_S)
    made = sum(shared.done)
    return {"expected": expected, "additions_made": made, "actual": shared.x,
            "lost_updates": made - shared.x, "never_made": expected - made}


def run(lab, p: Mapping[str, Any]) -> dict[str, Any]:
    """Start the threads on one shared counter, join them, compare expected with actual."""
    shared = Shared(p["threads"])
    lab.shared(x=lambda: shared.x)  # step mode shows it at every step
    lock = lab.Lock("x lock")
    threads = [
        lab.Thread(target=increment, args=(lab, shared, lock, p["increments"], i),
                   name=f"Thread {i + 1}")
        for i in range(p["threads"])
    ]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    except StopRun as stop:
        stop.values = counted_at_stop(threads, shared, p["threads"] * p["increments"])
        raise
    expected = p["threads"] * p["increments"]
    if lab.stopped:  # the threads ended at Stop before the joins saw it
        return counted_at_stop(threads, shared, expected)
    lab.print(f"expected {expected}, got {shared.x}")
    return {
        "expected": expected,
        "actual": shared.x,
        "lost_updates": expected - shared.x,
        "use_lock": lab.param("use_lock"),
        "switch_interval_ms": sys.getswitchinterval() * 1000,
    }


LESSON = Lesson(
    id="race_counter",
    title="Race on a shared counter",
    summary="Threads add to one global x; without a lock some additions are lost.",
    section="Synchronisation",
    text=LessonText(
        watch="Each thread adds 1 to x many times. The measures plot shows x beside the number "
        "of additions made: without a lock the two lines drift apart, and the gap is the "
        "updates lost. The result card compares what x should be with what it is.",
        try_="Run it with 'Use a lock' off, then on: the count goes from short to exact. Set "
        "'Add as' to plain 'x += 1': on CPython 3.10+ it almost never loses updates, yet it is "
        "not safe. Flip the lock mid-run and watch the thread rows start waiting for it. Then "
        "be the scheduler: turn on Step (Ctrl+T) with two threads of one increment each and press "
        "1, 2, 1, 2: both read 0, both write 1, and an update is lost.",
        why="x += 1 is three steps: read x, add, write x. If another thread writes between your "
        "read and your write, your write wipes its update out. A lock makes the three steps one. "
        "Modern CPython only switches threads at certain points, so the pause makes the gap "
        "that real programs hit by bad luck, under load, or on other interpreters.",
    ),
    params=(
        int_param("threads", 2, 2, 8, "How many threads add to the counter.", label="Threads"),
        int_param("increments", 10_000, 1, 1_000_000, "How many times each thread adds 1.",
                  label="Increments per thread"),
        bool_param("use_lock", False, "Hold a threading.Lock around each read-add-write.",
                   live=True, label="Use a lock"),
        choice_param("step", STEPS[0], STEPS, "How the add is written: as read, pause, write "
                     "(the race made visible) or as the plain statement x += 1.", live=True,
                     label="Add as"),
        float_param("race_window", 0.0, 0.0, 5.0, "The pause between reading and writing x; "
                    "0 is time.sleep(0), a point where another thread may run.", unit="ms",
                    live=True, step=0.1, label="Race window"),
    ),
    run=run,
    code=(add_one, increment, run),
    result_keys=("expected", "actual", "lost_updates"),
    outcome=race_outcome("x", "actual", "lost_updates"),
    race=RaceKeys("expected", "actual", "lost_updates"),
    tries=(
        Try("Run the race with the lock off: updates are lost.", raced(use_lock=False)),
        Try("Run it with the lock on: nothing is lost.", raced(use_lock=True)),
        Try("Set 'Add as' to plain 'x += 1', lock off: hardly anything lost, yet it is not safe.",
            ran(use_lock=False, step="x += 1")),
        Try("In step mode, make x end at 1 with two threads of one increment each.",
            ran(threads=2, increments=1, result=where(schedule=stepped, actual=1))),
    ),
)
