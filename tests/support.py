"""Helpers the test packages share (test files import this module, never each other).

Leftovers: a child process or thread a test started and left running fails it (DESIGN: after a
stop there is no orphan process and no running thread of the run). Runs: a lesson run to its end,
and the checks every lesson's tests share (Stop ends a run within a second; a run at its parameters
finishes cleanly with every result key), written once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

import psutil

from scenarios.engine import backends, probe
from scenarios.engine.events import Event, Line, Result, now_ns
from scenarios.engine.spawning import is_resource_tracker
from scenarios.lessons import catalogue
from scenarios.model.lesson import Lesson

# Threads and processes of a run end just after the run reports its end (the runner thread sets
# `ended` in its last lines; pool workers are reaped by their pool). Two seconds is ample for that
# on a loaded two-core machine, and short enough not to slow the suite.
LEFTOVER_GRACE_S = 2.0
POLL_S = 0.02


def child_processes() -> list[psutil.Process]:
    """Every descendant of this test process (zombies too) except the resource tracker."""
    return [p for p in psutil.Process().children(recursive=True) if not is_resource_tracker(p)]


def leftovers(threads_before: set[threading.Thread], pids_before: set[int],
              grace_s: float = LEFTOVER_GRACE_S) -> tuple[list[threading.Thread],
                                                           list[psutil.Process]]:
    """Threads and processes started since the snapshot that are still alive after grace_s."""
    deadline = time.monotonic() + grace_s
    while True:
        threads = [t for t in threading.enumerate() if t not in threads_before and t.is_alive()]
        procs = [p for p in child_processes() if p.pid not in pids_before]
        if (not threads and not procs) or time.monotonic() > deadline:
            return threads, procs
        time.sleep(POLL_S)


def new_run(lesson_id: str, params: Mapping[str, Any], backend: str,
            **kwargs: Any) -> backends.Run:
    """A run (not started) of the lesson with this id, as the CLI and the window make one."""
    return backends.make_run(catalogue.get(lesson_id), params, backend, **kwargs)


def plain_text(rich: str) -> str:
    """Rich text as the reader sees it (Qt imported here: the headless tests never call it)."""
    from PySide6.QtGui import QTextDocument

    doc = QTextDocument()
    doc.setHtml(rich)
    return doc.toPlainText().replace("\xa0", " ").replace("\u2028", " ")


def run_in_window(qtbot: Any, window: Any, lesson_id: str, backend: str,
                  assignments: list[str], timeout_ms: int = 60_000) -> Result:
    """Select, set and run a lesson in the window, and wait for the run's end; its Result."""
    window.select(lesson_id)
    window.set_backend(backend)
    assert window.apply_assignments(assignments)
    with qtbot.waitSignal(window.run_finished, timeout=timeout_ms) as blocker:
        window.run_action.trigger()
    return blocker.args[0]


RunResult = tuple[Result, list[Event]]


def run_to_end(lesson_id: str, params: Mapping[str, Any], backend: str,
               timeout: float = 60.0) -> RunResult:
    """Run a lesson to its end; return its Result and every event it produced."""
    run = new_run(lesson_id, params, backend)
    run.start()
    try:
        assert run.wait(timeout), f"{lesson_id} on {backend} did not end within {timeout} s"
    finally:
        run.close()
    events = run.collector.drain()
    result = backends.result_of(events)
    assert result is not None, f"{lesson_id} on {backend} ended without a Result"
    return result, events


class Recorder:
    """A lab whose events land in a list, with its own stop token."""

    def __init__(self, params: dict | None = None) -> None:
        self.events: list = []
        self.stop = threading.Event()
        self.lab = probe.Lab(self.events.append, self.stop, params or {}, now_ns())

    def of(self, kind: type) -> list:
        return [e for e in self.events if isinstance(e, kind)]


# DESIGN: Stop ends a run at once; the issue allows one second from Stop to the run's end.
STOP_LIMIT_S = 1.0
# How long a lesson runs before Stop: mid-run, and quick.
RUN_BEFORE_STOP_S = 0.4
# A spawned child needs a moment to start Python and import the engine before the lesson runs;
# a loaded machine can make that seconds.
CHILD_START_TIMEOUT_S = 20.0


def check_finished(result: Result, lesson: Lesson) -> dict[str, Any]:
    """The run ended on its own, without an error, with every result key; return its values."""
    values = result.values
    assert result.error is None and not result.stopped
    assert set(lesson.result_keys) <= set(values)
    return values


