"""Lesson: the deck's calc_square / calc_cube, which wait 0.2 s per number: serial vs threads."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from scenarios.engine import probe
from scenarios.model.fairness import waiting_caveat
from scenarios.model.lesson import Headline, Lesson, LessonText
from scenarios.model.params import float_param, int_param
from scenarios.model.tries import Try, any_of, more_than, ran, where

DECK_ARR = [2, 3, 8, 9]


def calc_square(numbers):
    """The deck's calc_square: wait, then print a square, for each number."""
    lab = probe.current()  # this run's lab: its print and sleep draw on the calling thread's row
    lab.print("calculate square numbers")
    for n in numbers:
        lab.sleep(lab.param("delay"), label="wait", kind="io")  # time.sleep(0.2): I/O waiting
        lab.print("square:", n * n)


def calc_cube(numbers):
    """The deck's calc_cube: wait, then print a cube, for each number."""
    lab = probe.current()
    lab.print("calculate cube of numbers")
    for n in numbers:
        lab.sleep(lab.param("delay"), label="wait", kind="io")
        lab.print("cube:", n * n * n)


def run(lab, p: Mapping[str, Any]) -> dict[str, Any]:
    """Time both functions one after the other, then on two threads, and compare."""
    arr = (DECK_ARR + list(range(10, 10 + p["numbers"])))[:p["numbers"]]  # the deck's [2,3,8,9]

    t = time.time()
    calc_square(arr)
    calc_cube(arr)
    serial_s = time.time() - t
    lab.print("done in : ", round(serial_s, 3), "(one after the other)")

    t = time.time()
    t1 = lab.Thread(target=calc_square, args=(arr,), name="square thread")
    t2 = lab.Thread(target=calc_cube, args=(arr,), name="cube thread")
    t1.start()
    t2.start()
    t1.join()
    t2.join()
    threaded_s = time.time() - t
    lab.print("done in : ", round(threaded_s, 3), "(two threads)")

    speedup = serial_s / threaded_s if threaded_s > 0 else 0.0
    caveat = waiting_caveat(speedup, 2)
    lab.print(f"Speedup: {speedup:.2f}×" + (f". {caveat}" if caveat else ""))
    return {
        "serial_s": round(serial_s, 4),
        "threaded_s": round(threaded_s, 4),
        "speedup": round(speedup, 3),
        "caveat": caveat,
        "numbers": arr,
    }


def headline(values: dict[str, Any]) -> Headline:
    """How much the two waiting threads saved."""
    return Headline(f"two threads {values['speedup']:.2f}× faster than serial "
                    f"({values['serial_s']:.2f} s → {values['threaded_s']:.2f} s)",
                    "good" if values["speedup"] > 1.2 and not values.get("caveat")
                    else "neutral")


LESSON = Lesson(
    id="io_bound_threads",
    title="Threads for waiting (I/O-bound work)",
    summary="calc_square and calc_cube wait per number; two threads wait at the same time.",
    section="Threads",
    text=LessonText(
        watch="First main runs calc_square, then calc_cube: one long row of waiting bars. Then "
        "two threads run them side by side: two rows of the same bars, over in half the time. "
        "The result card shows both times and the speedup, close to 2.",
        try_="Raise 'Wait per number' (it is live) or 'Numbers': the threaded time stays "
        "about half the serial one. Set 'Wait per number' to 0: with nothing to wait for there is "
        "nothing to overlap, and starting the threads costs more than they save.",
        why="time.sleep stands for waiting on a disk, a network or a user. A waiting thread "
        "needs no CPU and lets go of the GIL, so the other thread runs meanwhile: the two waits "
        "overlap. This is where threads shine in Python. Work that keeps the CPU busy does not "
        "overlap like this (see the GIL lesson).",
    ),
    params=(
        float_param("delay", 0.2, 0.0, 2.0, "The deck's time.sleep(0.2): the wait per number, "
                    "standing for I/O. Read at every number, so you can change it mid-run.",
                    unit="s", live=True, step=0.05, label="Wait per number"),
        int_param("numbers", 4, 1, 40, "How many numbers each function handles; the first four "
                  "are the deck's arr = [2, 3, 8, 9].", label="Numbers"),
    ),
    run=run,
    code=(calc_square, calc_cube, run),
    result_keys=("serial_s", "threaded_s", "speedup", "caveat"),
    headline=headline,
    tries=(
        Try("Run it: the two waiting threads take about half the serial time.",
            ran(delay=more_than(0), result=where(speedup=more_than(1.5)))),
        Try("Raise 'Wait per number' or 'Numbers': still about half the serial time.",
            any_of(ran(delay=more_than(0.2)), ran(numbers=more_than(4)))),
        Try("Set 'Wait per number' to 0: with nothing to wait for, there is nothing to overlap.",
            ran(delay=0)),
    ),
)
