"""What a learner's unchanged script does, drawn: threading, locks, waits and sleeps, traced.

`install(lab)` patches, in the script's own process only, the names a script reaches for:
`threading.Thread` (start, end, uncaught exceptions), `_thread.start_new_thread`,
`threading.Lock` and `RLock` (waits and holds), every wait on a `threading.Condition` (which
`Event`, `Semaphore`, `Barrier` and `queue.Queue` wait on, each labelled by what waited),
`time.sleep`, and `sys.stdout`/`sys.stderr` (each line in its thread's colour); joins are
traced_joins'. Each becomes the lab's own events, so the script is drawn as a lesson is. What the
lab itself runs on (the event queue and its feeder thread) is made before the patches, and never
traced.
"""

from __future__ import annotations

import _thread
import collections
import concurrent.futures
import io
import itertools
import multiprocessing.pool
import os
import queue
import sys
import sysconfig
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from scenarios.engine.events import Line, current_worker, now_ns
from scenarios.engine.lab import Lab

_lab: Lab | None = None
_script = ""  # the script's path: where its frames are
_local = threading.local()  # .what: what the thread is waiting in (for a Condition wait's label)
_real_sleep = time.sleep
_RealLock = _thread.allocate_lock
_RealRLock = threading.RLock
# A wait is drawn in pieces this long (merged into one bar), so a long one shows as it lasts.
CHUNK_S = 0.05


def install(lab: Lab, script: str = "") -> None:
    """Trace this process's threads into `lab` from now on (call before running `script`)."""
    global _lab, _script
    _lab, _script = lab, script
    time.sleep = _sleep
    threading.Lock = _lock  # type: ignore[misc, assignment]
    threading.RLock = _rlock  # type: ignore[misc, assignment]
    _thread.start_new_thread = _start_new_thread  # type: ignore[assignment]
    _thread.start_new = _start_new_thread  # type: ignore[attr-defined]
    threading.Thread._bootstrap_inner = _bootstrap_inner(  # type: ignore[method-assign]
        threading.Thread._bootstrap_inner)
    threading.Thread.start = _start(threading.Thread.start)  # type: ignore[method-assign]
    threading.Condition.wait = _condition_wait(threading.Condition.wait)  # type: ignore
    for owner, name, label in ((threading.Event, "wait", "Event.wait"),
                               (threading.Semaphore, "acquire", "Semaphore.acquire"),
                               (threading.Barrier, "wait", "Barrier.wait"),
                               (queue.Queue, "get", "queue.get"),
                               (queue.Queue, "put", "queue.put"),
                               (multiprocessing.pool.Pool, "map", "Pool.map"),
                               (multiprocessing.pool.Pool, "starmap", "Pool.starmap"),
                               (multiprocessing.pool.Pool, "apply", "Pool.apply"),
                               (multiprocessing.pool.Pool, "join", "Pool.join"),
                               (multiprocessing.pool.Pool, "terminate", "Pool.terminate"),
                               (multiprocessing.pool.ApplyResult, "get", "AsyncResult.get"),
                               (concurrent.futures.Future, "result", "Future.result")):
        setattr(owner, name, _waiting_in(getattr(owner, name), label))
    threading.excepthook = _excepthook
    threading.enumerate = _without_ours(threading.enumerate)  # type: ignore[assignment]
    threading.active_count = lambda: len(threading.enumerate())  # type: ignore[assignment]
    threading.activeCount = threading.active_count  # type: ignore[attr-defined]
    sys.stdout = LineWriter(lab, "stdout")
    sys.stderr = LineWriter(lab, "stderr")


def _without_ours(original: Callable[[], list[threading.Thread]]
                  ) -> Callable[[], list[threading.Thread]]:
    """`threading.enumerate()` as under plain python: without the lab's own threads.

    The script's process also has a thread reading what is typed for its stdin, and the one
    that sends its events; a script that counts its threads must not count them.
    """
    def enumerate_() -> list[threading.Thread]:
        sender = getattr(getattr(_lab, "child", None), "queue", None)
        ours = getattr(sender, "_thread", None)  # the event queue's feeder
        return [thread for thread in original()
                if thread is not ours and not thread.name.startswith(LAB_THREAD)]
    return enumerate_


# The lab's own threads in a script's process are named so (lab-stdin, lab-leave).
LAB_THREAD = "lab-"


