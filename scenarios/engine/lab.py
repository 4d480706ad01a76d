"""A lesson's lab inside one process: events, sleeps, spans, locks and threads; and StopRun."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from scenarios.engine.events import (
    PARKED,
    Event,
    Explained,
    Line,
    Mark,
    Metric,
    Span,
    Table,
    Worker,
    current_worker,
    now_ns,
)
from scenarios.engine.merging import SpanMerger
from scenarios.engine.sink import FLUSH_INTERVAL_S
from scenarios.engine.spawning import joined_within, spawn_context

# Lock and join waits wake this often to look at the stop token: short enough that Stop feels
# instant (well under the 1 s promise), long enough to cost nothing while waiting.
POLL_S = 0.05
# A sleep this short neither flushes first nor waits on the stop token: it ends before a waiting
# batch would be due, and Stop is seen as it ends (so the deck's time.sleep(0.01) costs no more).
SHORT_SLEEP_S = FLUSH_INTERVAL_S


class StopRun(BaseException):
    """Raised in a lesson when Stop was pressed (a BaseException: `except Exception` misses it).

    A lesson may set `values` on it before it goes on up: what it counted until Stop.
    """

    values: dict = {}  # read only here: a lesson sets its own on the instance


class SpanBlock:
    """`with lab.span(...)`, as a plain class.

    A generator-based context manager costs twice as much per span, and a lesson may record
    100,000 of them.
    """

    __slots__ = ("lab", "kind", "label", "merge", "start")

    def __init__(self, lab: Lab, kind: str, label: str, merge: bool) -> None:
        self.lab, self.kind, self.label, self.merge = lab, kind, label, merge
        self.start = 0

    def __enter__(self) -> None:
        self.start = now_ns()

    def __exit__(self, *_exc: object) -> None:
        self.lab.record_span(self.kind, self.start, self.label, self.merge)


class Channel(Protocol):
    """The way back to the run from a child process (a probe.ChildProbe): it opens a lab there."""

    def open(self, params: Mapping[str, Any] | None = None) -> tuple[Lab, Any]: ...  # noqa: D102


class Lab:
    """A running lesson's view of the lab: emits events, honours Stop, reads live parameters."""

    def __init__(
        self,
        emit: Callable[[Event], None],
        stop: Any,
        params: Mapping[str, Any],
        t0: int,
        child: Channel | Callable[[], Channel] | None = None,
        flush: Callable[[], None] | None = None,
    ) -> None:
        self.emit = emit
        self.stop_token = stop
        self._params = params
        self.t0 = t0
        self._child = child
        self._flush = flush or (lambda: None)
        self.locks: list[LabLock] = []  # every lab lock made in this run, for watchdogs
        self.processes: list[Any] = []  # every lab.Process, ended with the run if still alive
        self._local = threading.local()
        self.main_worker: Worker | None = None  # the thread the lesson's run() is called on
        self.stepper: Any = None  # step mode's scheduler (a stepping.Stepper), or None
        # Put before every metric's name: two processes running the same code plot apart.
        self.metric_prefix = ""

    @property
    def child(self) -> Channel | None:
        """The channel child processes report through (opened on first use)."""
        if callable(self._child):
            self._child = self._child()
        return self._child

    def open_child(self) -> Channel:
        """The channel for a child process to report through; RuntimeError if there is none."""
        child = self.child
        if child is None:
            raise RuntimeError("this lab has no channel for child processes")
        return child

    def flush(self) -> None:
        """Send the events queued so far (done before every wait)."""
        self._flush()

    # -- parameters and stop ----------------------------------------------------------------
    def params_now(self) -> dict[str, Any]:
        """Every parameter's value now (a child process's lab starts with these)."""
        return dict(self._params)

    def param(self, name: str) -> Any:
        """The parameter's value now: a live parameter changed mid-run is seen at the next read."""
        return self._params[name]

    @property
    def stopped(self) -> bool:
        """True once Stop was pressed."""
        return self.stop_token.is_set()

    def check(self) -> None:
        """Raise StopRun if Stop was pressed (call it in long loops)."""
        if self.stop_token.is_set():
            raise StopRun

    # -- events -----------------------------------------------------------------------------
    def print(self, *args: Any, sep: str = " ", stream: str = "stdout") -> None:
        """`print` that shows the line in the console, coloured by the thread that printed it."""
        self.emit(Line(current_worker(), now_ns(), sep.join(str(a) for a in args), stream))

    def point(self, label: str, **values: Any) -> None:
        """A switch point: in step mode the thread stops here until it is chosen to go on.

        `values` are what the thread holds here (`x=5`), shown beside its next step; one given
        as a function (`x=lambda: shared.x`) is read when shown, for a value others may change
        meanwhile. Outside step mode a point costs one attribute test.
        """
        if self.stepper is not None and self.park(label, values):
            shown = said(values)
            self.mark(f"{label}: {shown}" if shown else label)

    def park(self, label: str, values: dict[str, Any], needs: Any = None) -> bool:
        """Step mode: wait at a switch point until chosen; False if this thread is not stepped.

        What is queued goes out first: a thread may wait here for minutes. The time parked is
        drawn as waiting for the learner, over whatever the thread was doing around the point.
        """
        self._flush()
        start = now_ns()
        parked = self.stepper.point(label, values, needs, self.check)
        if parked:
            self.record_span(PARKED, start, f"waiting for you at {label}")
        return parked

    def shared(self, **values: Any) -> None:
        """Name the lesson's shared state for step mode (`x=lambda: shared.x`).

        It is shown at every step, and lets explore know two schedules that lead to the same
        state apart from two that only look alike. Outside step mode it does nothing.
        """
        if self.stepper is not None:
            self.stepper.share(values)

    def mark(self, label: str) -> None:
        """Put a tick on the calling thread's row."""
        self.emit(Mark(current_worker(), now_ns(), label))

    def metric(self, name: str, value: float) -> None:
        """Record a measured value (a counter, a depth) at this moment."""
        self.emit(Metric(self.metric_prefix + name, now_ns(), float(value)))

    def record_span(self, kind: str, start: int, label: str = "", merge: bool = False,
                    count: int = 1) -> None:
        """Record a span of the calling thread from `start` to now.

        `merge` joins close repeats, counting `count` of them for a span that stands for several.
        """
        merger = getattr(self._local, "merger", None) or self._merger()
        if merge:
            merger.add(kind, label, start, now_ns(), count)
            return
        if merger.open:  # a merged bar of this thread goes out first
            merger.flush()
        self.emit(Span(current_worker(), kind, start, now_ns(), label))

    def _merger(self) -> SpanMerger:
        merger = getattr(self._local, "merger", None)
        if merger is None:
            merger = self._local.merger = SpanMerger(self.emit)
        return merger

    def forget_threads(self) -> None:
        """In a forked child: no thread's open bars (the parent sends its own)."""
        self._local = threading.local()

    def flush_thread(self) -> None:
        """Send the calling thread's merged bar and everything queued (when a thread ends)."""
        self._merger().flush()
        self._flush()

    def span(self, kind: str, label: str = "", merge: bool = False) -> SpanBlock:
        """Draw the enclosed block on the calling thread's row as a bar of the given kind."""
        return SpanBlock(self, kind, label, merge)

    def report_exception(self, exc: BaseException) -> None:
        """Show an exception's traceback (or an explained one's words) in red; mark its row."""
        import traceback  # here: every lesson child process imports this module at its start

        said = [str(exc)] if isinstance(exc, Explained) else traceback.format_exception(exc)
        for text in said:
            for line in text.rstrip("\n").split("\n"):
                self.print(line, stream="stderr")
        self.mark(f"exception: {type(exc).__name__}")

    # -- waiting ----------------------------------------------------------------------------
    def sleep(self, seconds: float, label: str = "sleep", kind: str = "sleep") -> None:
        """`time.sleep` that also draws a bar and wakes (raising StopRun) when Stop is pressed.

        kind="io" draws it as waiting on I/O (a lesson's stand-in for a download or a disk read).
        """
        start = now_ns()
        if seconds > SHORT_SLEEP_S:
            self._flush()
            woke = self.stop_token.wait(seconds)
        else:
            # A bare sleep wakes sooner than an Event's wait, and Stop is seen right after it;
            # what is queued goes out with the next batch, at most a batch interval late.
            time.sleep(seconds)  # at 0 a pure switch point: another thread may run
            woke = self.stop_token.is_set()
        self.record_span(kind, start, label)
        if woke:
            raise StopRun

    def wait_until(self, done: Callable[[float], bool], kind: str, label: str) -> None:
        """Block (drawn as `kind`) until done(timeout) is true, waking for Stop every POLL_S."""
        start = now_ns()
        self._flush()
        try:
            while not done(POLL_S):
                self.check()
        finally:
            self.record_span(kind, start, label)

    # -- building blocks ---------------------------------------------------------------------
    def Lock(self, name: str = "lock") -> LabLock:  # noqa: N802 - mirrors threading.Lock
        """A `threading.Lock` whose waits and holds are drawn, and whose waits wake for Stop."""
        return LabLock(self, threading.Lock(), name)

    def Thread(self, *args: Any, **kwargs: Any) -> LabThread:  # noqa: N802 - mirrors threading
        """A real `threading.Thread` that also draws its start, end and errors."""
        return LabThread(self, *args, **kwargs)

    def end_processes(self) -> None:
        """End every child this lab started that is still running (at the end of a run)."""
        for process in self.processes:
            if process.is_alive():
                process.end()

    @property
    def mp(self) -> Any:
        """The multiprocessing context lessons use (spawn): `lab.mp.Value`, `.Queue`, `.Lock`."""
        return spawn_context()

    def with_stop(self, token: Any) -> Lab:
        """A lab sharing this one's events, parameters and child channel, stopped by `token`.

        Its sleeps, lock waits, joins and checks end (raising StopRun) when `token` is set; the
        token needs `is_set()` and `wait(timeout)`, like `threading.Event`. A lesson uses it to end
        threads of its own without pressing Stop (a watchdog giving up on a deadlock); the lesson
        must still set the token when this lab is stopped.
        """
        lab = type(self)(self.emit, token, self._params, self.t0, lambda: self.child, self._flush)
        lab.stepper = self.stepper
        return lab

    def table(self, name: str, columns: list[str], rows: list[list[Any]]) -> None:
        """Show a small live table (e.g. the threads alive now); the latest one is displayed."""
        self.emit(Table(name, now_ns(), tuple(columns), tuple(tuple(r) for r in rows)))


