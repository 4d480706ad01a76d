"""The deck's multiprocessing_lock.py, plain: deposit and withdraw on one Value in two processes.

Does the work of `python -m scenarios run process_lock --set times=T --set pause=P
--set race_window=W --set use_lock=...` (pause and race window in ms, as the lesson's). With a
race window of 0 the update is the deck's own `balance.value = balance.value + 1`; above 0 it
waits that long between the read and the write, as the lesson does. Times the whole section from
making the Value to printing the balance after both joins. Prints one JSON line.

    python -m bench.plain.deposit_withdraw --times 100 --pause 10 --race-window 0 --lock
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import time
from typing import Any

from bench.plain import start_like_the_cli


def _update(balance, amount, race_window):
    if race_window > 0:
        seen = balance.value
        time.sleep(race_window)
        balance.value = seen + amount
    else:
        balance.value = balance.value + amount


def deposit(balance, lock, times, pause, race_window):
    """The deck's deposit (with the lock if there is one)."""
    for _ in range(times):
        time.sleep(pause)
        if lock is not None:
            lock.acquire()
        _update(balance, +1, race_window)
        if lock is not None:
            lock.release()


def withdraw(balance, lock, times, pause, race_window):
    """The deck's withdraw (with the lock if there is one)."""
    for _ in range(times):
        time.sleep(pause)
        if lock is not None:
            lock.acquire()
        _update(balance, -1, race_window)
        if lock is not None:
            lock.release()


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Run deposit and withdraw in two spawned processes; print and return the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--times", type=int, default=100)
    parser.add_argument("--pause", type=float, default=10.0, help="ms")
    parser.add_argument("--race-window", type=float, default=0.0, help="ms")
    parser.add_argument("--lock", action="store_true")
    args = parser.parse_args(argv)

    start_like_the_cli("process_lock")  # untimed: the clock starts on a core as warm as in the CLI
    ctx = multiprocessing.get_context("spawn")  # as the lesson (and Windows and macOS)
    t = time.perf_counter()
    balance = ctx.Value("i", 200)
    lock = ctx.Lock() if args.lock else None
    work = (balance, lock, args.times, args.pause / 1000, args.race_window / 1000)
    d = ctx.Process(target=deposit, args=work)
    w = ctx.Process(target=withdraw, args=work)
    d.start()
    w.start()
    d.join()
    w.join()
    print(balance.value)
    section_s = time.perf_counter() - t
    figures = {"section_s": section_s, "final_balance": balance.value}
    print(json.dumps(figures))
    return figures


if __name__ == "__main__":
    main()
