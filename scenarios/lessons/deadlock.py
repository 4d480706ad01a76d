"""Lesson: two threads take two locks in opposite order and wait for each other forever."""

from __future__ import annotations

import random
import threading
from collections.abc import Mapping
from typing import Any

from scenarios.engine.events import Mark, now_ns
from scenarios.engine.probe import StopRun
from scenarios.engine.watchdog import find_cycle, wait_for_graph
from scenarios.model.lesson import Headline, Lesson, LessonText
from scenarios.model.params import bool_param, float_param, int_param
from scenarios.model.tries import Try, ran, stepped_into_deadlock, where
from scenarios.model.words import plural

# The watchdog looks at the locks this often: a deadlock is seen on two looks in a row (so a
# half-updated lock is never mistaken for one), which keeps detection well inside the 1 s promise.
CHECK_S = 0.1
# hold_s = 0 means "until Stop": a wait this long (11 days) is forever for a lesson.
FOREVER_S = 1e6
# What ended a run, as the card's "ended by" row and the headline say it.
FINISHED = "the transfers finishing"
WATCHDOG = "the watchdog, which cancelled the stuck threads"
STOPPED = "Stop"


class Book:
    """What the run saw: transfers made, back-offs, when each thread asked for its second lock."""

    def __init__(self) -> None:
        self.transfers = 0
        self.backoffs = 0
        self.asked_ns: dict[int, int] = {}  # native thread id -> when it asked for its 2nd lock
        self.cycle: list[str] = []
        self.detected_after_s: float | None = None
        self.ended_by = FINISHED


def take_second(lab, lock, p) -> bool:
    """Take the second lock: wait forever, or (the acquire_timeout fix) give up after a while."""
    if p["acquire_timeout"]:
        return lock.acquire(timeout=p["timeout_s"])
    lock.acquire()  # lock.acquire() blocks until the other thread lets go ... which it never does
    return True


def move_money(lab, first, second, p, book: Book) -> None:
    """The thread's work: hold `first`, work a little, then also take `second` and transfer."""
    if p["lock_ordering"]:  # the fix: every thread takes the locks in one agreed order
        first, second = sorted((first, second), key=lambda lock: lock.name)
    done = 0
    while done < p["transfers"]:
        first.acquire()
        try:
            lab.sleep(p["work_s"], label=f"work with {first.name}", kind="run")
            book.asked_ns[threading.get_native_id()] = now_ns()
            got_both = take_second(lab, second, p)
            lab.check()  # cancelled (Stop, or the watchdog gave up) while waiting: no transfer
            if got_both:
                try:
                    book.transfers += 1
                    done += 1
                finally:
                    second.release()
        finally:
            first.release()
        if not got_both:  # let go of everything, wait a random while, try again
            book.backoffs += 1
            lab.sleep(random.uniform(0, p["backoff_s"]), label="back off")


def watchdog(lab, room_stop, locks, workers, p, book: Book) -> None:
    """Look at the locks until the workers end; on a cycle of waits, report it and hold."""
    previous: list[str] = []
    try:
        with lab.span("sleep", "watching the locks"):
            while any(w.is_alive() for w in workers):
                if lab.stop_token.wait(CHECK_S):
                    raise StopRun
                cycle = find_cycle(wait_for_graph(locks))
                described = sorted(edge.describe() for edge in cycle)
                if cycle and described == previous:
                    break
                previous = described
            else:
                return  # the workers finished: no deadlock
        report(lab, cycle, book)
        hold = p["hold_s"] or FOREVER_S
        lab.sleep(hold, label="deadlocked: Stop ends it" if not p["hold_s"] else
                  f"deadlocked: Stop ends it (the watchdog gives up after {p['hold_s']:g} s)")
        book.ended_by = WATCHDOG
        lab.print("watchdog: giving up, cancelling the deadlocked threads")
    except StopRun:
        if book.cycle:
            book.ended_by = STOPPED
    finally:
        room_stop.set()  # ends every wait of the worker threads


def report(lab, cycle, book: Book) -> None:
    """Print the cycle, draw it as a table, and mark it on every thread's row."""
    formed = max(book.asked_ns.get(edge.waiter.tid, lab.t0) for edge in cycle)
    found = now_ns()
    book.detected_after_s = round((found - formed) / 1e9, 3)
    book.cycle = [edge.describe() for edge in cycle]
    lab.print(f"DEADLOCK found {book.detected_after_s:.2f} s after it formed:", stream="stderr")
    for line in book.cycle:
        lab.print("  " + line, stream="stderr")
    lab.mark("deadlock detected")
    lab.table("wait-for", ["thread", "waits for", "held by"],
              [[e.waiter.name, e.lock, e.owner.name] for e in cycle])
    lab.metric("deadlocked", 1)
    for edge in cycle:
        lab.emit(Mark(edge.waiter, found, f"deadlocked: waits for {edge.lock}"))


