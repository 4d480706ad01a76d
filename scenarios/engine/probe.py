"""The probe a lesson talks to: the lab with its processes and pools, and the child's way back.

A lesson is given this Lab; its child tasks find theirs with `probe.current()`, and Stop ends them
with `probe.StopRun`. The lab's parts live in `lab`, `processes` and `pools`; a lesson may also
use the engine's records (`events`), the deadlock watchdog and `spawning.joined_within`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

from scenarios.engine.events import Event
from scenarios.engine.gate import Gate, GateClient
from scenarios.engine.interpreters import Interpreter
from scenarios.engine.lab import Lab as ThreadLab
from scenarios.engine.lab import LabLock, LabThread, StopRun, current, install
from scenarios.engine.pools import LabPool
from scenarios.engine.processes import LabProcess
from scenarios.engine.sink import BatchingSink

__all__ = ["ChildProbe", "Lab", "LabLock", "LabThread", "StopRun", "current", "install"]


class Lab(ThreadLab):
    """The whole lab a lesson is given: threads and locks, and processes and pools as well."""

    def Process(self, target: Callable[..., Any], args: tuple = (),  # noqa: N802
                name: str | None = None, python: Interpreter | None = None) -> LabProcess:
        """A real `multiprocessing.Process` (spawn) whose child reports to this lab.

        The target must be a module-level function (spawn pickles it by name); in the child,
        `probe.current()` is the child's lab, and the whole target is drawn as running.
        `python`: another Python for the child (a free-threaded one, say).
        """
        process = LabProcess(self, target, args, name, python)
        self.processes.append(process)
        return process

    def pool(self, processes: int) -> LabPool:
        """A `multiprocessing.Pool` (spawn) whose workers report to this lab; ends with the run."""
        return LabPool(self, processes)


class ChildProbe:
    """What a child process needs to report to the run: the event queue, stop token and clock."""

    def __init__(self, queue: Any, stop: Any, t0: int, module: str | None = None,
                 gate: Gate | None = None) -> None:
        self.queue = queue
        self.stop = stop
        self.t0 = t0
        self.module = module  # the lesson's module, which holds the children's targets and tasks
        self.gate = gate  # step mode: the way to the scheduler (None when not stepping)

    def open(self, params: Mapping[str, Any] | None = None,
             step_key: int | None = None) -> tuple[Lab, BatchingSink]:
        """Build a Lab in this (child) process that sends its events through the queue.

        In step mode its stepper is a gate client; `step_key` is the key a lab.Process's main
        thread was started under.
        """
        if self.module:
            # Spawn imports the deck's script in each child before it takes work (its tasks are
            # defined there); a pool worker would otherwise import the lesson at its first task,
            # inside the timed Pool.map.
            importlib.import_module(self.module)
        sink = BatchingSink(self._send)
        lab = Lab(sink.emit, self.stop, params or {}, self.t0, self, sink.flush)
        if self.gate is not None:
            lab.stepper = GateClient(self.gate, step_key)
        return lab, sink

    def _send(self, batch: list[Event]) -> None:
        try:
            self.queue.put(batch)
        except (ValueError, OSError):
            pass  # the channel closed as the run ended: a lingering thread's last words are lost
