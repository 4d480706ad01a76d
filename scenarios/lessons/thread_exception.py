"""Lesson: a thread started with the wrong arguments dies alone; the others carry on."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scenarios.engine import probe
from scenarios.model.lesson import Headline, Lesson, LessonText
from scenarios.model.params import bool_param, float_param, int_param
from scenarios.model.tries import Try, any_of, more_than, ran, where


def print_cube(num):
    """The deck's print_cube, repeated a few times so its row shows it carrying on."""
    lab = probe.current()  # the lab of this run: its print and sleep draw on this thread's row
    for _ in range(lab.param("count")):
        lab.sleep(lab.param("delay"))  # time.sleep(delay), re-read each round: it is live
        lab.print(f"Cube = {num * num * num}")


def print_sqare(num):  # (sic): the deck's spelling
    """The deck's print_sqare: takes one number."""
    lab = probe.current()
    lab.print(f"Sqare = {num * num}")


def run(lab, p: Mapping[str, Any]) -> dict[str, Any]:
    """Start both threads as the deck does, join them, print Done."""
    t1 = lab.Thread(target=print_cube, args=(2,), name="Thread-1")
    wrong = (2, 1) if p["wrong_args"] else (2,)
    t2 = lab.Thread(target=print_sqare, args=wrong, name="Thread-2")  # deck: args=(2,1)
    t1.start()
    t2.start()
    t1.join()
    t2.join()
    lab.print("Done")  # main carries on: an exception in a thread stays in that thread
    main_finished = True  # reached only if nothing from the threads stopped main
    return {
        "exceptions": [type(t.exception).__name__ for t in (t1, t2) if t.exception],
        "main_finished": main_finished,
        "failed_threads": [t.name for t in (t1, t2) if t.exception],
        "ended_s": {t.name: round((t.finished_ns - lab.t0) / 1e9, 3) for t in (t1, t2)},
    }


def headline(values: dict[str, Any]) -> Headline:
    """Which thread died, and whether main carried on."""
    died = ", ".join(values["exceptions"]) or "no exception"
    rest = "main carried on" if values["main_finished"] else "main did not finish"
    return Headline(f"{died} in a thread; {rest}", "bad" if values["exceptions"] else "good")


LESSON = Lesson(
    id="thread_exception",
    title="An exception in a thread",
    summary="Thread-2 gets the wrong arguments and dies with a TypeError; the rest go on.",
    section="Threads",
    text=LessonText(
        watch="Thread-2 ends at once with a red traceback in the console and an exception tick "
        "on its row: print_sqare() takes 1 positional argument but 2 were given. Thread-1 keeps "
        "printing cubes, and main, blocked in join, still prints Done.",
        try_="Switch wrong arguments off: Thread-2 prints its square and no red appears. Make "
        "Thread-1 slower or print more: it carries on long after Thread-2 died.",
        why="args=(2,1) calls print_sqare(2, 1), a TypeError raised inside the new thread when "
        "it starts, not at the Thread(...) line. An exception ends only the thread it happens "
        "in: Python prints its traceback (threading.excepthook; the lab shows it in red) and "
        "the other threads never hear of it. Nothing tells main, so check your threads.",
    ),
    params=(
        bool_param("wrong_args", True, "Start Thread-2 with args=(2,1), one argument too many "
                   "for print_sqare(num); off gives it args=(2,).", label="Wrong arguments"),
        float_param("delay", 0.5, 0.0, 5.0, "How long Thread-1 sleeps before each cube.",
                    unit="s", live=True, step=0.1, label="Delay of Thread-1"),
        int_param("count", 4, 1, 50, "How many cubes Thread-1 prints.", live=True,
                  label="Cubes printed"),
    ),
    run=run,
    code=(print_cube, print_sqare, run),
    result_keys=("exceptions", "main_finished"),
    headline=headline,
    tries=(
        Try("Run it as the deck wrote it: Thread-2 dies with a TypeError, main carries on.",
            ran(wrong_args=True, result=where(exceptions=lambda names: "TypeError" in names,
                                              main_finished=True))),
        Try("Switch wrong arguments off: Thread-2 prints its square and no red appears.",
            ran(wrong_args=False, result=where(exceptions=[]))),
        Try("Make Thread-1 slower or print more: it carries on long after Thread-2 died.",
            any_of(ran(wrong_args=True, delay=more_than(0.5)),
                   ran(wrong_args=True, count=more_than(4)))),
    ),
)
