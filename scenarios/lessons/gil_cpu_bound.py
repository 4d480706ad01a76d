"""Lesson: the same CPU-bound work serially, on N threads and on N processes (the GIL)."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from scenarios.engine import probe
from scenarios.engine.cpu_lane import CpuLane, Lane
from scenarios.engine.cpu_watch import CpuWatch
from scenarios.engine.events import Span, Worker, now_ns
from scenarios.engine.interpreters import this_python
from scenarios.engine.os_counts import process_cpu_s, threads_cpu_s
from scenarios.model.fairness import speedup_caveat
from scenarios.model.lesson import Headline, Lesson, LessonText, SpeedupPoint
from scenarios.model.params import NEXT_ROUND, bool_param, float_param, int_param
from scenarios.model.tries import Try, ran
from scenarios.model.words import plural

CORES = os.cpu_count() or 1
# Whether this Python runs with the GIL (a free-threaded build may run without it).
GIL_ON = this_python().gil
# count() looks at the stop token and draws its bar once per this many steps (about 10 ms of
# work): Stop is felt at once, and the check costs nothing next to the loop.
CHUNK = 200_000
# psutil's CPU times are read this often. Per-thread times tick in 10 ms steps on Linux, so a
# quarter second gives shares to within a few percent (samples closer than 0.1 s are noise).
SAMPLE_S = 0.25
# A share over a shorter stretch than this is all rounding (psutil's times tick in 10 ms).
MIN_SAMPLE_S = 0.1


def count(n):
    """The CPU-bound task: a pure-Python loop. Returns the sum and the CPU time it used."""
    lab = probe.current()  # the lab of whichever process runs this (a pool worker has its own)
    cpu = time.thread_time()
    total = 0
    for first in range(0, n, CHUNK):
        with lab.span("run", "count", merge=True):  # one bar that grows as it counts
            for i in range(first, min(first + CHUNK, n)):
                total += i * i
        if lab.stopped:
            break
    return total, time.thread_time() - cpu


def serial(lab, tasks):
    """Run the tasks one after another on this thread."""
    return [count(n) for n in tasks]


def on_threads(lab, tasks, sampler=None):
    """Run each task on its own thread, all at once, and wait for them."""
    results = [None] * len(tasks)

    def work(i):
        if sampler is not None:
            sampler.watch(threading.get_native_id(), f"Thread {i + 1}")
        results[i] = count(tasks[i])

    threads = [lab.Thread(target=work, args=(i,), name=f"Thread {i + 1}")
               for i in range(len(tasks))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def on_processes(lab, pool, tasks):
    """Run each task in a pool worker process (started beforehand), all at once."""
    return pool.map(count, tasks, chunksize=1)
# The measures plot names each CPU-share line with this and the thread or process it is of.
SHARE = "% of a core: "


class CpuSampler:
    """A small thread that reads per-thread and per-process CPU times from the OS.

    Every SAMPLE_S it turns the CPU time each watched thread or process used since the last look
    into a share of one core, and emits it as the metric SHARE + name (100 = one full core),
    plus SHARE + 'total', the sum: about 100 for threads under the GIL, up to 100 x cores for
    processes.
    """

    def __init__(self, lab) -> None:
        self.lab = lab
        self.threads: dict[int, str] = {}  # native thread id -> row name
        self.processes: dict[int, str] = {}  # pid -> name
        self.first: dict[str, tuple[float, float]] = {}  # name -> (CPU s, time) when first seen
        self.done = threading.Event()
        self.thread = lab.Thread(target=self.loop, name="cpu sampler")

    def watch(self, tid: int, name: str) -> None:
        """Sample this thread of our process from now on (called by the thread as it starts)."""
        self.first[name] = (0.0, time.perf_counter())  # a new thread has used no CPU yet
        self.threads[tid] = name

    def worker_names(self) -> dict[tuple[int, int], str]:
        """(pid, native id) -> name of the threads phase's worker threads."""
        return {(os.getpid(), tid): name for tid, name in self.threads.items() if name != "main"}

    def watch_processes(self, pids: list[int]) -> None:
        """Sample these processes from now on (and stop sampling threads)."""
        self.threads.clear()
        self.processes = {pid: f"process {pid}" for pid in pids}
        now = time.perf_counter()
        for name, cpu in self.cpu_times().items():  # they used some CPU to start: not counted
            self.first[name] = (cpu, now)

    def cpu_times(self) -> dict[str, float]:
        """CPU seconds used so far by each watched thread and process, by name."""
        times = {}
        watched = dict(self.threads)
        if watched:
            for tid, cpu in (threads_cpu_s() or {}).items():
                if tid in watched:
                    times[watched[tid]] = cpu
        for pid, name in dict(self.processes).items():
            cpu = process_cpu_s(pid)
            if cpu is not None:  # else gone already
                times[name] = cpu
        return times

    def loop(self) -> None:
        """Sample until told to stop, and once more then; each share covers the last interval."""
        before, then = self.cpu_times(), time.perf_counter()
        while True:
            finished = self.done.wait(SAMPLE_S)
            self.lab.check()
            now, at = self.cpu_times(), time.perf_counter()
            total = 0.0
            for name, cpu in now.items():
                cpu0, t0 = self.first.pop(name, None) or (before.get(name), then)
                if cpu0 is None or at - t0 < MIN_SAMPLE_S:
                    continue
                share = 100 * (cpu - cpu0) / (at - t0)
                total += share
                self.lab.metric(SHARE + name, round(share, 1))
            self.lab.metric(SHARE + "total", round(total, 1))
            before, then = now, at
            if finished:
                return

    def __enter__(self) -> CpuSampler:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.done.set()
        self.thread.join(timeout=2 * SAMPLE_S)