def wait_until_running(run: backends.Run, seen: list) -> None:
    """Return once the lesson itself runs, not a spawned child still starting Python.

    An event from the run proves it. pool_speedup sends none during its serial loop, so for a
    child process this also accepts the lab's control thread: `_child_main` starts it just before
    the lesson.
    """
    if run.backend != "process":
        return  # the thread back end has nothing to start up
    child = psutil.Process(run.pid)
    deadline = time.monotonic() + CHILD_START_TIMEOUT_S
    while True:
        seen += run.collector.drain()
        if seen or child.num_threads() >= 2:
            return
        assert time.monotonic() < deadline, "the lesson's process did not start the lesson"
        time.sleep(0.01)


def still_running(proc: psutil.Process) -> bool:
    try:
        return proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def descendants() -> set[psutil.Process]:
    return set(child_processes())


def assert_stops_cleanly(run: backends.Run, seen: list,
                         threads_before: set[threading.Thread]) -> None:
    """Stop the run and check the promise: ended in time, says stopped, nothing left running."""
    family = descendants()  # the run's processes now, grandchildren (pool workers) included
    assert not run.finished, "the run ended before Stop; the parameters are not long enough"
    stopped_at = time.perf_counter()
    run.stop()
    ended = run.wait(STOP_LIMIT_S)
    took = time.perf_counter() - stopped_at
    assert ended, f"the run had not ended {STOP_LIMIT_S} s after Stop"
    seen += run.collector.drain()
    result = backends.result_of(seen)
    assert result is not None, "no Result after Stop"
    assert result.stopped, f"Result does not say stopped: {result}"
    assert result.error is None
    threads, procs = leftovers(threads_before, set())
    assert not threads, f"threads of the run still running: {[t.name for t in threads]}"
    assert not procs, f"processes of the run still running: {procs}"
    # A pool worker whose parent died would no longer be our descendant: check them by pid.
    alive = [p for p in family if still_running(p)]
    assert not alive, f"processes of the run outlived it (orphans?): {alive}"
    assert took < STOP_LIMIT_S


def check_stops_within_a_second(lesson_id: str, params: Mapping[str, Any],
                                backend: str) -> None:
    """Start a long run, let it run a moment, Stop it: it ends within 1 s with nothing left."""
    threads_before = set(threading.enumerate())
    run = new_run(lesson_id, params, backend)
    seen: list = []
    run.start()
    try:
        wait_until_running(run, seen)
        time.sleep(RUN_BEFORE_STOP_S)
        assert_stops_cleanly(run, seen, threads_before)
    finally:
        run.close()


def check_stop_when(lesson_id: str, params: Mapping[str, Any], backend: str,
                    ready: Callable[[list[Event]], bool], *, timeout: float | None,
                    never: str = "the run never got to the point of the Stop",
                    settle_s: float = 0.0, settle: str = "the run ended before Stop",
                    sleep_s: float = 0.0,
                    late: str = "Stop did not end the run within 1 s") -> Result:
    """Run until ready(events), optionally a while longer, then Stop: ended within 1 s, stopped.

    timeout bounds the wait for ready (None: no bound); settle_s waits on the run (it must not
    end meanwhile), sleep_s merely sleeps. Returns the stopped run's Result.
    """
    run = new_run(lesson_id, params, backend)
    run.start()
    try:
        events: list[Event] = []
        deadline = None if timeout is None else time.monotonic() + timeout
        while not ready(events):
            if deadline is not None:
                assert time.monotonic() < deadline, never
            assert not run.wait(0.05)
            events += run.collector.drain()
        if settle_s:
            assert not run.wait(settle_s), settle
        if sleep_s:
            time.sleep(sleep_s)
        run.stop()
        assert run.wait(STOP_LIMIT_S), late
    finally:
        run.close()  # if it failed, end it anyway, so later tests start clean
    result = backends.result_of(events + run.collector.drain())
    assert result is not None and result.stopped
    return result


def traced(path: str, *argv: str, stdin: str = "", timeout: float = 20.0) -> RunResult:
    """Run a script traced (scripts.ScriptRun) to its end: its Result and every event."""
    from scenarios.engine.scripts import ScriptRun

    run = ScriptRun(path, list(argv), stdin)
    run.start()
    assert run.wait(timeout), f"{path} did not end within {timeout} s"
    events = run.collector.drain()
    result = backends.result_of(events)
    assert result is not None, f"{path} ended without a Result"
    return result, events


def printed(events: list[Event]) -> list[tuple[str, str, str]]:
    """(thread, stream, text) of each console line among the events."""
    return [(e.worker.name, e.stream, e.text) for e in events if isinstance(e, Line)]
