"""Processes started and ended one way everywhere: the spawn context, the grace, the words."""

from __future__ import annotations

import contextlib
import multiprocessing
import signal
from typing import Any, Protocol

import psutil

# A process that has not seen the stop token this long after it was set is terminated (see
# docs/architecture.md, "The back ends and their stop semantics"): long enough to finish a step.
STOP_GRACE_S = 1.0


class Joinable(Protocol):
    """A thread or process: something that can be started, joined and asked if it is alive."""

    def start(self) -> None: ...  # noqa: D102
    def join(self, timeout: float | None = None) -> None: ...  # noqa: D102
    def is_alive(self) -> bool: ...  # noqa: D102


def spawn_context() -> Any:
    """The multiprocessing context used everywhere: spawn, as on Windows and macOS."""
    return multiprocessing.get_context("spawn")


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


def is_resource_tracker(proc: psutil.Process) -> bool:
    """True for multiprocessing's resource tracker: its own helper, not a process of any run.

    Spawn starts it once, for the first Queue or Lock, and it lives until this process exits.
    """
    with contextlib.suppress(psutil.Error):
        return any("resource_tracker" in part for part in proc.cmdline())
    return False
