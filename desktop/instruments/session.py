"""The bridge: starts a run on a back end and drains its events into RunData at each frame."""

from __future__ import annotations

import os
from typing import Any

from PySide6.QtCore import QObject, Signal

from desktop.data.rundata import RunData
from desktop.instruments.cpu_sampler import CpuSampler
from desktop.instruments.qt_thread import LessonThread
from scenarios.engine import backends
from scenarios.engine.events import Result, now_ns
from scenarios.engine.interpreters import Interpreter
from scenarios.model.lesson import Lesson

OWN_PID = os.getpid()


class RunSession(QObject):
    """One run seen from the window: its data, fed at each frame, and the end of the run."""

    updated = Signal()
    finished = Signal(object)  # the Result
    round_finished = Signal(object)  # the Result of one complete round of a loop

    def __init__(self, lesson: Lesson, params: dict[str, Any], backend: str,
                 parent: QObject | None = None, loop: bool = False, stepper: Any = None,
                 run: backends.Run | None = None, python: Interpreter | None = None) -> None:
        """A session of the lesson's run on the back end; `run` is one made already (a script).

        `python`: the Python the process back end's lesson process runs on (None: the lab's).
        """
        super().__init__(parent)
        self._threads: list[LessonThread] = []
        self.run = run or backends.make_run(lesson, params, backend, self._make_thread, loop,
                                            python)
        self.run.stepper = stepper  # step mode's scheduler (stepping.Stepper), or None
        self.data = RunData(0, lesson.id, backend)
        self.data.reuse_rows = loop
        self.rounds: list[Result] = []  # a loop's complete rounds, oldest first
        self.sampler = CpuSampler(self.run.collector)
        self.done = False

    def _make_thread(self, target: Any) -> LessonThread:
        thread = LessonThread(target)
        self._threads.append(thread)
        return thread

    def start(self) -> None:
        """Start sampling and the run."""
        self.sampler.start()
        self.run.start()  # the ui back end returns only when the lesson is over
        self.data.t0 = self.run.t0

    def stop(self) -> None:
        """Ask the run to stop (it ends within a second)."""
        self.run.stop()

    def set_param(self, name: str, value: Any) -> None:
        """Change a live parameter of the running lesson."""
        if not self.done:
            self.run.set_param(name, value)

    def elapsed_s(self) -> float:
        """Seconds since the run started (frozen at the end)."""
        return self.data.seconds(now_ns()) if not self.done else self.data.latest_s

    def tick(self) -> None:
        """Take the events that arrived (call at each frame), and notice the end of the run."""
        if self.done:
            return
        self._add(self.run.collector.drain())
        # the processes whose threads get a CPU strip; of the app's own, the lesson's threads
        own = [tid for pid, tid in self.data.thread_keys if pid == OWN_PID]
        self.sampler.watch(self.data.pids, own)
        self.updated.emit()
        if self.run.finished:
            self._finish()

    def _finish(self) -> None:
        self.sampler.stop()
        for thread in self._threads:
            thread.wait()
        self._threads.clear()
        self._add(self.run.collector.drain())
        self.done = True
        result = self.data.result or Result(now_ns(), {}, "the run ended without a result", False)
        self.data.result = result
        self.updated.emit()
        self.finished.emit(result)

    def _add(self, events: list[Any]) -> None:
        self.data.add(events)
        if not self.run.loop:
            return
        for event in events:  # a loop ends with a stopped or failed Result: not a round
            if isinstance(event, Result) and not (event.stopped or event.error):
                self.rounds.append(event)
                self.round_finished.emit(event)

    def close(self) -> None:
        """Stop the run and wait until it, its threads and its processes have ended."""
        if self.done:
            return
        self.run.close()
        self._finish()