def run(lab, p: Mapping[str, Any]) -> dict[str, Any]:
    """Two threads, two locks, opposite order; a watchdog thread watches the locks."""
    room_stop = threading.Event()  # set by the watchdog: on Stop, or when it gives up
    room = lab.with_stop(room_stop)  # the workers' lab: its waits end when room_stop is set
    lock_a, lock_b = room.Lock("lock A"), room.Lock("lock B")
    book = Book()
    lab.shared(transfers=lambda: book.transfers)  # step mode shows it at every step
    workers = [
        room.Thread(target=move_money, args=(room, lock_a, lock_b, p, book), name="Thread 1"),
        room.Thread(target=move_money, args=(room, lock_b, lock_a, p, book), name="Thread 2"),
    ]
    dog = lab.Thread(target=watchdog, args=(lab, room_stop, room.locks, workers, p, book),
                     name="watchdog", stepped=False)  # in step mode the lab finds deadlocks
    lab.metric("deadlocked", 0)
    for t in (*workers, dog):
        t.start()
    try:
        for t in workers:
            t.join()  # ends when the work is done, or when the watchdog cancels it
    except StopRun:
        pass
    finally:
        room_stop.set()
        for t in (*workers, dog):
            t.join(timeout=2.0)
    if lab.stopped and book.ended_by == FINISHED:
        book.ended_by = STOPPED
    if not book.cycle:
        lab.print(f"no deadlock: {plural(book.transfers, 'transfer')}, "
                  f"{plural(book.backoffs, 'back-off')}")
    return {
        "deadlocked": bool(book.cycle),
        "cycle": book.cycle,
        "detected_after_s": book.detected_after_s,
        "ended_by": book.ended_by,
        "transfers": book.transfers,
        "backoffs": book.backoffs,
        "lock_ordering": p["lock_ordering"],
        "acquire_timeout": p["acquire_timeout"],
    }


def headline(values: dict[str, Any]) -> Headline:
    """Deadlocked or not, and what ended it."""
    if values["deadlocked"]:
        return Headline(f"deadlock after {values['detected_after_s']:g} s; ended by "
                        f"{values['ended_by']}", "bad")
    return Headline("no deadlock: every transfer finished", "good")


LESSON = Lesson(
    id="deadlock",
    title="Deadlock",
    summary="Two threads take two locks in opposite order and wait for each other forever.",
    section="Synchronisation",
    text=LessonText(
        watch="Thread 1 holds lock A and waits for lock B; Thread 2 holds lock B and waits for "
        "lock A. Both rows turn to endless 'wait' bars. The watchdog row finds the cycle, marks "
        "it on both rows and shows the wait-for table. Nothing moves until you press Stop (or "
        "the watchdog gives up after the hold time).",
        try_="Switch on lock ordering: both threads take A before B, and the transfers simply "
        "take turns. Or switch on acquire timeout: a thread that waits too long for its second "
        "lock lets go of the first, backs off a random while and tries again. In step mode "
        "(Ctrl+T, one transfer, no work) press 1 then 2: each takes its first lock and the lab "
        "says deadlock; with lock ordering on, no order of keys gets there.",
        why="A deadlock needs a cycle: each thread holds something the next one waits for, and "
        "nobody lets go. Taking locks in one global order makes a cycle impossible. A timeout "
        "breaks the 'nobody lets go'; the random back-off stops both retrying in lockstep "
        "(a livelock). A deadlock never clears on its own: only something from outside (Stop, a "
        "watchdog, killing the program) ends it.",
    ),
    params=(
        bool_param("lock_ordering", False, "Fix 1: both threads take lock A, then lock B.",
                   label="Lock ordering"),
        bool_param("acquire_timeout", False, "Fix 2: wait for the second lock at most the "
                   "timeout, then let go of the first, back off and retry.",
                   label="Acquire with timeout"),
        int_param("transfers", 3, 1, 100, "How many transfers each thread makes.",
                  label="Transfers per thread"),
        float_param("work_s", 0.3, 0.0, 5.0, "How long a thread works holding its first lock "
                    "before asking for the second (the gap where the other thread gets in).",
                    unit="s", step=0.1, live=True, label="Work with first lock"),
        float_param("timeout_s", 0.2, 0.01, 5.0, "acquire(timeout=...) for the second lock "
                    "(with acquire timeout on).", unit="s", step=0.05, live=True,
                    label="Acquire timeout"),
        float_param("backoff_s", 0.5, 0.0, 5.0, "A thread that gave up waits a random time up "
                    "to this before it retries.", unit="s", step=0.1, live=True,
                    label="Back-off up to"),
        float_param("hold_s", 5.0, 0.0, 600.0, "How long the watchdog leaves a deadlock on "
                    "screen before it gives up and cancels the threads; 0 waits for Stop.",
                    unit="s", step=1.0, label="Watchdog gives up after"),
    ),
    run=run,
    code=(move_money, take_second, watchdog, wait_for_graph, find_cycle, run),
    result_keys=("deadlocked", "cycle", "detected_after_s", "ended_by"),
    headline=headline,
    tries=(
        Try("Run it as it is: each thread holds the lock the other wants, a deadlock.",
            ran(lock_ordering=False, acquire_timeout=False, result=where(deadlocked=True))),
        Try("Switch on lock ordering: no deadlock, the transfers take turns.",
            ran(lock_ordering=True, result=where(deadlocked=False))),
        Try("Switch on acquire timeout instead: threads back off, retry, and get through.",
            ran(lock_ordering=False, acquire_timeout=True, result=where(deadlocked=False))),
        Try("In step mode, find the schedule that deadlocks; then turn on lock ordering: "
            "none does (Explore every schedule shows it).", stepped_into_deadlock),
    ),
)
