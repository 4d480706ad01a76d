"""Processes started and ended one way everywhere: the spawn context, the grace, the words."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import threading
from typing import Any, Protocol

# A process that has not seen the stop token this long after it was set is terminated (see
# docs/architecture.md, "The back ends and their stop semantics"): long enough to finish a step.
STOP_GRACE_S = 1.0
# How long a lesson's process waits at its end for its last events to be sent.
LEAVE_WAIT_S = 0.5
# A lesson's process (and what it starts) runs this much nicer than the window, so the window gets
# a core first; the lesson still gets every idle core.
LESSON_NICE = 5


class Joinable(Protocol):
    """A thread or process: something that can be started, joined and asked if it is alive."""

    def start(self) -> None: ...  # noqa: D102
    def join(self, timeout: float | None = None) -> None: ...  # noqa: D102
    def is_alive(self) -> bool: ...  # noqa: D102


def spawn_context() -> Any:
    """The multiprocessing context used everywhere: spawn, as on Windows and macOS."""
    return multiprocessing.get_context("spawn")


# Set for a process started on another Python: the Python of the lab that started it
# (interpreters.LAB_PYTHON; spawning imports nothing of the engine).
LAB_PYTHON = "CONCURRENCY_LAB_PYTHON"
# One process at a time is started on another Python: spawn's executable is module-wide.
_ELSEWHERE = threading.Lock()


# In the frozen app, the lab's package as plain source, alone in a folder of its own (build.spec):
# beside it, the app's own folder holds modules compiled for its Python only.
FROZEN_SOURCE = "lab_source"


def source_root() -> str:
    """The folder that holds the `scenarios` package (a child on another Python imports it)."""
    bundle = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle:
        return os.path.join(bundle, FROZEN_SOURCE)
    return os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def start_on(process: Any, python: str = "", sys_path: tuple[str, ...] = ()) -> None:
    """Start a spawn-context process, on the Python at `python` if one is named.

    That Python is given its own sys.path (`sys_path`, as it reported it) and then the folder of
    the lab's package (last: in a frozen app that folder also holds the app's own compiled
    modules), not ours, and not our main module (the window's, which needs Qt).
    """
    if not python:
        process.start()
        return
    from multiprocessing import spawn

    if not getattr(sys, "frozen", False):  # a frozen app's program runs no Python code given it
        os.environ.setdefault(LAB_PYTHON, sys.executable)  # its children find the lab's Python
    with _ELSEWHERE:
        saved = spawn.get_executable(), spawn.get_preparation_data, spawn.get_command_line

        def theirs(name: str) -> dict[str, Any]:
            data = saved[1](name)
            data["sys_path"] = [*sys_path, source_root()]
            data.pop("init_main_from_path", None)
            data.pop("init_main_from_name", None)
            return data

        def command_line(**kwds: Any) -> list[str]:
            # as spawn words it for a plain interpreter: a frozen app's own would start itself
            call = ", ".join(f"{key}={value!r}" for key, value in kwds.items())
            return [python, "-c", f"from multiprocessing.spawn import spawn_main; "
                    f"spawn_main({call})", "--multiprocessing-fork"]

        spawn.set_executable(python)  # Windows starts this program with the command line
        spawn.get_preparation_data, spawn.get_command_line = theirs, command_line
        try:
            process.start()
        finally:
            spawn.set_executable(saved[0])
            spawn.get_preparation_data, spawn.get_command_line = saved[1], saved[2]


def joined_within(joinable: Joinable, timeout: float) -> bool:
    """Join for at most `timeout` seconds; True if it has ended."""
    joinable.join(timeout)
    return not joinable.is_alive()


def ended_how(exitcode: int) -> str:
    """How a process ended, in words: 'was killed by SIGKILL', 'ended with exit code 3'."""
    if exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        return f"was killed by {name} (from outside the lesson)"
    return f"ended with exit code {exitcode}"


def is_resource_tracker(proc: Any) -> bool:
    """True for multiprocessing's resource tracker: its own helper, not a process of any run.

    Spawn starts it once, for the first Queue or Lock, and it lives until this process exits.
    `proc` is a psutil.Process.
    """
    import psutil  # here: a lesson's or a script's process need not pay for it at its start

    with contextlib.suppress(psutil.Error):
        return any("resource_tracker" in part for part in proc.cmdline())
    return False


def below_the_window() -> None:
    """Lower this (lesson or script) process's priority: the window drawing it gets a core first."""
    with contextlib.suppress(OSError, AttributeError, ImportError):  # not allowed: stay as we are
        if sys.platform == "win32":  # its children inherit this class
            import psutil

            psutil.Process().nice(psutil.BELOW_NORMAL_PRIORITY_CLASS)
        else:
            os.nice(min(19, os.nice(0) + LESSON_NICE) - os.nice(0))


def leave_queue(queue: Any, wait_s: float = LEAVE_WAIT_S) -> None:
    """Let the queue's feeder send what is left, but never wait on it for ever at exit.

    A pool worker terminated mid-write can leave the queue's shared write lock taken.
    """
    queue.close()
    waiter = threading.Thread(target=queue.join_thread, name="lab-leave", daemon=True)
    waiter.start()
    waiter.join(wait_s)
    queue.cancel_join_thread()
