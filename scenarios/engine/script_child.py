"""The script's own process: the tracer installed, the file run as __main__, its end reported.

Only what this side needs is imported here: each import is time the script waits for at its
start (bench.tracing).
"""

from __future__ import annotations

import io
import itertools
import multiprocessing
import multiprocessing.process
import os
import runpy
import sys
import threading
from collections.abc import Callable
from typing import Any

from scenarios.engine import traced_processes, tracer
from scenarios.engine.events import Result, now_ns
from scenarios.engine.spawning import below_the_window, leave_queue

# How long the script's process may take at its end to send what is still queued (a flood of
# prints): its work is done, and the result must not be lost.
SEND_WAIT_S = 5.0


def script_main(path: str, argv: list[str], child: Any, control: Any,
                 stdin: str, interactive: bool) -> None:
    """Entry point of the script's process: trace, run the file as __main__, report how it ended.

    `child` is the run's channel (a probe.ChildProbe); `control` brings what is typed for stdin.
    """
    below_the_window()
    lab, sink = child.open({})
    lab.mark("started")
    lab.flush()  # the event queue's feeder thread starts now, before anything is traced
    reader = StdinFeed(stdin, interactive, lab.flush)
    threading.Thread(target=reader.follow, args=(control,), name="lab-stdin",
                     daemon=True).start()
    tracer.install(lab, path)
    traced_processes.install(lab, sink, child, path)
    sys.stdin = reader
    code, error = _run(lab, path, argv)
    if error and error.startswith("EOFError") and reader.ran_dry:
        error += " (the script reads stdin, and no input was given)"
    _join_threads()
    tracer.settle_output()
    with tracer.quiet():
        lab.mark("finished")
        lab.flush_thread()
        values = {"exit_code": code, "script": path}
        lab.emit(Result(now_ns(), values, error, False))
        sink.close()
        leave_queue(child.queue, SEND_WAIT_S)
    sys.stdout.flush()
    os._exit(code)


def _as_python_would() -> None:
    """Multiprocessing as in a process started by `python script.py`, not by the lab.

    The platform's own start method (fork on Linux), and children named Process-1, Process-2
    (this process was spawned: it would give them spawn, and names like Process-1:1).
    """
    multiprocessing.set_start_method(None, force=True)
    multiprocessing.process.current_process()._identity = ()
    multiprocessing.process._process_counter = itertools.count(1)


def _run(lab: Any, path: str, argv: list[str]) -> tuple[int, str | None]:
    """Run the file as `python path argv...` would; its exit code, and the error if it failed."""
    _as_python_would()
    sys.argv = [path, *argv]
    sys.path.insert(0, os.path.dirname(path))
    try:
        runpy.run_path(path, run_name="__main__")
    except SystemExit as exc:
        return _exit_code(exc.code), None if exc.code in (None, 0) else f"exit code {exc.code}"
    except BaseException as exc:  # the script's own failure: shown as Python shows it
        tracer.report(lab, exc, path)
        return 1, f"{type(exc).__name__}: {exc}"
    return 0, None


def _exit_code(code: Any) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)  # sys.exit("message"): Python prints it and exits with 1
    return 1


def _join_threads() -> None:
    """Wait for the script's non-daemon threads, as Python does before it exits."""
    for thread in threading.enumerate():
        if thread is not threading.current_thread() and not thread.daemon:
            thread.join()


class StdinFeed(io.TextIOBase):
    """The script's sys.stdin: the text given at the start, then each line sent while it runs."""

    def __init__(self, text: str, interactive: bool, send: Callable[[], None]) -> None:
        """`send` sends what the script printed so far (its prompt) before a read waits."""
        super().__init__()
        self._send = send
        self._text = text
        self._closed = not interactive  # past the text given, input() gets EOF at once
        self.ran_dry = False  # a read found nothing left (EOF)
        self._more = threading.Condition(tracer.real_lock())

    def readable(self) -> bool:
        """Yes."""
        return True

    def follow(self, control: Any) -> None:
        """Take in the lines sent (ScriptRun.send_input) until the run ends."""
        while True:
            try:
                kind, text = control.get()
            except (EOFError, OSError, ValueError, TypeError):
                return
            if kind == "stdin":
                with self._more:
                    self._text += text
                    self._more.notify_all()

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        """A line: what was given, or what is sent next (waiting for it, drawn as blocked)."""
        sys.stdout.flush()  # the prompt goes out before the wait
        start = now_ns()
        with tracer.quiet(), self._more:
            if "\n" not in self._text and not self._closed:
                self._send()
            while "\n" not in self._text and not self._closed:
                self._more.wait()
            line, found, rest = self._text.partition("\n")
            self._text = rest
            self.ran_dry = not (line or found)
        tracer.record("blocked", start, "input()")
        return line + found

    def read(self, size: int | None = -1) -> str:
        """What was given so far."""
        with self._more:
            text, self._text = self._text, ""
            return text
