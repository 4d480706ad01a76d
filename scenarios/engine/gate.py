"""Step mode across processes: a lesson's threads and processes anywhere, gated by one scheduler.

The scheduler (a stepping.Stepper) lives in the process that chooses the steps: the window's, or
the CLI's. A stepped thread in another process (a lesson's child process, or any thread of a
lesson run on the process back end) reaches it through a Gate, which every process of the run
is given at its spawn: it reports where it parks through the gate's outbox, then waits until
the gate's turn names it. Each thread is named by a key unique across processes (its process id
and a count), chosen by whoever starts it, so a schedule numbers threads and processes in the
order they were started, wherever they run.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import queue
import threading
from collections.abc import Callable, Iterator
from typing import Any

from scenarios.engine.lab import read_values

# A key is pid * KEY_SPAN + a count: unique across the processes of a run.
KEY_SPAN = 1_000_000
# How often a parked thread looks at Stop, and the relay at the end of the run.
POLL_S = 0.05


def new_key(count: Iterator[int]) -> int:
    """A key no other thread or process of the run has: this process's id and the next count."""
    return os.getpid() * KEY_SPAN + next(count)


class Gate:
    """What the processes of a stepped run share: the outbox to the scheduler, and whose turn."""

    def __init__(self, ctx: Any) -> None:
        self.outbox = ctx.Queue()
        self.cond = ctx.Condition()
        self.turn = ctx.Value("q", 0, lock=False)  # the key of the thread that may go on, or 0

    def let_go(self, key: int) -> None:
        """Let the thread with this key go on to its next point (the scheduler's side)."""
        with self.cond:
            self.turn.value = key
            self.cond.notify_all()

    def close(self) -> None:
        """Close the outbox without waiting on it (a killed child may hold its write lock)."""
        self.outbox.cancel_join_thread()
        self.outbox.close()


class GateClient:
    """A stepper's lesson side in a process other than the scheduler's: it talks through a gate.

    It has the methods the lab calls on a stepper (point, add, add_process, waiting, leave,
    released, enter_main); the choosing is done by the scheduler.
    """

    def __init__(self, gate: Gate, main_key: int | None = None) -> None:
        """`main_key`: the key this process's main thread was started under (a lab.Process)."""
        self._gate = gate
        self._count = itertools.count(1)
        self._keys: dict[threading.Thread, int] = {}
        if main_key is not None:
            self._keys[threading.current_thread()] = main_key
        self._parked: dict[int, dict[str, Any]] = {}  # key -> the values shown at its point
        self._shared: dict[str, Any] = {}  # the lesson's shared state, as lab.shared names it
        self._lock = threading.Lock()

    def _send(self, *message: Any) -> None:
        with contextlib.suppress(ValueError, OSError):  # the run is over: nobody listens
            self._gate.outbox.put(message)

    def _refresh(self) -> None:
        """Send the shared state and the values of the threads parked here, read afresh.

        Sent before the thread parks (or waits, or ends), so the scheduler never shows the
        values of a step as it was before the step.
        """
        with self._lock:
            fresh = {key: read_values(shown) for key, shown in self._parked.items()}
            shared = read_values(self._shared)
        if fresh or shared:
            self._send("fresh", 0, fresh, shared)

    def share(self, values: dict[str, Any]) -> None:
        """The lesson's shared state (a function is read at every point): see Lab.shared."""
        with self._lock:
            self._shared.update(values)

    def new_key(self) -> int:
        """A key for a process this one is about to start."""
        return new_key(self._count)

    def enter_main(self) -> None:
        """The calling thread is the lesson's main thread (it is never chosen)."""
        key = self._keys[threading.current_thread()] = new_key(self._count)
        self._send("enter", key)

    def add(self, thread: threading.Thread) -> None:
        """A lesson thread about to start: numbered now, in the order of starts."""
        key = self._keys[thread] = new_key(self._count)
        self._send("add", key, thread.name, False)

    def add_process(self, key: int, name: str) -> None:
        """A lesson process about to start under `key` (from new_key)."""
        self._send("add", key, name, True)

    def point(self, label: str, values: dict[str, Any], needs: Any = None,
              check: Callable[[], None] = lambda: None) -> bool:
        """Report the point, then wait until the scheduler names this thread; False if unstepped."""
        key = self._keys.get(threading.current_thread())
        if key is None:
            return False
        with self._lock:
            self._parked[key] = values
        self._refresh()  # this one's values too: a function is read now
        self._send("park", key, label, getattr(needs, "name", None), os.getpid())
        gate = self._gate
        try:
            with gate.cond:
                while gate.turn.value != key:
                    check()
                    gate.cond.wait(POLL_S)
                gate.turn.value = 0
        finally:
            with self._lock:
                self._parked.pop(key, None)
        return True

    @contextlib.contextmanager
    def waiting(self, what: str, ready: Callable[[], bool], joins: Any = None) -> Iterator[None]:
        """The calling thread waits for the thread or process `joins` (a thread, or its key)."""
        key = self._keys.get(threading.current_thread())
        if key is None:
            yield
            return
        target = joins if isinstance(joins, int) else self._keys.get(joins)
        self._send("wait", key, what, target)
        self._refresh()
        try:
            yield
        finally:
            self._send("run", key)

    def leave(self) -> None:
        """The calling thread has ended."""
        key = self._keys.get(threading.current_thread())
        if key is not None:
            self._refresh()
            self._send("leave", key)

    def released(self, lock: Any) -> None:
        """The calling thread let a lab lock go."""
        key = self._keys.get(threading.current_thread())
        if key is not None:
            self._send("released", key, lock.name)

    def part_of(self, thread: threading.Thread) -> None:
        """Parts are the scheduler's: this side has none to show."""
        return None


class Relay:
    """The scheduler's ear: a thread passing the gate's messages to `apply` until hung up."""

    def __init__(self, gate: Gate, apply: Callable[[tuple], None]) -> None:
        self._gate = gate
        self._apply = apply
        self._hung_up = threading.Event()
        self._thread = threading.Thread(target=self._listen, name="step-relay", daemon=True)
        self._thread.start()

    def _listen(self) -> None:
        while True:
            try:
                message = self._gate.outbox.get(timeout=POLL_S)
            except queue.Empty:
                if self._hung_up.is_set():
                    return
                continue
            except (EOFError, OSError, ValueError):
                return
            self._apply(message)

    def hang_up(self, timeout: float = 1.0) -> None:
        """Pass on what is left in the outbox, then end (the run is over)."""
        self._hung_up.set()
        self._thread.join(timeout)
        self._gate.close()
