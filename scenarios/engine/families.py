"""Ending a process and everything it started, at once (a script's, a Dask client's)."""

from __future__ import annotations

import contextlib

import psutil


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
