"""Lesson: the deck's bank balance: deposit and withdraw in two processes, lock or no lock."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from scenarios.engine import probe
from scenarios.model.lesson import Headline, Lesson, LessonText, RaceKeys, race_outcome
from scenarios.model.params import NEXT_ROUND, bool_param, float_param, int_param
from scenarios.model.tries import Try, compare, raced, ran, where
from scenarios.model.words import plural

START_BALANCE = 200  # the deck's multiprocessing.Value('i', 200)


def change(balance, version, amount, race_window):
    """`balance.value = balance.value + amount`, written as its steps: read, pause, write.

    `version` counts the updates the balance holds: each write sets it to the version it read
    plus one. A write built on a stale read sets it back, just as it sets the balance back, so
    at the end (updates made - version) is exactly the number of updates lost.
    """
    lab = probe.current()
    lab.point("read balance", balance=lambda: balance.value)  # step mode: wait for a turn
    with balance.get_lock():  # the Value's own lock, taken by every balance.value anyway
        seen, seen_version = balance.value, version.value      # read
    if race_window > 0:  # at 0 the deck's own update: no pause, and no switch point either
        lab.sleep(race_window, label="read … write")          # pause: the other one may write
    lab.point("write balance", balance=seen + amount)
    with balance.get_lock():
        balance.value = seen + amount                           # write
        version.value = seen_version + 1
    lab.metric("balance", seen + amount)


def deposit(balance, version, lock, times, pause, race_window):
    """The deck's deposit: `times` times, wait, then add 1 (holding the lock, if there is one)."""
    lab = probe.current()
    lab.shared(balance=lambda: balance.value, updates_kept=lambda: version.value)  # step mode
    if lock is not None:
        lock = probe.LabLock(lab, lock, "lock")  # the same lock; its waits are drawn, Stop wakes
    for _ in range(times):
        lab.sleep(pause)                  # the deck's time.sleep(0.01)
        if lock is not None:
            lock.acquire()
        change(balance, version, +1, race_window)
        if lock is not None:
            lock.release()


def withdraw(balance, version, lock, times, pause, race_window):
    """The deck's withdraw: `times` times, wait, then take 1 away (holding the lock, if any)."""
    lab = probe.current()
    lab.shared(balance=lambda: balance.value, updates_kept=lambda: version.value)
    if lock is not None:
        lock = probe.LabLock(lab, lock, "lock")
    for _ in range(times):
        lab.sleep(pause)
        if lock is not None:
            lock.acquire()
        change(balance, version, -1, race_window)
        if lock is not None:
            lock.release()


def run(lab, p: Mapping[str, Any]) -> dict[str, Any]:
    """Start deposit and withdraw on one shared balance, join them, count what was lost."""
    started = time.perf_counter()
    balance = lab.mp.Value("i", START_BALANCE)   # multiprocessing.Value('i', 200)
    version = lab.mp.Value("i", 0, lock=False)   # guarded by the balance's own lock
    lock = lab.mp.Lock() if p["use_lock"] else None  # multiprocessing.Lock()
    times = p["times"]
    args = (balance, version, lock, times, p["pause"] / 1000, p["race_window"] / 1000)
    lab.metric("balance", balance.value)
    d = lab.Process(target=deposit, args=args, name="deposit")
    w = lab.Process(target=withdraw, args=args, name="withdraw")
    d.start()
    w.start()
    d.join()
    w.join()
    expected = START_BALANCE  # as many deposits as withdrawals
    lost = 2 * times - version.value
    lab.print(f"balance: {balance.value} (expected {expected}); "
              f"{lost:,} of {plural(2 * times, 'update')} lost")
    if lost and balance.value == expected:
        lab.print("the balance is right by luck: lost deposits and lost withdrawals cancelled out")
    return {
        "use_lock": p["use_lock"],
        "race_window": p["race_window"],
        "expected": expected,
        "final_balance": balance.value,
        "lost_updates": lost,
        "updates": 2 * times,
        "work_s": round(time.perf_counter() - started, 4),  # Value made to both joined
    }


def headline(values: dict[str, Any]) -> Headline:
    """Balance and lost updates, since a right balance can hide lost ones."""
    lost = values["lost_updates"]
    return Headline(f"balance {values['final_balance']} (expected {values['expected']}); "
                    f"{plural(lost, 'update')} lost", "bad" if lost else "good")


LESSON = Lesson(
    id="process_lock",
    title="A shared balance needs a lock",
    summary="Deposit and withdraw in two processes on one Value: without a Lock, updates vanish.",
    section="Processes",
    text=LessonText(
        watch="The deposit and withdraw rows each change one shared balance 100 times. The "
        "balance plot should wobble around 200 and end there. Without the lock it drifts, and "
        "the console counts the updates that were lost.",
        try_="Run it without the lock a few times: updates are lost every time, and the balance "
        "is usually wrong. Turn the lock on: nothing is lost, the balance ends at 200, and the "
        "rows take turns holding the lock. Shrink the race window below the pause: now it "
        "depends on how the two processes happen to line up, and some runs lose nothing. At 0 "
        "a few updates are still lost, yet the balance often reads 200: a lost deposit and a "
        "lost withdrawal cancel out. That is why the lesson counts lost updates instead of "
        "trusting the balance. Then be the scheduler of the two processes: Step (Ctrl+T) with "
        "one update each, and press 1, 2, 1, 2: both read 200, and the withdrawal's write "
        "wipes out the deposit.",
        why="balance.value = balance.value + 1 is a read, then a write. Value's own lock guards "
        "each of them, but not the gap between: if the other process writes in that gap, your "
        "write wipes its update out. A multiprocessing.Lock held around the read and the write "
        "makes them one step, across processes. The deck's own code rarely shows this: its read "
        "and write are microseconds apart, between 10 ms pauses. The race window widens the gap "
        "to what a slow program (a database call, a busy machine) really has.",
    ),
    params=(
        bool_param("use_lock", False, "Hold a multiprocessing.Lock around each read and write."
                   + NEXT_ROUND, live=True, label="Use a lock"),
        float_param("race_window", 15.0, 0.0, 50.0, "The pause between reading the balance and "
                    "writing it back. Longer than the pause between updates, the two processes' "
                    "read-write steps cannot miss each other." + NEXT_ROUND, unit="ms", step=1.0,
                    live=True, label="Race window"),
        float_param("pause", 10.0, 0.0, 100.0, "The deck's time.sleep(0.01) before each "
                    "update.", unit="ms", step=1.0, label="Pause between updates"),
        int_param("times", 100, 1, 1000, "How many times each process deposits or withdraws 1.",
                  label="Updates per process"),
    ),
    run=run,
    code=(change, deposit, withdraw, run),
    result_keys=("use_lock", "race_window", "expected", "final_balance", "lost_updates"),
    headline=headline,
    # Lost updates are counted, not taken from the balance: lost deposits and withdrawals cancel.
    outcome=race_outcome("balance", "final_balance", "lost_updates"),
    race=RaceKeys("expected", "final_balance", "lost_updates"),
    tries=(
        Try("Run it without the lock: updates are lost.", raced(use_lock=False)),
        Try("Turn the lock on: nothing is lost and the balance ends at 200.",
            ran(use_lock=True, result=where(lost_updates=0, final_balance=START_BALANCE))),
        Try("Shrink the race window below the pause (lock off): some runs lose nothing.",
            ran(use_lock=False, given=compare("race_window", "<", "pause"))),
        Try("Set the race window to 0 (lock off): updates are lost, yet the balance may be right.",
            ran(use_lock=False, race_window=0)),
    ),
)