def switch_interval(lab) -> float:
    """Set the threads phase's switch interval (process back end only); the one it replaces."""
    before = sys.getswitchinterval()
    wanted = lab.param("switch_ms") / 1000
    if multiprocessing.parent_process() is None:  # this is the window's (or the CLI's) process
        if abs(wanted - before) > 1e-9:
            lab.print(f"switch interval left at {before * 1000:g} ms: on the thread back end it "
                      "is the window's own; run on the process back end to change it")
        return before
    sys.setswitchinterval(wanted)
    return before


def watching(p: Mapping[str, Any], pids: list[int], mains: bool = False) -> Any:
    """A CPU lane on these processes, or nothing if the lesson was asked not to watch."""
    return CpuLane(pids, mains=mains) if p["cpu_lane"] else contextlib.nullcontext(Quiet())


class Quiet:
    """What an unwatched phase saw: nothing (no figures)."""

    seen = Lane(supported=False)


@dataclass
class Watched:
    """One phase as the CPU lane saw it: its stretch and its workers, (pid, tid) -> name."""

    phase: str
    lane: Lane
    start_ns: int
    end_ns: int
    names: dict[tuple[int, int], str]


def together(lab, watched: Watched) -> dict[str, Any]:
    """How often two or more of a phase's workers were on a CPU at once, as the lane saw it.

    Under the GIL the threads take turns (their slices on a CPU are the switch interval); the
    processes run side by side, one per core.
    """
    lane, phase, keys = watched.lane, watched.phase, list(watched.names)
    if not lane.supported:
        return {}
    share = round(100 * lane.overlap(keys, watched.start_ns, watched.end_ns), 1)
    handover = lane.handover_ms(keys)
    lab.print(f"{phase}: two or more on a CPU at once {share:g}% of the time; a turn on a CPU "
              f"lasts {handover or 0:.1f} ms (seen to within {lane.resolution_ms:.1f} ms)")
    values: dict[str, Any] = {f"{phase}_together_pct": share}
    if phase == "threads":
        values["lane_resolution_ms"] = round(lane.resolution_ms, 2)
        if GIL_ON:  # the turns are the GIL's
            values.update(handover_ms=round(handover, 2) if handover else None,
                          threads_one_at_a_time=f"at most one Python thread ran "
                          f"{100 - share:g}% of the time")
        else:
            values["threads_at_once"] = f"two or more threads ran at once {share:g}% of the " \
                "time: there is no GIL to take turns for"
    return values


