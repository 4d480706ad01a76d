"""`lab.Process`: a spawned child process that reports to the run, and stops with it."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from scenarios.engine import interpreters
from scenarios.engine.interpreters import Interpreter
from scenarios.engine.lab import Channel, Lab, StopRun, install
from scenarios.engine.spawning import (
    STOP_GRACE_S,
    ended_how,
    joined_within,
    spawn_context,
)


def _process_main(child: Channel, target: Callable[..., Any], args: tuple,
                  reply: Any, step_key: int | None = None,
                  params: dict[str, Any] | None = None) -> None:
    """Entry point of a lesson's child process: run the target with a lab of its own.

    The target's return value goes back to the parent over a pipe (as concurrent.futures does);
    nothing else of the child's memory does. In step mode the process is one of the threads the
    learner chooses between (`step_key` names it). Its lab reads the lesson's parameters as they
    were when it started (`params`).
    """
    lab, sink = child.open(params, step_key=step_key)
    install(lab)
    lab.mark("started")
    try:
        with lab.span("run", getattr(target, "__name__", "target")):
            reply.send(target(*args))
    except StopRun:
        lab.mark("stopped")
    except Exception as exc:  # shown in the console, and the exit code says it failed
        lab.report_exception(exc)
        raise SystemExit(1) from None
    finally:
        lab.mark("finished")
        lab.flush_thread()
        if lab.stepper is not None:
            lab.stepper.leave()
        sink.close()


class LabProcess:
    """A `multiprocessing.Process` (spawn) shaped like the deck's: start, join, exitcode, pid."""

    def __init__(self, lab: Lab, target: Callable[..., Any], args: tuple,
                 name: str | None, python: Interpreter | None = None) -> None:
        """`python`: another Python to run the child on (None: this process's)."""
        self.lab = lab
        self.python = python
        child = lab.open_child()
        ctx = spawn_context()
        self._reply, child_end = ctx.Pipe(duplex=False)
        # step mode: the key it is chosen by (numbered when it starts, as a thread is)
        self.step_key = lab.stepper.new_key() if lab.stepper is not None else None
        self._process = ctx.Process(target=_process_main, name=name,
                                    args=(child, target, args, child_end, self.step_key,
                                          lab.params_now()))
        self._returned: list[Any] = []

    @property
    def pid(self) -> int | None:
        """The child's process id (None before start)."""
        return self._process.pid

    @property
    def exitcode(self) -> int | None:
        """The child's exit code (None while it runs)."""
        return self._process.exitcode

    @property
    def name(self) -> str:
        """The process's name."""
        return self._process.name

    def start(self) -> None:
        """Start the child (in step mode it runs to its first point, then waits to be chosen)."""
        if self.step_key is not None:
            self.lab.stepper.add_process(self.step_key, self.name)
        interpreters.start(self._process, self.python)

    @property
    def returned(self) -> Any:
        """What the target returned (None if it has not returned, or failed)."""
        if not self._returned and self._reply.poll():
            try:
                self._returned.append(self._reply.recv())
            except (EOFError, OSError):  # it ended without a word (stopped, or killed)
                return None
        return self._returned[0] if self._returned else None

    def is_alive(self) -> bool:
        """True while the child runs."""
        return self._process.is_alive()

    def join(self) -> None:
        """Wait for the child, drawn as `blocked`; on Stop, end it and raise StopRun."""
        stepper = self.lab.stepper
        try:
            with (stepper.waiting(f"join {self.name}", self._stepped_out, self.step_key)
                  if stepper is not None else contextlib.nullcontext()):
                self.lab.wait_until(self._ended_within, "blocked", f"join {self.name}")
        except StopRun:
            self.end()
            raise
        code = self._process.exitcode
        if code is not None and code < 0:  # killed from outside: the lesson goes on, but says so
            self.lab.print(f"{self.name} {ended_how(code)}", stream="stderr")
        self.lab.mark(f"joined {self.name}")

    def _ended_within(self, timeout: float) -> bool:
        return joined_within(self._process, timeout)

    def _stepped_out(self) -> bool:
        """In step mode: True once the child has ended (its joiner then goes on)."""
        part = self.lab.stepper.part_of(self.step_key)
        return part is None or part.state == "done" or not self._process.is_alive()

    def end(self) -> None:
        """Give the child STOP_GRACE_S to see the stop token, then terminate it."""
        self._process.join(STOP_GRACE_S)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(1.0)

