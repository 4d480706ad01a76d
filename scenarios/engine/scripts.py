"""A learner's own script, unchanged, run in a process of its own and traced like a lesson.

The script never runs in the caller's process (the window's): `ScriptRun` spawns a process that
installs the tracer (scenarios.engine.tracer), then runs the file as `python SCRIPT ARGS` would,
as `__main__`. Stop kills that process and every process it started at once: a script sees no
stop token, and may ignore any signal but SIGKILL.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import multiprocessing
import multiprocessing.process
import os
import runpy
import sys
import threading
from collections.abc import Callable, Mapping
from typing import Any

import psutil

from scenarios.engine import backends, probe, traced_processes, tracer
from scenarios.engine.events import Event, Result, now_ns
from scenarios.engine.spawning import ended_how
from scenarios.model.lesson import Headline, Lesson, LessonText

SECTION = "Your scripts"
# How long the script's process may take at its end to send what is still queued (a flood of
# prints): its work is done, and the result must not be lost.
SEND_WAIT_S = 5.0


def script_lesson(path: str) -> Lesson:
    """A lesson-shaped wrapper of a script, for what shows a run (result card, history)."""
    name = os.path.basename(path)
    return Lesson(id=f"script:{name}", title=name, summary=f"Your script {path}",
                  section=SECTION, text=LessonText("", "", ""), params=(), run=_never,
                  result_keys=("exit_code",), headline=_headline)


def _headline(values: Mapping[str, Any]) -> Headline:
    """How the script ended: its exit code, as a shell would say it."""
    code = values.get("exit_code")
    return Headline(f"the script ended with exit code {code}", "good" if code == 0 else "bad")


def _never(lab: Any, params: Mapping[str, Any]) -> dict[str, Any]:
    """A script's run is its file, run in its own process (see ScriptRun)."""
    raise RuntimeError("a script runs in a process of its own")


class BadScript(ValueError):
    """A file that cannot be run as a script: missing, not Python text, or a syntax error."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line  # the line of a syntax error (1-based), to show in an editor


def read_script(path: str) -> str:
    """The script's source; BadScript if it is missing, not a .py file or not Python text."""
    name = os.path.basename(path)
    if not os.path.isfile(path):
        raise BadScript(f"{path}: no such file")
    if not name.endswith((".py", ".pyw")):
        raise BadScript(f"{name} is not a Python file (a script's name ends in .py)")
    try:
        with open(path, "rb") as file:
            raw = file.read()
        source = raw.decode("utf-8-sig")
    except OSError as exc:
        raise BadScript(f"{name}: cannot read it ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise BadScript(f"{name} is not Python text (it is not UTF-8)") from None
    if "\0" in source:
        raise BadScript(f"{name} is not Python text (it holds binary data)")
    return source


def check_script(path: str) -> str:
    """The script's source, compiled once to be sure it runs; BadScript saying what is wrong.

    Nothing of it runs here: compile() only parses.
    """
    source = read_script(path)
    name = os.path.basename(path)
    try:
        compile(source, path, "exec")
    except SyntaxError as exc:
        where = f"line {exc.lineno}: " if exc.lineno else ""
        raise BadScript(f"{name}, {where}{type(exc).__name__}: {exc.msg}", exc.lineno) from None
    return source


class ScriptRun(backends.ProcessRun):
    """One run of a script file, with its arguments and what it reads on stdin."""

    def __init__(self, path: str, argv: list[str] | None = None, stdin: str = "",
                 interactive: bool = False) -> None:
        """Run `path` with `argv`; `stdin` is read first.

        With `interactive`, more may be sent (send_input) until the script ends; without, input()
        past the text gets EOF, as with `python script < file`.
        """
        self.path = os.path.abspath(path)
        self.argv = list(argv or [])
        self.stdin = stdin
        self.interactive = interactive
        super().__init__(script_lesson(self.path), {})

    def _process_target(self, child: probe.ChildProbe) -> tuple[Callable[..., None], tuple]:
        return _script_main, (self.path, self.argv, child, self._control, self.stdin,
                              self.interactive)

    def send_input(self, text: str) -> None:
        """Text for the script's stdin (a line typed into its input() prompt)."""
        if self._control is not None and not self.finished:
            with contextlib.suppress(ValueError, OSError):
                self._control.put(("stdin", text))

    def stop(self) -> None:
        """Kill the script and every process it started, now."""
        super().stop()
        process = self._process
        if process is not None and process.pid is not None:
            kill_family(process.pid)

    def _abnormal_end(self, code: int | None) -> list[Event]:
        if self.stop_token.is_set():
            return super()._abnormal_end(code)
        if self.collector.results:  # it said how it ended (sys.exit(3) included)
            return []
        why = ("the script ended before it could send its result" if code is None
               else f"the script {ended_how(code).replace(' (from outside the lesson)', '')}")
        return [backends.lab_line(why),
                Result(now_ns(), {"exit_code": code}, why, False)]


def kill_family(pid: int) -> None:
    """Kill a process and all it started, none able to start another meanwhile.

    Each is frozen (SIGSTOP) before its children are listed, so a script that keeps starting
    processes cannot start one between the listing and the kill.
    """
    family: list[psutil.Process] = []
    with contextlib.suppress(psutil.Error):
        frontier = [psutil.Process(pid)]
        while frontier:
            proc = frontier.pop()
            with contextlib.suppress(psutil.Error):
                proc.suspend()
                family.append(proc)
                frontier.extend(proc.children())
    for proc in family:  # SIGKILL: gone at once (no wait here: the window must not stall)
        with contextlib.suppress(psutil.Error):
            proc.kill()


def _script_main(path: str, argv: list[str], child: probe.ChildProbe, control: Any,
                 stdin: str, interactive: bool) -> None:
    """Entry point of the script's process: trace, run the file as __main__, report how it ended."""
    backends.below_the_window()
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
        backends.leave_queue(child.queue)
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