def lane_record(lab, phases: list[Watched]) -> dict[str, Any]:
    """The lane in the run's result: each slice (thread, start, end) and each thread's figures.

    Also draws it: each worker's slices in its row's CPU strip; under the GIL, the rest of its
    time where a sibling ran meanwhile as ready but waiting (pure-Python work is assumed).
    """
    seen = [w for w in phases if w.lane.supported]
    if not seen:
        return {}
    slices: list[dict[str, Any]] = []
    figures: dict[str, dict[str, float]] = {}
    for w in seen:
        waits = draw_turns(lab, w, gil=w.phase == "threads" and GIL_ON)
        length = (w.end_ns - w.start_ns) or 1
        for key, name in w.names.items():
            slices += [{"thread": name, "pid": key[0], "tid": key[1], "phase": w.phase,
                        "start": round((a - lab.t0) / 1e9, 6), "end": round((b - lab.t0) / 1e9, 6)}
                       for a, b in clipped(w.lane.slices.get(key, []), w.start_ns, w.end_ns)]
            ran = w.lane.ran_ns.get(key, round(w.lane.on_cpu_s(key) * 1e9))
            figures[name] = {"on_cpu_pct": pct(ran, length),
                             "gil_wait_pct": pct(waits.get(key, 0), length),
                             "core_wait_pct": pct(w.lane.queued_ns.get(key, 0), length)}
    lane = seen[0].lane
    lab.flush()
    shares = {name: f"{f['on_cpu_pct']:g}% on a CPU"
              + (f" · {f['gil_wait_pct']:g}% waiting for the GIL" if GIL_ON else "")
              for name, f in figures.items() if name.startswith("Thread")}
    return {"threads_on_cpu": shares,
            "cpu_slices": {"method": lane.method, "resolution_ms": round(lane.resolution_ms, 2),
                           "figures": figures, "slices": slices}}


def pct(part_ns: float, whole_ns: float) -> float:
    """A part as a percentage of a whole, to a tenth."""
    return round(100 * part_ns / whole_ns, 1)


def clipped(slices: list[tuple[int, int]], start_ns: int, end_ns: int) -> list[tuple[int, int]]:
    """The slices' parts inside start..end."""
    return [(max(a, start_ns), min(b, end_ns)) for a, b in slices if b > start_ns and a < end_ns]


def draw_turns(lab, watched: Watched, gil: bool) -> dict[tuple[int, int], int]:
    """Put each worker's slices on a CPU in its row's CPU strip; the ns each waited for the GIL.

    Under the GIL, a worker's other time is drawn as ready but waiting, where a sibling was on a
    CPU meanwhile (it was inside its run, so it wanted the GIL).
    """
    lane, keys, waits = watched.lane, list(watched.names), {}
    label = f"on a CPU (seen to within {lane.resolution_ms:.1f} ms, {lane.method})"
    for pid, tid in keys:
        worker = Worker(pid, tid, "")  # the row is the thread's own (named by its events)
        slices = clipped(lane.slices.get((pid, tid), []), watched.start_ns, watched.end_ns)
        for begin, end in slices:
            lab.emit(Span(worker, "on_cpu", begin, end, label))
        if gil:
            others = [key for key in keys if key != (pid, tid)]
            for begin, end in gaps(slices, watched.start_ns, watched.end_ns):
                if lane.busy(others, begin, end) > 0:  # a sibling ran meanwhile
                    lab.emit(Span(worker, "runnable", begin, end, "ready: waiting for the GIL"))
                    waits[(pid, tid)] = waits.get((pid, tid), 0) + end - begin
    return waits


def gaps(slices: list[tuple[int, int]], start_ns: int, end_ns: int) -> list[tuple[int, int]]:
    """The stretches of start..end outside the (sorted) slices."""
    found, at = [], start_ns
    for begin, end in sorted(slices):
        if begin > at:
            found.append((at, begin))
        at = max(at, end)
    if at < end_ns:
        found.append((at, end_ns))
    return found


def python_build() -> str:
    """The interpreter, and whether it has a GIL (free-threaded builds can switch it off)."""
    return this_python().label


