"""A process pool whose workers report spans to the run, start before timing, and end with it."""

from __future__ import annotations

import multiprocessing.util
import os
from collections.abc import Callable, Iterable
from typing import Any

from scenarios.engine.events import now_ns
from scenarios.engine.lab import Channel, Lab, StopRun, current, install
from scenarios.engine.merging import MAX_MERGED_NS
from scenarios.engine.spawning import ended_how, spawn_context


def init_worker(child: Channel, ready: Any) -> None:
    """Pool initializer: install a lab that reports through the run's queue, then say ready.

    It serves any spawn pool of a run (multiprocessing.Pool, ProcessPoolExecutor): pass
    `initargs=(lab.child, ready)`, `ready` a spawn Semaphore(0) that each worker releases.
    """
    lab, sink = child.open()
    install(lab)
    lab.mark(f"worker up (pid {os.getpid()})")
    # Sending now starts the queue's feeder thread, which registers the queue's own exit hooks;
    # ours, registered after them at the same priority, then runs first, while the queue is open.
    sink.flush()

    def _finish() -> None:
        lab.flush_thread()
        sink.close()

    # Runs when the worker exits after Pool.close(), so its last spans are not lost.
    multiprocessing.util.Finalize(None, _finish, exitpriority=10)
    ready.release()


# Traced runs a chunk's tasks in slices of about this long: long enough that the loop around them
# costs nothing, short enough that a worker's bar grows every MAX_MERGED_NS.
SLICE_NS = MAX_MERGED_NS // 5


class Traced:
    """A picklable wrapper that runs a chunk of tasks in a pool worker and draws them as it goes.

    LabPool.map hands out the chunks Pool.map would, so a worker's run of tasks is one bar that
    grows every MAX_MERGED_NS ("f ×1500"), and a task lasting longer is a bar of its own. The
    tasks run as Pool's workers run them, through `map`, in slices that double in size while they
    last under half a SLICE_NS: a Python loop calling each task would make the deck's chunks
    slower than in plain Pool.map, most of all in a busy pool.
    """

    def __init__(self, func: Callable[[Any], Any]) -> None:
        self.func = func
        # A functools.partial has no __name__: label it with the function it wraps.
        self.label = getattr(func, "__name__", None) or getattr(
            getattr(func, "func", None), "__name__", "task")

    def __call__(self, chunk: list[Any]) -> list[Any]:
        """Run the task on each item of the chunk, recording its bar on this worker's row."""
        lab, func, label = current(), self.func, self.label
        results: list[Any] = []
        start, drawn, size = now_ns(), 0, 1  # drawn: tasks already in an earlier bar
        try:
            while len(results) < len(chunk):
                began = now_ns()
                results.extend(map(func, chunk[len(results):len(results) + size]))
                ended = now_ns()
                if ended - start >= MAX_MERGED_NS:
                    lab.record_span("run", start, label, merge=True, count=len(results) - drawn)
                    start, drawn = ended, len(results)
                if ended - began < SLICE_NS // 2:
                    size *= 2
        except StopRun:
            # Stop woke a task's lab.sleep: the parent is ending the pool. A BaseException
            # would kill this worker with a traceback on the app's stderr; end the chunk quietly.
            pass
        finally:
            if len(results) > drawn:
                lab.record_span("run", start, label, merge=True, count=len(results) - drawn)
        return results


def chunked(items: Iterable[Any], workers: int, chunksize: int | None) -> list[list[Any]]:
    """The chunks Pool.map sends for these items: of `chunksize`, or of its own choice if None."""
    items = list(items)
    if chunksize is None:  # as Pool._map_async: about four chunks per worker
        chunksize, extra = divmod(len(items), workers * 4)
        chunksize += bool(extra)
    chunksize = max(1, chunksize)
    return [items[i:i + chunksize] for i in range(0, len(items), chunksize)]


class WorkerKilled(RuntimeError):
    """A pool worker was killed from outside while the pool was working."""


class LabPool:
    """`multiprocessing.Pool` (spawn) used as a context manager; Stop terminates it."""

    def __init__(self, lab: Lab, processes: int) -> None:
        self.lab = lab
        self.processes = processes
        self._pool: Any = None

    def __enter__(self) -> LabPool:
        ctx = spawn_context()
        ready = ctx.Semaphore(0)
        self._pool = ctx.Pool(self.processes, initializer=init_worker,
                              initargs=(self.lab.open_child(), ready))
        self._workers = list(self._pool._pool)  # the Pool replaces a dead one: keep our own list
        self.started = 0
        try:
            self.lab.wait_until(lambda t: self._count_ready(ready, t), "blocked",
                                "starting workers")
        except BaseException:  # Stop while starting: __exit__ will not run, so end them here
            self._pool.terminate()
            self._pool.join()
            raise
        return self

    def _count_ready(self, ready: Any, timeout: float) -> bool:
        while ready.acquire(timeout=timeout):
            self.started += 1
            if self.started == self.processes:
                return True
        return False

    def map(self, func: Callable[[Any], Any], items: Iterable[Any], chunksize: int | None = None
            ) -> list[Any]:
        """`Pool.map` (in the chunks it would send), drawn as `blocked` on the caller's row.

        Stop ends the wait.
        """
        chunks = chunked(items, self.processes, chunksize)
        pending = self._pool.map_async(Traced(func), chunks, 1)

        def done(timeout: float) -> bool:
            pending.wait(timeout)
            self._check_workers()
            return pending.ready()

        self.lab.wait_until(done, "blocked", "Pool.map")
        self.lab.check()  # a chunk that Stop ended is short: do not hand it back as a result
        return [result for chunk in pending.get() for result in chunk]

    def _check_workers(self) -> None:
        """End the run, saying why, if a worker was killed from outside.

        Such a worker takes its tasks with it, and Pool.map would wait for ever.
        """
        for worker in self._workers:
            code = worker.exitcode
            if code is not None and code < 0:
                raise WorkerKilled(f"pool worker {worker.pid} {ended_how(code)}; the tasks it "
                                   "held are lost, so Pool.map would never return")

    def pids(self) -> list[int]:
        """The worker processes' ids."""
        return [p.pid for p in self._pool._pool]

    def __exit__(self, exc_type: object, *rest: object) -> None:
        if exc_type is None:
            self._pool.close()
            self.lab.wait_until(self._joined, "blocked", "Pool.join")
        else:
            self._pool.terminate()
            self._pool.join()

    def _joined(self, timeout: float) -> bool:
        workers = list(self._pool._pool)
        for worker in workers:
            worker.join(timeout / max(1, len(workers)))
        if any(w.is_alive() for w in workers):
            return False
        self._pool.join()
        return True
