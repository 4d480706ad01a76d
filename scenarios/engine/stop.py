"""The stop token: set once by the run's owner, seen at once by every thread of every process.

A `multiprocessing.Event` guards its flag with a lock shared by all processes; a child that is
terminated while it holds that lock (inside `wait` or `is_set`) leaves the lock taken for ever,
and the next `set()` hangs the app. This token shares only a lock-free byte: its owner sets it
directly; other processes poll it from one small thread and wake their waiters through a local
`threading.Event`.
"""

from __future__ import annotations

import os
import threading
import time
from typing import Any

from scenarios.engine.spawning import spawn_context

# How often a child process looks at the shared flag: Stop is seen within this (well under 1 s).
POLL_S = 0.02


class StopToken:
    """A picklable stop flag with Event's `set`, `is_set` and `wait`."""

    def __init__(self) -> None:
        self._flag = spawn_context().RawValue("b", 0)  # shared memory, no lock to be left held
        self._owner = os.getpid()
        self._local = threading.Event()
        self._watcher: threading.Thread | None = None

    def __getstate__(self) -> dict[str, Any]:
        return {"flag": self._flag, "owner": self._owner}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._flag = state["flag"]
        self._owner = state["owner"]
        self._local = threading.Event()
        self._watcher = None

    def set(self) -> None:
        """Stop: every waiter wakes (in another process within POLL_S)."""
        self._flag.value = 1
        self._local.set()

    def is_set(self) -> bool:
        """True once set, in any process."""
        if self._flag.value:
            self._local.set()
            return True
        return False

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until set or timeout; True if set."""
        if os.getpid() != self._owner and self._watcher is None:
            self._watch()
        return self._local.wait(timeout) or self.is_set()

    def _watch(self) -> None:
        self._watcher = threading.Thread(target=self._poll, name="lab-stop-watch", daemon=True)
        self._watcher.start()

    def _poll(self) -> None:
        while not self.is_set():
            time.sleep(POLL_S)