def timed(lab, phase: str, rows: list, func, *args):
    """Run func(*args), print and tabulate its wall time, CPU time and cores used."""
    lab.mark(f"{phase}: start")
    start = time.perf_counter()
    results = func(*args)
    wall = time.perf_counter() - start
    cpu = sum(cpu for _, cpu in results)
    rows.append([phase, round(wall, 3), round(cpu, 3), round(cpu / wall, 2)])
    lab.table("CPU by phase", ["phase", "wall s", "CPU s", "cores used"], rows)
    lab.print(f"{phase}: {wall:.2f} s wall, {cpu:.2f} s of CPU = {cpu / wall:.2f} cores busy")
    return wall, [total for total, _ in results]


def run(lab, p: Mapping[str, Any]) -> dict[str, Any]:
    """Time the same tasks serially, on threads and on processes; sample CPU use throughout."""
    tasks = [p["work_m"] * 1_000_000] * p["workers"]
    rows: list = []
    lab.print(f"{python_build()}, switch interval {sys.getswitchinterval() * 1000:g} ms, "
              f"{plural(CORES, 'core')}")
    with CpuSampler(lab) as sampler:
        sampler.watch(threading.get_native_id(), "main")
        watch = CpuWatch()
        serial_s, expected = timed(lab, "serial", rows, serial, lab, tasks)
        _, sharing = watch.read()  # what else used the CPU beside the serial phase
        interval = switch_interval(lab)
        phase_interval = sys.getswitchinterval()  # the threads phase's
        with watching(p, [os.getpid()]) as lane:  # who is on a CPU, seen from outside
            threads_from = now_ns()
            try:
                threads_s, by_threads = timed(lab, "threads", rows, on_threads, lab, tasks,
                                              sampler)
            finally:
                sys.setswitchinterval(interval)  # as it was, for the rest of the process
            threads_to = now_ns()
        threads_lane = Watched("threads", lane.seen, threads_from, threads_to,
                               sampler.worker_names())
        begin = now_ns()
        with lab.pool(p["workers"]) as pool:  # workers started before the clock starts
            start_s = (now_ns() - begin) / 1e9
            sampler.watch_processes(pool.pids())
            with watching(p, pool.pids(), mains=True) as lane:  # each worker counts on its main
                processes_from = now_ns()
                processes_s, by_processes = timed(lab, "processes", rows, on_processes, lab,
                                                  pool, tasks)
                processes_to = now_ns()
            processes_lane = Watched("processes", lane.seen, processes_from, processes_to,
                                     {(pid, pid): f"process {pid}" for pid in pool.pids()})
    lab.print(f"threads: {serial_s / threads_s:.2f}x serial, "
              f"processes: {serial_s / processes_s:.2f}x serial")
    fastest = max(serial_s / threads_s, serial_s / processes_s)
    caveat = speedup_caveat(fastest, p["workers"], CORES, rows[0][3], sharing)  # rows[0]: serial
    if caveat:
        lab.print(caveat)
    return {
        **together(lab, threads_lane),
        **together(lab, processes_lane),
        **lane_record(lab, [threads_lane, processes_lane]),
        "serial_s": round(serial_s, 3),
        "threads_s": round(threads_s, 3),
        "processes_s": round(processes_s, 3),
        "threads_speedup": round(serial_s / threads_s, 2),
        "processes_speedup": round(serial_s / processes_s, 2),
        "cores_used": {row[0]: row[3] for row in rows},
        "process_start_s": round(start_s, 3),
        "python_build": python_build(),
        "switch_interval_ms": round(phase_interval * 1000, 3),
        "cpu_count": CORES,
        "workers": p["workers"],
        "same_results": expected == by_threads == by_processes,
        "caveat": caveat,
    }


def headline(values: dict[str, Any]) -> Headline:
    """Threads against processes on CPU-bound work."""
    return Headline(f"serial {values['serial_s']:.2f} s · threads {values['threads_s']:.2f} s · "
                    f"processes {values['processes_s']:.2f} s")


