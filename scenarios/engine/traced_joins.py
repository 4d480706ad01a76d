"""Joins in a traced script, drawn as blocked on the joiner's row while the joined one runs.

`threading.Thread.join` and `multiprocessing.Process.join` (fork or spawn) look the same on the
timeline: main's row shows 'join worker' for as long as it waits. A Pool's own joins (in its
join and terminate) are labelled by the pool's call instead (see tracer.install).
"""

from __future__ import annotations

import multiprocessing.process
import threading
from collections.abc import Callable
from typing import Any

from scenarios.engine import tracer

HERE = __file__  # this file's frames are the tracer's, not the script's


def install() -> None:
    """Draw this process's joins from now on (after tracer.install; a forked child inherits it)."""
    threading.Thread.join = _joined(  # type: ignore[method-assign]
        threading.Thread.join, lambda thread: not thread.is_alive())
    process = multiprocessing.process.BaseProcess
    process.join = _joined(  # type: ignore[method-assign]
        process.join, lambda child: child.exitcode is not None, by_script_only=True)


def _joined(original: Callable[..., None], ended: Callable[[Any], bool],
            by_script_only: bool = False) -> Callable[..., None]:
    """A join, drawn as blocked ('join Process-1') while what it joins has not `ended`.

    A join that cannot be (a thread or process not started) fails as it would untraced: its
    first wait raises. `by_script_only`: a join Python's own code makes (a Pool ending its
    workers, drawn as the Pool's call already) is left as it is, untouched by the tracer.
    """
    def join(self: Any, timeout: float | None = None) -> None:
        if tracer.busy() or ended(self) or (by_script_only and tracer.maker((HERE,)) is None):
            original(self, timeout)
            return
        tracer.waited("blocked", tracer.what_waits(f"join {self.name}"),
                      lambda step: original(self, step) or ended(self), timeout)
    return join
