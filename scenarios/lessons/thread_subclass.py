"""Lesson: the deck's `class MyThread(threading.Thread)`, a thread with its own data and run()."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from scenarios.engine.probe import LabThread
from scenarios.model.lesson import Headline, Lesson, LessonText
from scenarios.model.params import float_param, int_param
from scenarios.model.tries import Try, compare, more_than, ran


def print_epoch(lab, name_of_thread, delay, count):
    """The deck's print_epoch: sleep, count, print the time, `count` times."""
    for _ in range(count):
        lab.sleep(delay)  # time.sleep(delay), drawn, and woken by Stop
        lab.print(name_of_thread, "-----", time.time())


class MyThread(LabThread):
    """The deck's MyThread. LabThread is a real threading.Thread that also draws its row.

    LabThread's run() marks the start and end and shows errors; it calls body(), so body() is
    where the deck's run() goes.
    """

    def __init__(self, lab, name, delay, count):
        super().__init__(lab)  # threading.Thread.__init__(self)
        self.name = name
        self.delay = delay
        self.count = count

    def body(self):
        """The deck's run(): what the thread does once start() is called."""
        self.lab.print("start thread:", self.name)
        print_epoch(self.lab, self.name, self.delay, self.count)
        self.lab.print("end thread:", self.name)


def run(lab, p: Mapping[str, Any]) -> dict[str, Any]:
    """Make two MyThreads, start them, print their names, join them."""
    t1 = MyThread(lab, "Thread-1", p["delay_1"], p["count"])
    t2 = MyThread(lab, "Thread-2", p["delay_2"], p["count"])
    t1.start()
    t2.start()
    lab.print(t1.name)  # the deck's t1.getName(), the old spelling of t1.name
    lab.print(t2.name)
    t1.join()
    t2.join()
    lab.print("Done")
    return {
        "threads": [
            {
                "name": t.name,
                "delay": t.delay,
                "start_s": round((t.started_ns - lab.t0) / 1e9, 3),
                "end_s": round((t.finished_ns - lab.t0) / 1e9, 3),
            }
            for t in (t1, t2)
        ],
    }


def headline(values: dict[str, Any]) -> Headline:
    """When each MyThread ran."""
    spans = [f"{t['name']} {t['start_s']:.1f}–{t['end_s']:.1f} s" for t in values["threads"]]
    return Headline("run() ran on its own thread: " + ", ".join(spans))


LESSON = Lesson(
    id="thread_subclass",
    title="Subclass threading.Thread",
    summary="MyThread keeps its name and delay and overrides run(); two of them run at once.",
    section="Threads",
    text=LessonText(
        watch="Two rows, Thread-1 and Thread-2, each print 'start thread', their timestamps and "
        "'end thread'. They start together; the one with the shorter delay ends first. Main "
        "prints both names at once, then waits (blocked) in join until both are over.",
        try_="Give Thread-2 a shorter delay than Thread-1 and watch the end lines swap order. "
        "Raise 'Prints per thread': each row grows, main still waits for the longer one.",
        why="A thread is an object. Subclassing threading.Thread lets it carry its own data "
        "(name, delay) and put its work in run(). start() makes a new thread of execution that "
        "calls run(); calling run() yourself would just run it on the calling thread.",
    ),
    params=(
        float_param("delay_1", 0.5, 0.0, 5.0, "How long Thread-1 sleeps before each print.",
                    unit="s", step=0.1, label="Delay of Thread-1"),
        float_param("delay_2", 1.0, 0.0, 5.0, "How long Thread-2 sleeps before each print.",
                    unit="s", step=0.1, label="Delay of Thread-2"),
        int_param("count", 4, 1, 50, "How many timestamps each thread prints.",
                  label="Prints per thread"),
    ),
    run=run,
    code=(print_epoch, MyThread, run),
    result_keys=("threads",),
    headline=headline,
    tries=(
        Try("Give Thread-2 a shorter delay than Thread-1: the end lines swap order.",
            ran(given=compare("delay_2", "<", "delay_1"))),
        Try("Raise 'Prints per thread' above 4: each row grows, main still waits for the longer "
            "one.",
            ran(count=more_than(4))),
    ),
)
