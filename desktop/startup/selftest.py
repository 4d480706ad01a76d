"""`--selftest`: run every lesson headless, small, on the thread and process back ends.

It runs inside whatever is running the app: the source tree (`python -m desktop --selftest`) or
the frozen build (`ConcurrencyLab --selftest`), so it proves that the packaged app can spawn its
worker processes, import every lesson and show every lesson's source. It is Qt-free: it needs no
display and starts before Qt is imported.

One line per check (`PASS race_counter/process 0.41 s, max 3 processes`), then
`N passed, N failed`; the exit code is 1 if any check failed.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any, TextIO

import psutil

from scenarios.engine import backends, interpreters
from scenarios.engine.events import Event
from scenarios.engine.interpreters import Interpreter
from scenarios.engine.spawning import is_resource_tracker
from scenarios.lessons import catalogue
from scenarios.lessons.quick import quick_params
from scenarios.model.lesson import Lesson

# The back ends a student's runs use off the GUI thread; `ui` needs the window's own thread.
SELFTEST_BACKENDS = ("thread", "process")
# A run that has not ended by then is a failure (a hang is what a broken frozen spawn looks like).
RUN_TIMEOUT_S = 60.0
# The processes of a run are reaped just after it reports its end; this is ample on a busy laptop.
LEFTOVER_GRACE_S = 3.0
# Process count is sampled this often during a run, to check it against the acceptance limit.
SAMPLE_S = 0.01
# Acceptance (issue 3): at most pool size + 3 processes: the app, multiprocessing's resource
# tracker, the lesson's own process (process back end) and the pool's workers. A lesson that starts
# processes of its own (lab.Process) may have those too: they show up in its events.
BASE_PROCESSES = 3
# Processes of the lab's own a lesson may ask for: the CPU lane's sampler (gil_cpu_bound).
LAB_HELPERS = {"cpu_lane": 1}
# Processes a lesson starts besides its workers: free_threading runs each candidate Python once
# to find the one it needs, and a process on another Python may start a resource tracker of its
# own. A Dask worker runs `uname -p` as it starts (platform.processor(), for its version
# report): a process of its own for a moment, each worker at once.
LESSON_HELPERS = {"free_threading": 2, "cluster_map": 2}
# Parameters that say how many worker processes a lesson starts.
WORKER_PARAMS = ("pool_size", "processes", "workers")
NOT_AVAILABLE = "is not available"


def own_children() -> list[psutil.Process]:
    """Every live descendant of this process but multiprocessing's resource tracker.

    The tracker is started once, by the first spawn-context Queue or Lock, and lives until the app
    ends (its pipe closes then): it is not a process of any run.
    """
    found = []
    for proc in psutil.Process().children(recursive=True):
        with contextlib.suppress(psutil.Error):
            if proc.status() != psutil.STATUS_ZOMBIE and not is_resource_tracker(proc):
                found.append(proc)
    return found


class ProcessCounter:
    """Samples how many processes this app has (itself and every descendant) while a run goes."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, name="selftest-counter", daemon=True)

    def _sample(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            with contextlib.suppress(psutil.Error):
                self.peak = max(self.peak, 1 + len(me.children(recursive=True)))
            self._stop.wait(SAMPLE_S)

    def __enter__(self) -> ProcessCounter:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def process_limit(params: Mapping[str, Any], started: int = 0, lesson_id: str = "") -> int:
    """The most processes a run may have at once, given its parameters.

    `started` is how many processes the lesson reported starting (workers seen in its events); a
    frozen app that re-runs itself instead of a worker makes processes that report nothing.
    """
    workers = max((int(params[name]) for name in WORKER_PARAMS if name in params), default=0)
    helpers = sum(count for name, count in LAB_HELPERS.items() if params.get(name))
    helpers += LESSON_HELPERS.get(lesson_id, 0)
    return max(workers, started) + BASE_PROCESSES + helpers


def lesson_processes(events: list[Event], runner_pid: int | None) -> int:
    """How many processes besides the app and the lesson's own process sent events."""
    pids = {event.worker.pid for event in events if hasattr(event, "worker")}
    return len(pids - {0, os.getpid(), runner_pid})


def wait_for_no_children(grace_s: float = LEFTOVER_GRACE_S) -> list[psutil.Process]:
    """Wait until this process has no children left; return any that remain after grace_s."""
    deadline = time.monotonic() + grace_s
    while True:
        left = own_children()
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.02)


