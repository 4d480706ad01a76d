"""Shared fixtures for the headless engine tests (no Qt here).

Every test is checked for leftovers: a child process or a thread that the test started and that
is still there shortly after it ends fails the test (DESIGN: after a stop there is no orphan
process and no running thread of the run).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator

import psutil
import pytest

from tests.support import RunResult, child_processes, leftovers, run_to_end


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


@pytest.fixture
def run_lesson() -> Callable[..., RunResult]:
    """A function that runs a lesson to its end, given its id, params and backend."""
    return run_to_end