class LabLock:
    """A lock that draws `wait_lock` while waiting and `hold_lock` while held."""

    def __init__(self, lab: Lab, lock: Any, name: str) -> None:
        self._lab = lab
        self._lock = lock
        self.name = name
        self._held_since: dict[int, int] = {}
        self.owner: Worker | None = None  # who holds it now (for a deadlock watchdog)
        self.waiting: dict[int, Worker] = {}  # native thread id -> who waits for it
        # The waiters (native thread ids) that wait with a timeout: their wait ends on its own, so
        # a watchdog does not count them as stuck.
        self.timed: set[int] = set()
        lab.locks.append(self)

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        """Take the lock, as `threading.Lock.acquire`: False if not taken within the timeout.

        Waits as long as needed by default (Stop ends the wait, raising StopRun); a timeout in
        seconds (or blocking=False) gives up instead and returns False.
        """
        if self._lab.stepper is not None and self._parked():
            self._lab.mark(f"acquire {self.name}")  # chosen: the lock is free
        # Positional, so a multiprocessing lock (whose flag is `block`) can be wrapped too.
        if not self._lock.acquire(False):
            if not blocking or not self._wait(None if timeout < 0 else timeout):
                return False
        self._held_since[threading.get_ident()] = now_ns()
        self.owner = current_worker()
        return True

    def _parked(self) -> bool:
        """Step mode: wait at the point before the lock until chosen (False if not stepped).

        Meanwhile the thread counts as waiting for the lock, as it is whenever someone holds
        it: a deadlock watchdog sees the cycle as in a free run.
        """
        me = current_worker()
        self.waiting[me.tid] = me
        try:
            return self._lab.park(f"acquire {self.name}", {}, self)
        finally:
            self.waiting.pop(me.tid, None)

    def _wait(self, timeout: float | None = None) -> bool:
        me = current_worker()
        start = now_ns()
        self._lab.flush()
        self.waiting[me.tid] = me
        if timeout is not None:
            self.timed.add(me.tid)
        deadline = None if timeout is None else time.perf_counter() + timeout
        taken = False
        try:
            while not taken:
                step = POLL_S if deadline is None else min(POLL_S, deadline - time.perf_counter())
                if step <= 0:
                    break
                taken = self._lock.acquire(timeout=step)
                if not taken:
                    self._lab.check()
        finally:
            self.waiting.pop(me.tid, None)
            self.timed.discard(me.tid)
            gave_up = not taken and deadline is not None
            label = f"wait {self.name}, gave up" if gave_up else f"wait {self.name}"
            self._lab.record_span("wait_lock", start, label, merge=True)
        return taken

    def release(self) -> None:
        """Let the lock go and draw how long it was held."""
        start = self._held_since.pop(threading.get_ident(), now_ns())
        self.owner = None
        self._lock.release()
        if self._lab.stepper is not None:
            self._lab.stepper.released(self)
        self._lab.record_span("hold_lock", start, f"hold {self.name}", merge=True)

    def __enter__(self) -> LabLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