def busy() -> bool:
    """True inside the tracer's own work (what it waits on is not the script's)."""
    return getattr(_local, "busy", False)


def _traced() -> Lab | None:
    """The lab, unless the calling thread is inside the tracer already (its own waits)."""
    return None if getattr(_local, "busy", False) else _lab


def forget_threads() -> None:
    """In a forked child: the forking thread's tracer state starts afresh."""
    global _local
    _local = threading.local()


def real_lock() -> Any:
    """A plain lock, never traced (for the lab's own waits in the script's process)."""
    return _RealLock()


@contextmanager
def quiet() -> Iterator[None]:
    """The tracer's own work: nothing it waits on is traced."""
    _local.busy = True
    try:
        yield
    finally:
        _local.busy = False


def record(kind: str, start: int, label: str, merge: bool = False) -> None:
    """Draw a span of the calling thread from `start` to now (unless the tracer is busy)."""
    lab = _traced()
    if lab is not None:
        with quiet():
            lab.record_span(kind, start, label, merge)


def waited(kind: str, label: str, attempt: Callable[[float], bool],
           timeout: float | None = None) -> bool:
    """Wait by `attempt(seconds)` (True once done) for up to `timeout` s (None: no limit).

    Drawn as it goes: a wait that lasts (a deadlock) grows its bar on screen.
    """
    lab = _traced()
    if lab is not None:
        with quiet():
            lab.flush()
    deadline = None if timeout is None else time.monotonic() + timeout
    start = now_ns()
    while True:
        step = CHUNK_S if deadline is None else min(CHUNK_S, deadline - time.monotonic())
        done = step > 0 and attempt(step)
        record(kind, start, label, merge=True)  # merged: one bar, sent as it grows
        if done or step <= 0 or (deadline is not None and time.monotonic() >= deadline):
            return done
        start = now_ns()


def _sleep(seconds: float) -> None:
    """`time.sleep`, drawn as a sleep bar."""
    if seconds < CHUNK_S or _traced() is None:
        start = now_ns()
        _real_sleep(seconds)
        record("sleep", start, f"sleep {seconds:g} s", merge=True)
        return
    waited("sleep", f"sleep {seconds:g} s", lambda step: _real_sleep(step) or False, seconds)


def maker(skip: tuple[str, ...] = ()) -> str | None:
    """Where the script made a lock ('line 12', 'helper.py:3'); None if Python's own code did.

    The first frame outside the tracer (and the files in `skip`, a lock factory's) decides.
    A lock inside an Event, a Queue or a Thread is Python's: its waits are drawn as the
    Event's or the Queue's, and its holds would only clutter the rows.
    """
    frame = sys._getframe(1)
    while frame is not None and (frame.f_code.co_filename in _OURS + skip):
        frame = frame.f_back
    if frame is None:
        return None
    where = frame.f_code.co_filename
    if where == _script:
        return f"line {frame.f_lineno}"
    if where.startswith(_LIBRARIES) or where.startswith("<frozen"):
        return None
    return f"{os.path.basename(where)}:{frame.f_lineno}"


# The tracer's own files: never where a script made something.
_OURS = (__file__, os.path.join(os.path.dirname(__file__), "traced_processes.py"))
_LIBRARIES = tuple({sysconfig.get_paths()[name] for name in ("stdlib", "platstdlib", "purelib",
                                                               "platlib")})


class TracedLock:
    """A lock whose waits and holds are drawn; it behaves as the lock it wraps."""

    def __init__(self, lock: Any, name: str) -> None:
        self._lock = lock
        self.name = name
        self._since: dict[int, int] = {}

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        """As Lock.acquire: a wait for it is drawn when it was not free."""
        if self._lock.acquire(False):
            self._took()
            return True
        if not blocking:
            return False
        taken = waited("wait_lock", f"wait {self.name}", lambda step: self._lock.acquire(
            True, step), None if timeout < 0 else timeout)
        if taken:
            self._took()
        return taken

    def _took(self) -> None:
        self._since.setdefault(threading.get_ident(), now_ns())

    def release(self) -> None:
        """As Lock.release: the hold is drawn."""
        start = self._since.pop(threading.get_ident(), None)
        self._lock.release()
        if start is not None:
            record("hold_lock", start, f"hold {self.name}", merge=True)

    def locked(self) -> bool:
        """As Lock.locked."""
        return self._lock.locked()

    def __enter__(self) -> bool:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()

    def __repr__(self) -> str:
        return f"<traced {self._lock!r} ({self.name})>"


