"""Lesson: the same work on the window's own thread, on a QThread, in a process (responsiveness)."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from scenarios.model.lesson import Headline, Lesson, LessonText
from scenarios.model.params import choice_param, float_param
from scenarios.model.tries import Try, more_than, ran, where
from scenarios.model.words import plural

# Where the work runs, and the back end that runs it there: the window maps `way` to its back end.
WAYS = {"ui": "ui", "qthread": "thread", "process": "process"}
WORKS = ("compute", "sleep")
# The work draws one bar per this much of it, and looks at the Stop button as often.
SLICE_S = 0.01
# A click the window answers later than this feels missed (about six frames at 60 Hz).
MISSED_AFTER_MS = 100


def compute(lab, seconds: float) -> int:
    """CPU-bound work: a pure-Python loop, for `seconds` of wall time. Returns the steps done."""
    steps = 0
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        with lab.span("run", "computing", merge=True):
            stop_slice = time.perf_counter() + SLICE_S
            while time.perf_counter() < stop_slice:
                steps += 1
        lab.check()  # Stop ends the run here
    return steps


def run(lab, p: Mapping[str, Any]) -> dict[str, Any]:
    """Do the chosen work for the chosen time on whichever thread this lesson was started on."""
    lab.print(f"working ({p['work']}) for {p['seconds']:g} s on the {p['way']} way")
    started = time.perf_counter()
    steps = 0
    if p["work"] == "compute":
        steps = compute(lab, p["seconds"])
    else:
        lab.sleep(p["seconds"], "time.sleep")  # blocks this thread, as a download would
    work_s = time.perf_counter() - started
    lab.print(f"done after {work_s:.2f} s")
    return {"way": p["way"], "work": p["work"], "work_s": round(work_s, 3), "steps": steps}


def headline(values: Mapping[str, Any]) -> Headline:
    """The way, and what the window's user felt: its worst lag and the clicks it missed."""
    way = values["way"]
    if "ui_lag_max_ms" not in values:  # run without a window (the command line)
        return Headline(f"{way}: the work took {values['work_s']:.2f} s")
    missed, sent = values["clicks_missed"], values["clicks_sent"]
    text = (f"{way}: the window froze up to {values['ui_lag_max_ms']:,.0f} ms · "
            f"{missed} of {plural(sent, 'click')} missed")
    return Headline(text, "bad" if missed else "good")


LESSON = Lesson(
    id="responsiveness",
    title="Keep the window responsive",
    summary="The same work on the window's own thread, on a QThread, in a process: poke the "
    "window while it runs and feel the difference.",
    section="Beyond",
    text=LessonText(
        watch="While the work runs, look at the Poke tab: the spinner turns, an automatic "
        "clicker presses the button ten times a second, and you can click it and type in the "
        "box yourself. The UI lag strip shows how late the window answers. On the ui way the "
        "window freezes: nothing moves until the work is over, then every waiting click "
        "arrives at once.",
        try_="Run each way once with the same work: ui, then qthread, then process. The Compare "
        "runs tab puts them side by side. Then switch the work to sleep: a blocking sleep on the "
        "window's thread freezes it just the same, while on a QThread it costs the window "
        "nothing (a sleep releases the GIL).",
        why="A window is one thread running an event loop: it repaints, answers clicks and keys "
        "only between pieces of work. Work done on that thread holds all of that up; this is "
        "the deck's 'a program can remain responsive to input' advantage of threads. A QThread "
        "frees the loop, but compute-bound Python still shares the GIL with it, so the window "
        "waits a little at every wake-up. A process has its own interpreter and GIL: the "
        "window is untouched.",
    ),
    params=(
        choice_param("way", "qthread", tuple(WAYS), "Where the work runs: ui is the window's "
                     "own thread (it freezes; the run is capped at 5 s), qthread a worker "
                     "thread of the app, process a child process.", label="Way",
                     extra={"backend_of": WAYS}),
        choice_param("work", WORKS[0], WORKS, "compute: a pure-Python loop (holds the GIL); "
                     "sleep: a blocking time.sleep (releases it).", label="Work"),
        # below the ui back end's 5 s cap, which counts from before the work starts
        float_param("seconds", 2.0, 0.5, 4.5, "How long the work lasts.", unit="s", step=0.5,
                    label="Work time"),
    ),
    run=run,
    code=(compute, run),
    result_keys=("way", "work", "work_s"),  # the window adds its lag and the clicks missed
    headline=headline,
    missed_after_ms=MISSED_AFTER_MS,
    tries=(
        Try("Run the work on the ui way: the window freezes and misses clicks.",
            ran(way="ui", result=where(clicks_missed=more_than(0)))),
        Try("Run the same work on a QThread: the window keeps answering.", ran(way="qthread")),
        Try("Run it in a process: not one click is missed.",
            ran(way="process", result=where(clicks_missed=0))),
        Try("Switch the work to sleep and run it on the ui way: a sleep freezes it too.",
            ran(way="ui", work="sleep")),
    ),
)
