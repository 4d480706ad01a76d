"""`lab.Process`: a spawned child process that reports to the run, and stops with it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scenarios.engine.lab import Channel, Lab, StopRun, install
from scenarios.engine.spawning import STOP_GRACE_S, ended_how, joined_within, spawn_context


def _process_main(child: Channel, target: Callable[..., Any], args: tuple,
                  reply: Any) -> None:
    """Entry point of a lesson's child process: run the target with a lab of its own.

    The target's return value goes back to the parent over a pipe (as concurrent.futures does);
    nothing else of the child's memory does.
    """
    lab, sink = child.open()
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
        sink.close()


class LabProcess:
    """A `multiprocessing.Process` (spawn) shaped like the deck's: start, join, exitcode, pid."""

    def __init__(self, lab: Lab, target: Callable[..., Any], args: tuple,
                 name: str | None) -> None:
        self.lab = lab
        child = lab.open_child()
        ctx = spawn_context()
        self._reply, child_end = ctx.Pipe(duplex=False)
        self._process = ctx.Process(
            target=_process_main, args=(child, target, args, child_end), name=name)
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
        """Start the child."""
        self._process.start()

    @property
    def returned(self) -> Any:
        """What the target returned (None if it has not returned, or failed)."""
        if not self._returned and self._reply.poll():
            self._returned.append(self._reply.recv())
        return self._returned[0] if self._returned else None

    def is_alive(self) -> bool:
        """True while the child runs."""
        return self._process.is_alive()

    def join(self) -> None:
        """Wait for the child, drawn as `blocked`; on Stop, end it and raise StopRun."""
        try:
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

    def end(self) -> None:
        """Give the child STOP_GRACE_S to see the stop token, then terminate it."""
        self._process.join(STOP_GRACE_S)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(1.0)

