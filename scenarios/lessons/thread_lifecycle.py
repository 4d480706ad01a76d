"""Lesson: a thread's states (new, runnable, running, blocked, terminated), measured and drawn."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from scenarios.engine.events import Mark, Span, current_worker, now_ns
from scenarios.model.lesson import Headline, Lesson, LessonText
from scenarios.model.params import float_param, int_param
from scenarios.model.tries import Try, at_least, more_than, ran

# compute() judges its state once per this much wall time. Python hands the GIL over every
# switch interval (5 ms by default, 1 ms in the app), so 5 ms windows show the hand-overs while
# keeping the timeline at about 200 bars a second per thread.
WINDOW_NS = 5_000_000
# A lock wait shorter than this is just the lock being taken, not a thread kept waiting.
WAITED_NS = 1_000_000


class Life:
    """The states one thread went through, in the order it first entered them."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.states: list[str] = []
        self.cpu_ns = 0  # time on a CPU while computing (the thread's own CPU clock)
        self.runnable_ns = 0  # time ready but not on a CPU while computing

    def saw(self, state: str) -> None:
        """Note that the thread was in `state` (once; the first time counts for the order)."""
        if state not in self.states:
            self.states.append(state)


def draw(lab, kind, start, end, label=""):
    """A bar on the calling thread's row from start to end (the span is measured, not guessed)."""
    lab.emit(Span(current_worker(), kind, start, end, label))


def compute(lab, cpu_seconds, life):
    """Pure-Python work until this thread has had `cpu_seconds` of CPU time.

    Every WINDOW_NS it compares the wall time with the thread's own CPU time (the kernel's
    per-thread clock, time.thread_time). A window where it was on a CPU less than half the
    time is drawn runnable: ready to run, waiting for the GIL (or for a free core).
    """
    state, since = None, now_ns()
    while life.cpu_ns < cpu_seconds * 1e9:
        wall0, cpu0 = now_ns(), time.thread_time_ns()
        while now_ns() - wall0 < WINDOW_NS:
            sum(i * i for i in range(200))  # the work: a little arithmetic, again and again
        wall, cpu = now_ns() - wall0, time.thread_time_ns() - cpu0
        life.cpu_ns += cpu
        life.runnable_ns += wall - cpu
        kind = "run" if 2 * cpu >= wall else "runnable"
        if kind != state:
            if state:
                draw(lab, state, since, wall0, "computing")
            state, since = kind, wall0
            life.saw("running" if kind == "run" else "runnable")
        lab.check()  # Stop ends the run here
    draw(lab, state, since, now_ns(), "computing")


def worker(lab, lock, p, life, created_ns):
    """One thread's life after start(): compute, sleep, wait for the lock, end."""
    lab.emit(Mark(current_worker(), created_ns, "new"))  # the Thread object was made back then
    life.saw("new")
    compute(lab, p["cpu_work"], life)                  # running, or runnable
    if p["sleep"] > 0:
        life.saw("blocked (sleep)")
    lab.sleep(p["sleep"])                              # blocked: time.sleep
    asked = now_ns()
    with lock:                                         # blocked while another thread holds it
        if now_ns() - asked > WAITED_NS:
            life.saw("blocked (lock)")
        lab.sleep(p["hold"], label="holding the lock")


def run(lab, p: Mapping[str, Any]) -> dict[str, Any]:
    """Make the threads, let them sit as new, start and join them; report what each went through."""
    main = Life("main")
    lock = lab.Lock("lock")
    with lab.span("run", "create threads"):
        main.saw("running")
        created = now_ns()
        lives = [Life(f"worker {i + 1}") for i in range(p["threads"])]
        threads = [lab.Thread(target=worker, args=(lab, lock, p, life, created), name=life.name)
                   for life in lives]
    main.saw("blocked (sleep)")
    lab.sleep(p["new_for"], label="threads made, not started")  # they are new all this while
    for t in threads:
        t.start()
    main.saw("blocked (join)")
    for t in threads:
        t.join()
    for t, life in zip(threads, lives, strict=True):
        if not t.is_alive():
            life.saw("terminated")
        lab.print(f"{life.name}: {' → '.join(life.states)}; computing, it was on a CPU for "
                  f"{life.cpu_ns / 1e9:.2f} s and runnable for {life.runnable_ns / 1e9:.2f} s")
    return {
        "states_seen": {life.name: life.states for life in [main, *lives]},
        "cpu_s": {life.name: round(life.cpu_ns / 1e9, 3) for life in lives},
        "runnable_s": {life.name: round(life.runnable_ns / 1e9, 3) for life in lives},
        "lifetime_s": {t.name: round((t.finished_ns - t.started_ns) / 1e9, 3) for t in threads},
    }


def headline(values: dict[str, Any]) -> Headline:
    """How many states the workers went through."""
    states = {s for name, seen in values["states_seen"].items() if name != "main" for s in seen}
    return Headline(f"the workers went through {len(states)} states: " + ", ".join(sorted(states)))


LESSON = Lesson(
    id="thread_lifecycle",
    title="A thread's life: its states",
    summary="Threads go from new to running, runnable, blocked and terminated, drawn as they go.",
    section="Threads",
    text=LessonText(
        watch="Each worker row starts with a 'new' tick: the Thread object exists, but no thread "
        "runs yet. After start() it computes: running bars broken by runnable bars, where it "
        "was ready but another thread held the GIL. Then it sleeps (blocked), then waits for a "
        "lock another worker holds (blocked), and ends: terminated. Main is blocked in join.",
        try_="Use more threads: each one is runnable more of the time, since only one of them "
        "can hold the GIL. With one cpu_work second each, two threads need about two seconds. "
        "Make 'Lock held for' longer: the lock queue grows, one thread after the other.",
        why="new: made, not started. running: on a CPU, executing. runnable: ready to run but "
        "not on a CPU; in CPython usually waiting for the GIL, which lets one thread run Python "
        "code at a time. blocked: waiting for something (a sleep, a lock, another thread's end) "
        "and using no CPU. terminated: run() has returned. Runnable is measured here, not "
        "guessed: the thread compares wall time with its own CPU time every 5 ms.",
    ),
    params=(
        int_param("threads", 2, 2, 6, "How many worker threads.", label="Threads"),
        float_param("new_for", 0.3, 0.0, 3.0, "How long the threads stay new (made, not started).",
                    unit="s", step=0.1, label="New for"),
        float_param("cpu_work", 0.5, 0.05, 5.0, "CPU time each thread computes for. The threads "
                    "share the GIL, so this takes longer on the clock.", unit="s", step=0.05,
                    label="CPU work"),
        float_param("sleep", 0.4, 0.0, 5.0, "How long each thread sleeps after computing.",
                    unit="s", step=0.1, label="Sleep"),
        float_param("hold", 0.3, 0.0, 3.0, "How long each thread holds the shared lock.",
                    unit="s", step=0.1, label="Lock held for"),
    ),
    run=run,
    code=(compute, worker, run),
    result_keys=("states_seen",),
    headline=headline,
    tries=(
        Try("Use more than 2 threads: each is runnable longer, as only one can hold the GIL.",
            ran(threads=more_than(2))),
        Try("Give each thread 1 s of cpu_work: two threads need about two seconds.",
            ran(cpu_work=at_least(1.0))),
        Try("Make 'Lock held for' longer than 0.3 s: the queue for the lock grows.",
            ran(hold=more_than(0.3))),
    ),
)
