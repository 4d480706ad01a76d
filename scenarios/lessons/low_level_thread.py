"""Lesson: the deck's `_thread.start_new_thread`, and why main has to stay alive."""

from __future__ import annotations

import _thread
import os
import threading
import time
from collections.abc import Mapping
from typing import Any

from scenarios.engine.events import Line, Mark, Span, Worker, now_ns
from scenarios.model.lesson import Headline, Lesson, LessonText
from scenarios.model.params import bool_param, float_param, int_param
from scenarios.model.tries import Try, more_than, ran, where
from scenarios.model.words import plural

# How long the lab waits for a cut-off thread to notice main has ended. They wake at once (they
# wait on the `main_ended` event), so this is only a guard against a lesson bug hanging the run.
CUT_OFF_GRACE_S = 1.0


class Row:
    """Draws a `_thread` thread's row on the timeline and prints on it.

    lab.print and lab.sleep ask `threading.current_thread()`, and for a thread that `_thread`
    started that call makes a stand-in `_DummyThread` which Python 3.11 never forgets. So this
    lesson stamps its events by hand: the thread's real native id, and the deck's name.
    """

    def __init__(self, lab, name: str) -> None:
        self.lab = lab
        self.worker = Worker(os.getpid(), threading.get_native_id(), name)

    def print(self, *args: Any) -> None:
        """`print` into the lab's console, on this thread's row."""
        self.lab.emit(Line(self.worker, now_ns(), " ".join(str(a) for a in args), "stdout"))

    def mark(self, label: str) -> None:
        """A tick on this thread's row."""
        self.lab.emit(Mark(self.worker, now_ns(), label))

    def sleep(self, seconds: float, main_ended: threading.Event) -> bool:
        """`time.sleep(seconds)`, drawn; returns True if main ended meanwhile (we are cut off)."""
        start = now_ns()
        self.lab.flush()
        cut = main_ended.wait(seconds)
        self.lab.emit(Span(self.worker, "sleep", start, now_ns(), "time.sleep"))
        return cut


def print_epoch(lab, name_of_thread, delay, count, main_ended, done, printed):
    """The deck's print_epoch, run on a bare `_thread` thread.

    At the end of the program Python kills such threads wherever they are. A lesson cannot kill
    the app, so the thread watches `main_ended` and stops the moment main is over: no line is
    printed after main has ended, just as in the deck.
    """
    row = Row(lab, name_of_thread)
    row.mark("started")
    try:
        n = 0
        while n < count:
            cut = row.sleep(delay, main_ended)   # time.sleep(delay)
            n += 1
            if cut or main_ended.is_set():       # the interpreter would kill the thread here
                row.mark("stopped" if lab.stopped else "cut off: main ended")
                return
            row.print(name_of_thread, "-----", time.time())
            printed.append(name_of_thread)
        row.mark("finished")
    finally:
        lab.flush()
        done.release()  # the classic _thread idiom: a lock released when the thread is over


def run(lab, p: Mapping[str, Any]) -> dict[str, Any]:
    """Start two `_thread` threads, let main do its work, then keep it alive or let it end."""
    main_ended = threading.Event()  # set when main returns: the threads are cut off then
    printed: list[str] = []         # list.append is atomic: a safe tally of printed lines
    done = [_thread.allocate_lock() for _ in range(2)]
    for lock in done:
        lock.acquire()
    try:
        _thread.start_new_thread(print_epoch, (lab, "thread 1", p["delay_1"], p["count"],
                                               main_ended, done[0], printed))
        _thread.start_new_thread(print_epoch, (lab, "thread 2", p["delay_2"], p["count"],
                                               main_ended, done[1], printed))
        if p["main_work"] > 0:
            lab.sleep(p["main_work"], label="main's own work")
        if lab.param("keep_main_alive"):
            # The deck's input(): main waits (here, until both threads are over).
            lab.wait_until(lambda t: all(_released(lock, t / 2) for lock in done),
                           "blocked", "input(): main stays alive")
        lab.print("main ends")
        lab.mark("main ended")
    finally:
        main_ended.set()
        ended_ns = now_ns()
        for lock in done:  # the lab's own bookkeeping: nothing of the run may outlive it
            if lock.acquire(timeout=CUT_OFF_GRACE_S):
                lock.release()
    expected = 2 * p["count"]
    lab.print(f"{len(printed)} of {plural(expected, 'line')} printed")
    return {
        "lines_printed": len(printed),
        "expected_lines": expected,
        "cut_off": len(printed) < expected,
        "keep_main_alive": lab.param("keep_main_alive"),
        "main_ended_s": round((ended_ns - lab.t0) / 1e9, 3),
    }


def _released(lock, timeout: float) -> bool:
    if lock.acquire(timeout=timeout):
        lock.release()
        return True
    return False


def headline(values: dict[str, Any]) -> Headline:
    """How many lines came out before main ended."""
    text = f"{values['lines_printed']} of {plural(values['expected_lines'], 'line')} printed"
    if values["cut_off"]:
        return Headline(text + ": cut off when main ended", "bad")
    return Headline(text, "good")


LESSON = Lesson(
    id="low_level_thread",
    title="_thread: main must stay alive",
    summary="Two bare _thread threads print timestamps; when main ends they are cut off.",
    section="Threads",
    text=LessonText(
        watch="Two rows, thread 1 and thread 2, sleep and print. Main does its own work for a "
        "moment and ends (a tick on the main row). At that instant both thread rows stop: "
        "whatever they had left to print is lost, and the result counts the missing lines.",
        try_="Switch keep main alive on: main waits, like the deck's input(), and every line "
        "comes out. Set main's work to 0 for the deck's first program: nothing is printed at all. "
        "Make main work longer than the threads need: they finish before it ends.",
        why="A program ends when its main thread ends, and threads started with the low-level "
        "_thread module are killed then, mid-sleep. (threading.Thread waits for its non-daemon "
        "threads at exit; _thread has no such notion.) The lab cannot kill itself, so here each "
        "thread stops the moment main is over and prints nothing after: the same output.",
    ),
    params=(
        bool_param("keep_main_alive", False, "Make main wait, like the deck's input(), instead "
                   "of ending. Read when main's work is done, so you can flip it mid-run.",
                   live=True, label="Keep main alive"),
        float_param("main_work", 1.2, 0.0, 10.0, "How long main works before it ends (0 is the "
                    "deck: it ends right after starting the threads).", unit="s", step=0.1,
                    label="Main's own work"),
        float_param("delay_1", 0.5, 0.0, 5.0, "How long thread 1 sleeps before each print.",
                    unit="s", step=0.1, label="Delay of thread 1"),
        float_param("delay_2", 1.0, 0.0, 5.0, "How long thread 2 sleeps before each print.",
                    unit="s", step=0.1, label="Delay of thread 2"),
        int_param("count", 3, 1, 20, "How many timestamps each thread prints.",
                  label="Prints per thread"),
    ),
    run=run,
    code=(print_epoch, run),
    result_keys=("lines_printed", "expected_lines", "cut_off"),
    headline=headline,
    tries=(
        Try("Switch keep main alive on: main waits, and every line comes out.",
            ran(keep_main_alive=True, result=where(cut_off=False))),
        Try("Set main's work to 0: the deck's first program, nothing is printed at all.",
            ran(main_work=0, keep_main_alive=False, result=where(lines_printed=0))),
        Try("Make main's own work outlast the threads: they finish before it ends.",
            ran(keep_main_alive=False, main_work=more_than(0), result=where(cut_off=False))),
    ),
)
