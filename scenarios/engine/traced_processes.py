"""The processes a traced script starts itself (fork or spawn, Pool workers too), traced as well.

A forked child inherits the tracer; `install` makes sure it starts clean (no events of its
parent's, no lock its parent held). A spawned child is a fresh interpreter: every process the
script starts carries a `ChildTrace`, which is unpickled in the child before the process runs and
installs the tracer there, on a lab of its own that reports through the same channel. Either way
the process marks its start and end on its own row, and a Pool's or a ProcessPoolExecutor's
worker draws each chunk of tasks it runs.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import multiprocessing.context
import multiprocessing.pool
import multiprocessing.process
import multiprocessing.queues
import multiprocessing.synchronize
import multiprocessing.util
import os
import queue
import time
from collections.abc import Callable
from concurrent.futures import process as futures_process
from typing import Any

from scenarios.engine import traced_joins, tracer
from scenarios.engine.events import now_ns

_lab: Any = None
_sink: Any = None


def install(lab: Any, sink: Any, channel: Any, script: str) -> None:
    """Trace the processes this one starts (call after tracer.install)."""
    global _lab, _sink
    _lab, _sink = lab, sink
    base = multiprocessing.process.BaseProcess
    base.start = _start(base.start, channel, script)  # type: ignore[method-assign]
    traced_joins.install()
    _trace_children()
    os.register_at_fork(after_in_child=_after_fork)
    # The event queue came to this process pickled, which leaves out multiprocessing's own
    # after-fork reset: without it a forked child would queue its events behind its parent's
    # feeder thread, which is not there.
    queue = channel.queue
    multiprocessing.util.register_after_fork(queue, type(queue)._after_fork)
    pool = multiprocessing.pool.Pool
    pool._terminate_pool = _quiet_terminate(pool._terminate_pool, queue)  # type: ignore


def _quiet_terminate(original: Callable[..., None], queue: Any) -> classmethod:
    """A Pool's terminate (`with Pool() as p:` ends so) waits until no worker is sending events.

    It kills the workers; one killed halfway through writing to the event queue would leave
    the queue's write lock taken for good, and the run's last events (its result) unsent.
    Holding that lock while they are killed, none can be halfway.
    """
    held = getattr(queue, "_wlock", None) or contextlib.nullcontext()

    def terminate_pool(cls: type, *args: Any, **kwargs: Any) -> None:
        with held:
            original(*args, **kwargs)
    return classmethod(terminate_pool)


def _trace_children() -> None:
    """What a child runs (the process itself, its pool tasks) is drawn.

    In this process's children, whether forked (they inherit this) or spawned (ChildTrace
    calls it there).
    """
    base = multiprocessing.process.BaseProcess
    base._bootstrap = _bootstrap(base._bootstrap)  # type: ignore[method-assign]
    # mapstar((f, chunk)); _process_chunk(f, chunk)
    multiprocessing.pool.mapstar = _tasks(multiprocessing.pool.mapstar, lambda a: a[0])
    multiprocessing.pool.starmapstar = _tasks(multiprocessing.pool.starmapstar, lambda a: a[0])
    futures_process._process_chunk = _tasks(futures_process._process_chunk, lambda a: a)
    mp_queue = multiprocessing.queues.Queue
    mp_queue.get = _queue_get(mp_queue.get)  # type: ignore[method-assign]
    semlock = multiprocessing.synchronize.SemLock
    semlock._make_methods = _traced_lock(semlock._make_methods)  # type: ignore[method-assign]
    semlock.__getstate__ = _named_state(semlock.__getstate__)  # type: ignore[method-assign]
    semlock.__setstate__ = _named_restore(semlock.__setstate__)  # type: ignore[method-assign]
    lock = multiprocessing.synchronize.Lock
    lock.__enter__ = lambda self: self.acquire()  # type: ignore[method-assign]
    lock.__exit__ = lambda self, *exc: self.release()  # type: ignore[method-assign]


def _queue_get(original: Callable[..., Any]) -> Callable[..., Any]:
    """`multiprocessing.Queue.get`: the time it waits for an item, drawn as blocked.

    (A pool's own queues are SimpleQueues, not drawn; a ProcessPoolExecutor's worker waiting
    for its next call is.)
    """
    def get(self: Any, block: bool = True, timeout: float | None = None) -> Any:
        if not block or _lab is None or tracer.busy():
            return original(self, block, timeout)
        try:
            return original(self, False)  # there already: no wait to draw
        except queue.Empty:
            pass
        got: list[Any] = []

        def attempt(step: float) -> bool:
            try:
                got.append(original(self, True, step))
            except queue.Empty:
                return False
            return True
        if not tracer.waited("blocked", "Queue.get", attempt, timeout):
            raise queue.Empty
        return got[0]
    return get


def _traced_lock(original: Callable[[Any], None]) -> Callable[[Any], None]:
    """A multiprocessing.Lock the script made draws its waits and holds, in every process.

    Only a Lock, and only the script's: the RLock inside every Value would draw a hold at each
    `.value`, and a Pool's queues have locks of their own.
    """
    def make_methods(self: Any) -> None:
        original(self)
        if type(self) is not multiprocessing.synchronize.Lock:
            return
        if not hasattr(self, "_lab_name"):  # made just now (unpickled, it has one)
            maker = tracer.maker(skip=_LOCK_FACTORY)
            self._lab_name = maker and f"multiprocessing.Lock {next(_made)} ({maker})"
        if self._lab_name:
            traced = tracer.TracedLock(self._semlock, self._lab_name)
            self.acquire, self.release = traced.acquire, traced.release
    return make_methods


# The frames between a script's multiprocessing.Lock() and the lock made.
_LOCK_FACTORY = (multiprocessing.synchronize.__file__, multiprocessing.context.__file__)
_made = itertools.count(1)


def _named_state(original: Callable[[Any], tuple]) -> Callable[[Any], tuple]:
    """A lock of the script's sent to a spawned child carries its name; any other goes as it is.

    (The run's own locks reach a child before its tracer does, and must unpickle plainly.)
    """
    def getstate(self: Any) -> tuple:
        name = getattr(self, "_lab_name", None)
        return (*original(self), name) if name else original(self)
    return getstate


def _named_restore(original: Callable[[Any, tuple], None]) -> Callable[[Any, tuple], None]:
    """Unpickle a lock, taking its name if it was sent with one."""
    def setstate(self: Any, state: tuple) -> None:
        if len(state) > PLAIN_STATE:
            *plain, self._lab_name = state
            state = tuple(plain)
        original(self, state)
    return setstate


PLAIN_STATE = 4  # a SemLock's pickled state: handle, kind, maxvalue, name


def _start(original: Callable[..., None], channel: Any, script: str) -> Callable[..., None]:
    """`Process.start`: a spawned child gets the way to trace itself, in its pickled self."""
    def start(self: multiprocessing.process.BaseProcess) -> None:
        # first in its __dict__: unpickled before its arguments (a Lock among them is traced)
        self.__dict__ = {"_lab_trace": ChildTrace(channel, script), **self.__dict__}
        with tracer.quiet():  # starting a process waits on pipes, not on the script's locks
            original(self)
    return start


class ChildTrace:
    """Carried to a spawned child in its Process object: unpickled there, it starts tracing."""

    def __init__(self, channel: Any, script: str) -> None:
        self.channel, self.script = channel, script

    def __reduce__(self) -> tuple[Callable[..., Any], tuple[Any, ...]]:
        return attach, (self.channel, self.script)


def attach(channel: Any, script: str) -> ChildTrace:
    """In a spawned child, as its Process object is unpickled: trace it into the same run."""
    global _lab, _sink
    if _lab is None:  # once per process (a pool's worker unpickles one Process)
        _lab, _sink = channel.open({})
        _lab.flush()  # the event queue's feeder starts before anything is traced
        tracer.install(_lab, script)
        traced_joins.install()
        _trace_children()
    return ChildTrace(channel, script)


def _bootstrap(original: Callable[..., int]) -> Callable[..., int]:
    """A child process marks its start and end on its row, and sends its events before exit."""
    def bootstrap(self: multiprocessing.process.BaseProcess, *args: Any, **kwargs: Any) -> int:
        lab = _lab
        if lab is None:
            return original(self, *args, **kwargs)
        # its start is sent at once: an idle pool worker may be terminated any time
        self.run = tracer.marked(lab, self.run, lambda: sent(lab))  # type: ignore[method-assign]
        return original(self, *args, **kwargs)
    return bootstrap


def _tasks(original: Callable[..., Any],
           unpack: Callable[[tuple], tuple[Any, Any]]) -> Callable[..., Any]:
    """A pool's chunk of tasks, drawn as one 'run' bar: 'f ×250' (`unpack`: its f and chunk)."""
    @functools.wraps(original)
    def chunk(*args: Any) -> Any:
        if _lab is None:
            return original(*args)
        start = now_ns()
        try:
            return original(*args)
        finally:
            fn, items = unpack(args)[:2]
            name, count = getattr(fn, "__name__", "task"), _length(items)
            tracer.record("run", start, f"{name} ×{count}" if count else name)
            sent(_lab)  # before the result: a pool's workers are terminated, not asked to end
    return chunk


def sent(lab: Any, wait_s: float = 1.0) -> None:
    """Send the events queued so far, and wait until they are in the pipe (not just queued).

    A pool's worker is killed (terminate) as soon as its results are in: what its queue's
    feeder thread has not written by then is lost. Once the feeder's buffer is empty, taking
    the queue's write lock waits for a write under way to end.
    """
    with tracer.quiet():
        lab.flush()
        channel = lab.child
        queue_ = getattr(channel, "queue", None)
        deadline = time.monotonic() + wait_s
        while getattr(queue_, "_buffer", None) and time.monotonic() < deadline:
            time.sleep(0.0005)
        lock = getattr(queue_, "_wlock", None)
        if lock is not None and lock.acquire(True, max(0.0, deadline - time.monotonic())):
            lock.release()


def _length(items: Any) -> int | None:
    try:
        return len(items)
    except TypeError:
        return None


def _after_fork() -> None:
    """In a forked child: nothing of the parent's pending events, locks or open bars."""
    if _sink is not None:
        _sink.forget()
    if _lab is not None:
        _lab.forget_threads()
    tracer.forget_threads()
