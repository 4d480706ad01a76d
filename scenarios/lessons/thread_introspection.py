"""Lesson: ask threading about its threads (names, idents, native ids) and ask the OS too."""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from typing import Any

from scenarios.engine.os_counts import threads_cpu_s
from scenarios.model.lesson import Headline, Lesson, LessonText
from scenarios.model.params import float_param, int_param
from scenarios.model.tries import Try, compare, more_than, ran, where
from scenarios.model.words import plural

# Main looks around this often: ten table updates a second are smooth to watch, and listing
# /proc/self/task that often costs well under a millisecond each time.
SAMPLE_S = 0.1
COLUMNS = ["name", "ident", "native id", "daemon", "alive", "OS sees it", "whose"]


def worker(lab, seconds):
    """A thread's work: say who it is, then sleep (stand-in for real work)."""
    me = threading.current_thread()
    lab.print(f"I am {me.name}: ident {me.ident}, native id {me.native_id}, daemon {me.daemon}")
    lab.sleep(seconds, label="working")  # time.sleep(seconds), drawn, woken by Stop


def look_around(lab, mine, main):
    """One look at the threads: what threading says, checked against the OS's own list."""
    os_ids = set(threads_cpu_s() or {})  # the kernel's threads of this process
    alive = threading.enumerate()                         # Python's live threads
    rows = []
    for t in [main, *mine, *(t for t in alive if t is not main and t not in mine)]:
        whose = "lesson: main" if t is main else "lesson" if t in mine else "the lab / app"
        rows.append([t.name, t.ident, t.native_id, t.daemon, t.is_alive(),
                     t.native_id in os_ids, whose])
    lab.table("threads", COLUMNS, rows)
    lab.metric("threading.active_count()", threading.active_count())
    lab.metric("OS threads (psutil)", len(os_ids))
    return threading.active_count(), len(os_ids), rows


def run(lab, p: Mapping[str, Any]) -> dict[str, Any]:
    """Start threads one after another, looking around every SAMPLE_S until all have ended."""
    main = threading.current_thread()
    lab.print(f"main is {main.name}, native id {main.native_id}; "
              f"active_count() = {threading.active_count()}")
    mine = [lab.Thread(target=worker, args=(lab, p["lifetime"]), name=f"worker {i + 1}",
                       daemon=i > 0)  # worker 1 is not a daemon: the column is worth a look
            for i in range(p["threads"])]
    t0 = time.perf_counter()
    counts, os_counts, seen_by_os = [], [], {}
    while True:
        for i, t in enumerate(mine):  # start each thread when its turn comes
            if t.ident is None and time.perf_counter() - t0 >= i * p["stagger"]:
                t.start()
        active, os_threads, rows = look_around(lab, mine, main)
        when = round(time.perf_counter() - t0, 3)
        counts.append([when, active])
        os_counts.append([when, os_threads])
        for name, *_, is_alive, seen, whose in rows:
            if whose.startswith("lesson") and is_alive:
                seen_by_os[name] = seen_by_os.get(name, True) and seen
        if all(t.ident is not None and not t.is_alive() for t in mine):
            break
        lab.sleep(SAMPLE_S, label="look around")
    for t in mine:
        t.join()
    _, _, rows = look_around(lab, mine, main)  # the last look: every worker has ended
    lab.print(f"after the joins, active_count() = {threading.active_count()}")
    return {
        "active_counts": counts,
        "os_thread_counts": os_counts,
        "native_ids": {t.name: t.native_id for t in [main, *mine]},
        "seen_by_os": seen_by_os,
        "other_threads": sorted({r[0] for r in rows if r[6] == "the lab / app"}),
    }


def headline(values: dict[str, Any]) -> Headline:
    """Python threads are kernel threads: each has a native id the OS lists."""
    ids = values["native_ids"]
    seen = sum(1 for v in values.get("seen_by_os", {}).values() if v)
    return Headline(f"{plural(len(ids), 'thread')}, "
                    f"{plural(len(set(ids.values())), 'different native ID')}; "
                    f"the OS listed {seen} of them")


LESSON = Lesson(
    id="thread_introspection",
    title="Who is running? threading.enumerate()",
    summary="A live table of threads: names, idents, native ids, daemon, alive, and the OS's view.",
    section="Threads",
    text=LessonText(
        watch="Workers start one after another and end one after another. The threads table "
        "follows them: a new thread has no ident or native id until start(); once it ends it "
        "is no longer alive. The active count and the OS's thread count rise and fall together. "
        "Rows marked 'the lab / app' are real threads of the program running this lesson "
        "(in the thread back end, the app's own): enumerate() lists every thread of a process.",
        try_="Start more threads, or make them live longer than the stagger so they overlap: "
        "the count climbs higher. Compare native ids: every thread, main included, has its own, "
        "and the OS lists each one.",
        why="Each threading.Thread is a real kernel thread: the operating system schedules it, "
        "gives it a native id (the id that top -H shows), and lists it among the process's "
        "tasks, which is what psutil reads. ident is Python's own handle for the thread and can "
        "be reused once a thread has ended. active_count() is len(enumerate()): the Python "
        "threads alive now; the OS may count more (threads Python did not start, like a "
        "window's own). A daemon thread is killed at exit; the others are waited for.",
    ),
    params=(
        int_param("threads", 3, 1, 8, "How many worker threads main starts.", label="Threads"),
        float_param("stagger", 0.5, 0.0, 5.0, "Time between one thread's start and the next.",
                    unit="s", step=0.1, label="Start every"),
        float_param("lifetime", 1.5, 0.1, 10.0, "How long each worker works (sleeps).",
                    unit="s", step=0.1, label="Each thread lives"),
    ),
    run=run,
    code=(worker, look_around, run),
    result_keys=("active_counts", "native_ids"),
    headline=headline,
    tries=(
        Try("Run it and compare the native ids: every thread, main included, has its own.",
            ran(result=where(native_ids=lambda ids: len(set(ids.values())) == len(ids) > 1))),
        Try("Start more than 3 threads: active_count() climbs higher.",
            ran(threads=more_than(3))),
        Try("Make 'Each thread lives' shorter than the stagger: the threads no longer overlap.",
            ran(given=compare("lifetime", "<", "stagger"))),
    ),
)