class LabThread(threading.Thread):
    """`threading.Thread` that marks start and end, shows errors, and stops quietly on Stop."""

    def __init__(self, lab: Lab, *args: Any, stepped: bool = True, **kwargs: Any) -> None:
        """As threading.Thread; stepped=False keeps a helper (a watchdog) out of step mode."""
        kwargs.setdefault("daemon", True)
        super().__init__(*args, **kwargs)
        self.lab = lab
        self.stepped = stepped
        self.exception: BaseException | None = None
        self.started_ns = 0
        self.finished_ns = 0

    def start(self) -> None:
        """Start the thread; in step mode it is numbered first, and runs to its first point."""
        if self.lab.stepper is not None and self.stepped:
            self.lab.stepper.add(self)
        super().start()

    def run(self) -> None:
        """Run the target (or the subclass's body) between a start and an end mark."""
        self.started_ns = now_ns()
        self.lab.mark("started")
        try:
            self.body()
        except StopRun:
            self.lab.mark("stopped")
        except Exception as exc:  # a lesson's thread failing is shown, not fatal
            self.exception = exc
            self.lab.report_exception(exc)
        finally:
            self.finished_ns = now_ns()
            self.lab.flush_thread()
            self.lab.mark("finished")
            if self.lab.stepper is not None and self.stepped:
                self.lab.stepper.leave()

    def body(self) -> None:
        """The thread's work: the target by default; subclasses may override like `run`."""
        super().run()

    def join(self, timeout: float | None = None) -> None:
        """Wait for the thread, drawn as `blocked` on the caller's row; Stop ends the wait."""
        if timeout is not None:
            super().join(timeout)
            return
        stepper = self.lab.stepper if self.stepped else None
        with (stepper.waiting(f"join {self.name}", self._stepped_out, self)
              if stepper is not None else contextlib.nullcontext()):
            self.lab.wait_until(self._ended_within, "blocked", f"join {self.name}")
        self.lab.mark(f"joined {self.name}")

    def _stepped_out(self) -> bool:
        """In step mode: True once this thread has ended (its joiner then goes on)."""
        part = self.lab.stepper.part_of(self)
        return part is None or part.state == "done" or not self.is_alive()

    def _ended_within(self, timeout: float) -> bool:
        return joined_within(self, timeout)  # join with a timeout: threading's own join


_current: Lab | None = None


def read_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """Values as they are now: one given as a function (`x=lambda: shared.x`) is read."""
    return {name: value() if callable(value) else value for name, value in values.items()}


def said(values: Mapping[str, Any]) -> str:
    """Values a thread holds at a point, as shown: 'x = 1, y = 2' (a function is read now)."""
    return ", ".join(f"{name} = {value}" for name, value in read_values(values).items())


def install(lab: Lab | None) -> None:
    """Make `lab` this process's current lab (pool workers find it with `current()`)."""
    global _current
    _current = lab


def current() -> Lab:
    """This process's lab (set by the runner, or by a pool worker's initializer)."""
    if _current is None:
        raise RuntimeError("no lab is running in this process")
    return _current