def speedups(values: dict[str, Any]) -> list[SpeedupPoint]:
    """The threads' and the processes' speedup over serial at this worker count ([] if none).

    A run on a Python with the GIL off is a series of its own: its threads run in parallel.
    """
    tag = ", GIL off" if "GIL off" in str(values.get("python", "")) else ""
    try:
        workers = int(values["workers"])
        return [SpeedupPoint(f"threads{tag}", workers, float(values["threads_speedup"])),
                SpeedupPoint(f"processes{tag}", workers, float(values["processes_speedup"]))]
    except (KeyError, TypeError, ValueError):
        return []


LESSON = Lesson(
    id="gil_cpu_bound",
    title="The GIL: CPU-bound threads vs processes",
    summary="The same pure-Python work serially, on N threads and on N processes.",
    section="Beyond",
    text=LessonText(
        watch="Three phases. Serial: one row counts, one core busy. Threads: N rows all look "
        "busy, yet the CPU-share plot shows them splitting one core between them (about 100 % "
        "in total) and the phase takes as long as serial. Processes: N worker rows, each at "
        "about 100 %, every core busy, and the phase takes 1/N of the time (up to the cores). "
        "Then zoom into the threads phase to ~50 ms: the 'on CPU / GIL' lane under the rows "
        "shows, in each thread's colour, who was on a CPU millisecond by millisecond; the baton "
        "passes every switch interval, and each thread row is running, then runnable (waiting "
        "for the GIL) while the other runs. In the processes phase both tracks fill at once.",
        try_="Set workers to 1: all three take the same time. Set it to the number of cores, then "
        "twice that: processes stop getting faster once every core is busy. Compare the "
        "'cores used' column of the table. The card says how often two or more workers were on "
        "a CPU at once, looked at every millisecond from outside (Linux): a few percent for the "
        "threads (only one holds the GIL; they overlap only as it passes), most of the time for "
        "the processes. On the process back end, set the switch interval to 50 ms: each "
        "thread's turn on a CPU (the card's handover) grows with it.",
        why="CPython's global interpreter lock (GIL) lets only one thread run Python bytecode at a "
        "time; the others wait, so CPU-bound threads take turns on one core (every switch "
        "interval). Each process has its own interpreter and its own GIL, so processes really run "
        "in parallel. Threads still help for waiting (I/O); a free-threaded build (3.13t) "
        "can remove the GIL, and the result card says which build this is. The lane is "
        "measured from outside the interpreter (the kernel's view of each thread, from a "
        "sampler process); that a thread off a CPU inside its run waits for the GIL is an "
        "inference that assumes pure-Python work: C code that lets go of the GIL (time.sleep, "
        "numpy, reading a file) runs off it, alongside the thread that holds it.",
    ),
    params=(
        int_param("workers", CORES, 1, 2 * CORES, "How many tasks, threads and worker processes "
                  "(one task each).", label="Workers"),
        int_param("work_m", 15, 1, 500, "Loop steps per task, in millions (about 20 million a "
                  "second on one core of a laptop)." + NEXT_ROUND, unit="million steps",
                  live=True, label="Work per task"),
        float_param("switch_ms", 5.0, 0.5, 100.0, "sys.setswitchinterval for the threads phase: "
                    "how long a thread may hold the GIL before it is asked to pass it on. Set in "
                    "the lesson's process, so on the process back end only (on the thread back "
                    "end it would be the window's)." + NEXT_ROUND, unit="ms", step=0.5,
                    live=True, label="Switch interval"),
        bool_param("cpu_lane", True, "Look at who is on a CPU about every millisecond, from a "
                   "sampler process, during the threads and processes phases.",
                   label="Watch the CPU, 1 ms"),
    ),
    run=run,
    code=(count, serial, on_threads, on_processes, run),
    # (the CPU lane's figures join them where it can look: threads_together_pct, ...)
    result_keys=("threads_s", "processes_s", "serial_s", "python_build"),
    headline=headline,
    speedups=speedups,
    tries=(
        Try("Set workers to 1: serial, threads and processes take about the same time.",
            ran(workers=1)),
        Try(f"Run with one worker per core ({CORES}): only the processes get faster.",
            ran(workers=CORES)),
        Try(f"Set workers to twice the cores ({2 * CORES}): the processes get no faster.",
            ran(workers=2 * CORES)),
    ),
)