class TracedRLock(TracedLock):
    """A re-entrant lock, drawn: its hold lasts from the first acquire to the last release."""

    def __init__(self, name: str) -> None:
        super().__init__(_RealRLock(), name)
        self._depth: dict[int, int] = {}

    def _took(self) -> None:
        me = threading.get_ident()
        self._depth[me] = self._depth.get(me, 0) + 1
        super()._took()

    def release(self) -> None:
        """As RLock.release: the hold is drawn when the last level is let go."""
        me = threading.get_ident()
        self._depth[me] = self._depth.get(me, 1) - 1
        if self._depth[me] > 0:
            self._lock.release()
            return
        del self._depth[me]
        super().release()

    # What threading.Condition uses to let an RLock go entirely while it waits.
    def _release_save(self) -> Any:
        self._depth.pop(threading.get_ident(), None)
        start = self._since.pop(threading.get_ident(), None)
        if start is not None:
            record("hold_lock", start, f"hold {self.name}", merge=True)
        return self._lock._release_save()

    def _acquire_restore(self, state: Any) -> None:
        self._lock._acquire_restore(state)
        self._depth[threading.get_ident()] = state[0] if isinstance(state, tuple) else 1
        self._since[threading.get_ident()] = now_ns()

    def _is_owned(self) -> bool:
        return self._lock._is_owned()


def _lock() -> Any:
    """`threading.Lock()`: the script's traced, numbered and named by the line that made it."""
    made = maker()
    return _RealLock() if made is None else \
        TracedLock(_RealLock(), f"Lock {next(_made)} ({made})")


def _rlock(*args: Any, **kwargs: Any) -> Any:
    """`threading.RLock()`: the script's traced."""
    made = maker()
    return _RealRLock() if made is None else TracedRLock(f"RLock {next(_made)} ({made})")


_made = itertools.count(1)


def _start(original: Callable[[threading.Thread], None]) -> Callable[[threading.Thread], None]:
    """`Thread.start`: its short wait for the new thread to begin is not the script's."""
    def start(self: threading.Thread) -> None:
        with quiet():
            original(self)
    return start


def _bootstrap_inner(original: Callable[[threading.Thread], None]) -> Callable[..., None]:
    """Every thread marks its start and end on its row, from inside itself."""
    def bootstrap_inner(self: threading.Thread) -> None:
        lab = _traced()
        if lab is None or _internal(self):
            _local.busy = True  # a thread of Python's own machinery: none of it is drawn
            original(self)
            return
        self.run = marked(lab, self.run)  # type: ignore[method-assign]
        original(self)
    return bootstrap_inner


def marked(lab: Lab, body: Callable[[], Any],
           started: Callable[[], None] = lambda: None) -> Callable[[], None]:
    """`body`, marking its start and end on the calling thread's row and sending what it drew.

    `started` runs after the start mark (a child process sends it at once).
    """
    def traced() -> None:
        lab.mark("started")
        started()
        try:
            body()
        finally:
            lab.mark("finished")
            with quiet():
                lab.flush_thread()  # before a process's exit closes the event queue
    return traced


# Threads of these modules are multiprocessing's and concurrent.futures' own (a queue's feeder,
# a pool's handlers): the script did not start them, and tracing them could wait on themselves.
_MACHINERY = ("multiprocessing.", "concurrent.futures.process")


def _internal(thread: threading.Thread) -> bool:
    """True for a thread that Python's own machinery started."""
    target = getattr(thread, "_target", None)
    module = getattr(target, "__module__", None) or type(thread).__module__
    return module.startswith(_MACHINERY)


def _start_new_thread(function: Callable[..., Any], args: tuple, kwargs: Any = None) -> int:
    """`_thread.start_new_thread`, its thread marked on its row as it starts and ends."""
    return _real_start_new_thread(marked(_lab, lambda: function(*args, **(kwargs or {}))), ())


_real_start_new_thread = _thread.start_new_thread


def _waiting_in(original: Callable[..., Any], label: str) -> Callable[..., Any]:
    """A blocking call whose Condition waits are labelled with its name ('queue.get')."""
    def call(*args: Any, **kwargs: Any) -> Any:
        outer = getattr(_local, "what", None)
        _local.what = outer or label
        try:
            return original(*args, **kwargs)
        finally:
            _local.what = outer
    return call


