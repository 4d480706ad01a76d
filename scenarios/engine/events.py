"""The event records a run produces: small, picklable, stamped by one clock for every process."""

from __future__ import annotations

import os
import threading
import time
from typing import Any, NamedTuple

# time.perf_counter_ns reads CLOCK_MONOTONIC on Linux (and the system-wide equivalents on
# Windows and macOS), so stamps taken in different processes of one machine line up.
now_ns = time.perf_counter_ns


class Worker(NamedTuple):
    """Who did something: process id, native thread id, and a readable name."""

    pid: int
    tid: int
    name: str


class Span(NamedTuple):
    """A stretch of time a worker spent in one state (running, sleeping, waiting, ...)."""

    worker: Worker
    kind: str
    start: int
    end: int
    label: str


class Mark(NamedTuple):
    """A moment worth a tick on the timeline: started, joined, exception, done."""

    worker: Worker
    time: int
    label: str


class Line(NamedTuple):
    """One console line from a worker; stream is 'stdout', 'stderr' or 'lab' (the lab's own)."""

    worker: Worker
    time: int
    text: str
    stream: str


class Metric(NamedTuple):
    """A named measured value at a moment: a counter, a queue depth, a core's use."""

    name: str
    time: int
    value: float


class Table(NamedTuple):
    """A small table a lesson shows live (e.g. the threads alive); the newest one is drawn."""

    name: str
    time: int
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]


CHANGE_ARROW = " → "
# The span kind of a thread parked at a switch point in step mode, waiting for the learner.
PARKED = "parked"


class Explained(RuntimeError):
    """An error whose message is written for the learner: shown as it is, with no traceback."""


def change_label(name: str, old: Any, new: Any) -> str:
    """How a live parameter's change is written on the timeline and in the console."""
    return f"{name}: {old}{CHANGE_ARROW}{new}"


class Result(NamedTuple):
    """The lesson's outcome, or the error that ended it."""

    time: int
    values: dict[str, Any]
    error: str | None
    stopped: bool


Event = Span | Mark | Line | Metric | Table | Result
EVENT_TYPES = {Span: "span", Mark: "mark", Line: "line", Metric: "metric", Table: "table",
               Result: "result"}


# Each thread's Worker, made once: every span and line names its thread, and building the Worker
# (pid, native id, name) each time would be much of a span's cost.
_workers = threading.local()
os.register_at_fork(after_in_child=lambda: _workers.__dict__.clear())  # the forking thread's


def current_worker() -> Worker:
    """The calling thread as a Worker; the process's main thread is named after the process."""
    cached = getattr(_workers, "cached", None)  # (thread, its name then, Worker)
    if cached is not None and cached[0].name == cached[1]:  # a renamed thread gets a new Worker
        return cached[2]
    thread = threading.current_thread()
    name = thread.name
    shown = _process_name() if thread is threading.main_thread() else name
    worker = Worker(os.getpid(), threading.get_native_id(), shown)
    _workers.cached = (thread, name, worker)
    return worker


def _process_name() -> str:
    import multiprocessing

    name = multiprocessing.current_process().name
    if name == "MainProcess":
        return "main"
    _, found, number = name.rpartition("PoolWorker-")
    number = number.rpartition(":")[2]  # a pool made in a child is named like ...Worker-1:2
    return f"pool worker {number}" if found and number.isdigit() else name


def count_by_type(events: list[Event]) -> dict[str, int]:
    """How many events of each type a list holds (for the CLI's summary)."""
    counts = dict.fromkeys(EVENT_TYPES.values(), 0)
    for event in events:
        kind = EVENT_TYPES.get(type(event))
        if kind:
            counts[kind] += 1
    return counts
