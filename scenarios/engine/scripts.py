"""A learner's own script, unchanged, run in a process of its own and traced like a lesson.

The script never runs in the caller's process (the window's): `ScriptRun` spawns a process that
installs the tracer (scenarios.engine.tracer), then runs the file as `python SCRIPT ARGS` would,
as `__main__`. Stop kills that process and every process it started at once: a script sees no
stop token, and may ignore any signal but SIGKILL.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from scenarios.engine import backends, probe, script_child
from scenarios.engine.events import Event, Result, now_ns
from scenarios.engine.families import kill_family
from scenarios.engine.spawning import ended_how
from scenarios.model.lesson import Headline, Lesson, LessonText

SECTION = "Your scripts"


EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
DECK_NOTE = "# From the lecture deck:"


def deck_examples() -> list[tuple[Path, str]]:
    """The deck's own programs (scenarios/examples), in deck order, each with what it shows."""
    found = []
    for path in sorted(EXAMPLES.glob("[0-9]*.py")):
        first = path.read_text(encoding="utf-8").partition("\n")[0]
        shows = first.removeprefix(DECK_NOTE).strip() if first.startswith(DECK_NOTE) else ""
        found.append((path, shows))
    return found


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

    @property
    def child_module(self) -> None:
        """None: the script's process imports the script itself, and nothing of the lab's more."""
        return None

    def _process_target(self, child: probe.ChildProbe) -> tuple[Callable[..., None], tuple]:
        return script_child.script_main, (self.path, self.argv, child, self._control,
                                          self.stdin, self.interactive)

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