def what_waits(default: str) -> str:
    """What the calling thread waits in ('queue.get', 'Pool.join') if it said; else `default`."""
    return getattr(_local, "what", None) or default


def _condition_wait(original: Callable[..., bool]) -> Callable[..., bool]:
    """`Condition.wait`: the time blocked, drawn, named by what waited (Event.wait, queue.get)."""
    def wait(self: threading.Condition, timeout: float | None = None) -> bool:
        if _traced() is None:
            return original(self, timeout)
        # In pieces: between two, this thread holds the condition's lock, so no notify is missed.
        return waited("blocked", what_waits("Condition.wait"), lambda step: original(self, step),
                      timeout)
    return wait


def _excepthook(args: Any) -> None:
    """An uncaught exception in a thread: its traceback in red on that thread's console lines."""
    if args.exc_type is SystemExit or _lab is None:
        return
    report(_lab, args.exc_value, None)


def report(lab: Lab, exc: BaseException, script: str | None) -> None:
    """An exception's traceback as stderr lines, from the script's first frame (as Python shows)."""
    tb = exc.__traceback__
    while script and tb is not None and tb.tb_frame.f_code.co_filename != script:
        tb = tb.tb_next
    text = "".join(traceback.format_exception(type(exc), exc, tb or exc.__traceback__))
    with quiet():
        for line in text.rstrip("\n").split("\n"):
            lab.print(line, stream="stderr")
        lab.mark(f"exception: {type(exc).__name__}")


class LineWriter(io.TextIOBase):
    """sys.stdout or sys.stderr: each complete line goes to the console as its thread's line.

    A script that prints faster than LINES_PER_S a second has the excess held back: each
    second, a note says how many lines were not shown, then the last few of them follow (so a
    flood's end, its last words, is always seen).
    """

    def __init__(self, lab: Lab, stream: str) -> None:
        super().__init__()
        self._lab = lab
        self._stream = stream
        self._partial = threading.local()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        """What print encodes to: text stays text here."""
        return "utf-8"

    def writable(self) -> bool:
        """Yes."""
        return True

    def write(self, text: str) -> int:
        """Send each complete line; keep a partial one for the thread's next write."""
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        pending = getattr(self._partial, "text", "") + text
        *lines, self._partial.text = pending.split("\n")
        with quiet():
            for line in lines:
                _flood.line(self._lab, line, self._stream)
        return len(text)

    def flush(self) -> None:
        """Send a partial line as it is (a prompt before input())."""
        pending = getattr(self._partial, "text", "")
        if pending:
            self._partial.text = ""
            with quiet():
                _flood.line(self._lab, pending, self._stream)


# A script may print this many lines a second (a burst of as many at once) before the rest
# is held back; the console shows the last 5,000 anyway.
LINES_PER_S = 5000
# Of the lines held back in a second, the last this many are shown after the note.
FLOOD_TAIL = 20


class Flood:
    """Counts the lines a process prints each second; past LINES_PER_S, holds the rest back."""

    def __init__(self) -> None:
        self._second = 0
        self._sent = 0
        self._held = 0
        self._tail: collections.deque[tuple[Any, str, str]] = collections.deque(
            maxlen=FLOOD_TAIL)

    def line(self, lab: Lab, text: str, stream: str) -> None:
        """Send a printed line, or hold it back if this second's share is used up."""
        second = int(time.monotonic())
        if second != self._second:
            self._second, self._sent = second, 0
            self.settle(lab)
        if self._sent < LINES_PER_S:
            self._sent += 1
            lab.print(text, stream=stream)
            return
        self._held += 1
        self._tail.append((current_worker(), text, stream))

    def settle(self, lab: Lab) -> None:
        """Say how many lines were held back, then send the last of them.

        At a second's end, and when the script ends.
        """
        if not self._held:
            return
        shown = len(self._tail)
        lab.print(f"… {self._held - shown:,} lines not shown: printed faster than "
                  f"{LINES_PER_S:,} a second (the last {shown} follow)", stream="lab")
        for worker, text, stream in self._tail:
            lab.emit(Line(worker, now_ns(), text, stream))
        self._held = 0
        self._tail.clear()


_flood = Flood()


def settle_output() -> None:
    """At the script's end: the lines still held back are accounted for."""
    if _lab is not None:
        with quiet():
            sys.stdout.flush()
            sys.stderr.flush()
            _flood.settle(_lab)
