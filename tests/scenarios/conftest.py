"""Shared fixtures for the headless engine tests (no Qt here).

Every test is checked for leftovers: a child process or a thread that the test started and that
is still there shortly after it ends fails the test (DESIGN: after a stop there is no orphan
process and no running thread of the run).
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import psutil
import pytest

from scenarios import backends
from scenarios.events import Event, Result

# Threads and processes of a run end just after the run reports its end (the runner thread sets
# `ended` in its last lines; pool workers are reaped by their pool). Two seconds is ample for that
# on a loaded two-core machine, and short enough not to slow the suite.
LEFTOVER_GRACE_S = 2.0
POLL_S = 0.02


def is_resource_tracker(proc: psutil.Process) -> bool:
    """True for multiprocessing's resource tracker: started once per process, lives until exit.

    It is multiprocessing's own helper (spawn starts it for the first Queue or Lock), not a
    process of any run, so it is not a leftover.
    """
    with contextlib.suppress(psutil.Error):
        return any("resource_tracker" in part for part in proc.cmdline())
    return False


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


@pytest.fixture(autouse=True)
def no_leftovers() -> Iterator[None]:
    """Fail the test if it leaves a thread or a child process running."""
    threads_before = set(threading.enumerate())
    pids_before = {p.pid for p in child_processes()}
    yield
    threads, procs = leftovers(threads_before, pids_before)
    for proc in procs:  # contain the damage, so later tests start clean
        with contextlib.suppress(psutil.Error):
            proc.kill()
    psutil.wait_procs(procs, timeout=2)
    problems = []
    if threads:
        problems.append("threads still running: " + ", ".join(
            f"{t.name} (daemon={t.daemon})" for t in threads))
    if procs:
        problems.append("child processes still running: " + ", ".join(
            str(p.pid) for p in procs))
    if problems:
        pytest.fail("; ".join(problems), pytrace=False)


RunResult = tuple[Result, list[Event]]


def run_to_end(lesson_id: str, params: Mapping[str, Any], backend: str,
               timeout: float = 60.0) -> RunResult:
    """Run a lesson to its end; return its Result and every event it produced."""
    run = backends.make_run(lesson_id, params, backend)
    run.start()
    try:
        assert run.wait(timeout), f"{lesson_id} on {backend} did not end within {timeout} s"
    finally:
        run.close()
    events = run.collector.drain()
    result = backends.result_of(events)
    assert result is not None, f"{lesson_id} on {backend} ended without a Result"
    return result, events


@pytest.fixture
def run_lesson() -> Callable[..., RunResult]:
    """A function that runs a lesson to its end, given its id, params and backend."""
    return run_to_end