def check_run(lesson: Lesson, backend: str, python: Interpreter | None = None
              ) -> tuple[bool, str]:
    """Run one lesson on one back end (its process on `python`, if named); (passed, detail)."""
    run = backends.make_run(lesson, quick_params(lesson), backend, python=python)
    with ProcessCounter() as counter:
        run.start()
        try:
            ended = run.wait(RUN_TIMEOUT_S)
        finally:
            run.close()
        left = wait_for_no_children()
    if not ended:
        return False, f"did not end within {RUN_TIMEOUT_S:.0f} s"
    events = run.collector.drain()
    result = backends.result_of(events)
    limit = process_limit(run.params, lesson_processes(events, getattr(run, "pid", None)),
                          lesson.id)
    if result is None:
        return False, "ended without a result"
    if result.error:
        return False, result.error
    if result.stopped:
        return False, "stopped before the end"
    missing = [key for key in lesson.result_keys if key not in result.values]
    if missing:
        return False, f"result lacks {', '.join(missing)}"
    if python is not None and result.values.get("python") != python.label:
        return False, f"ran on {result.values.get('python')}, not {python.label}"
    if left:
        return False, f"left {len(left)} process(es) behind: {[p.pid for p in left]}"
    if counter.peak > limit:
        return False, f"{counter.peak} processes at once, more than {limit}"
    return True, f"max {counter.peak} processes"


def check_source(lesson: Lesson) -> tuple[bool, str]:
    """The code view's text for the lesson: its real source, not a placeholder."""
    source = lesson.source()
    if NOT_AVAILABLE in source:
        return False, "source code not found (are the lesson .py files shipped?)"
    return True, f"{len(source.splitlines())} lines of source"


def timed(check: Callable[[], tuple[bool, str]]) -> tuple[bool, str, float]:
    """Run a check, turning an exception into a failure, and time it."""
    t = time.perf_counter()
    try:
        passed, detail = check()
    except Exception as exc:  # a broken check is a failure line, never a traceback
        passed, detail = False, f"{type(exc).__name__}: {exc}"
    return passed, detail, time.perf_counter() - t


def run_selftest(out: TextIO | None = None, python: Interpreter | None = None) -> int:
    """Run every check, print one line each and a summary; 0 if all passed, else 1.

    With `python` (another Python), the lessons' processes run there: the process back end only.
    """
    out = out or sys.stdout
    on_other = python is not None and not python.is_bundled
    kinds = ("process",) if on_other else SELFTEST_BACKENDS
    where = f" on {python.label}" if on_other and python is not None else ""
    passed = failed = 0

    def report(name: str, ok: bool, detail: str, seconds: float) -> None:
        nonlocal passed, failed
        passed, failed = passed + ok, failed + (not ok)
        print(f"{'PASS' if ok else 'FAIL'} {name} {seconds:.2f} s, {detail}", file=out, flush=True)

    try:
        lessons = catalogue.lessons()
    except Exception as exc:  # a lesson module that cannot be imported fails the whole test
        print(f"FAIL catalogue: {type(exc).__name__}: {exc}", file=out, flush=True)
        print("0 passed, 1 failed", file=out, flush=True)
        return 1
    for lesson in lessons:
        report(f"{lesson.id}/source", *timed(lambda lesson=lesson: check_source(lesson)))
        lacking = interpreters.missing(python, lesson.needs) if on_other and python else []
        if lacking:  # not the lab's to check: that Python's own packages
            print(f"SKIP {lesson.id}/process{where}: it needs {', '.join(lacking)}, which "
                  "that Python lacks", file=out, flush=True)
            continue
        for backend in kinds:
            ok, detail, seconds = timed(lambda lesson=lesson, b=backend: check_run(lesson, b,
                                                                                   python))
            report(f"{lesson.id}/{backend}{where}", ok, detail, seconds)
    left = wait_for_no_children()
    if left:
        report("cleanup", False, f"processes left: {[p.pid for p in left]}", 0.0)
    print(f"{passed} passed, {failed} failed", file=out, flush=True)
    return 1 if failed else 0
