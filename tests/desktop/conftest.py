"""Fixtures for the window tests: a fresh window, and a check that nothing of a run is left."""

from __future__ import annotations

import contextlib
import sys
import threading
import weakref
from collections.abc import Iterator

import psutil
import pytest
from PySide6.QtCore import QThread, QTimer

from desktop.shell.script_actions import ScriptActions
from desktop.shell.window import MainWindow
from desktop.startup.qt_app import GUI_SWITCH_INTERVAL_MS, set_switch_interval
from desktop.style.plot_style import configure_plots
from tests.support import child_processes, leftovers


@pytest.fixture(autouse=True)
def no_dangling_qt(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fail a test that leaves a QThread running or a QTimer active (napari's approach)."""
    started_threads: list[weakref.ref] = []
    started_timers: list[weakref.ref] = []
    thread_start, timer_start = QThread.start, QTimer.start

    def track_thread(self: QThread, *args: object) -> None:
        started_threads.append(weakref.ref(self))
        thread_start(self, *args)

    def track_timer(self: QTimer, *args: object) -> None:
        started_timers.append(weakref.ref(self))
        timer_start(self, *args)

    monkeypatch.setattr(QThread, "start", track_thread)
    monkeypatch.setattr(QTimer, "start", track_timer)
    threads_before = set(threading.enumerate())
    pids_before = {p.pid for p in child_processes()}
    yield
    problems = []
    for ref in started_threads:
        thread = ref()
        with contextlib.suppress(RuntimeError):  # RuntimeError: already deleted, so not running
            if thread is not None and thread.isRunning():
                problems.append(f"QThread {thread.objectName() or thread} still running")
    for ref in started_timers:
        timer = ref()
        with contextlib.suppress(RuntimeError):
            if timer is not None and timer.isActive():
                problems.append(f"QTimer {timer.objectName() or timer} still active")
    threads, procs = leftovers(threads_before, pids_before)
    for proc in procs:
        with contextlib.suppress(psutil.Error):
            proc.kill()
    problems += [f"thread {t.name} still running" for t in threads]
    problems += [f"child process {p.pid} still running" for p in procs]
    if problems:
        pytest.fail("; ".join(problems), pytrace=False)


@pytest.fixture(autouse=True)
def unsaved_scripts_discarded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nobody answers a question in a test: unsaved script changes are given up.

    A test that checks the question sets its own answer on the window's ScriptActions.
    """
    monkeypatch.setattr(ScriptActions, "ask_unsaved", lambda self, name: "discard")


@pytest.fixture
def window(qtbot) -> Iterator[MainWindow]:
    """The main window, shown, with the GIL switch interval the app runs with.

    After the test it is closed (ending any run) and the interval restored.
    """
    configure_plots()
    interval = sys.getswitchinterval()
    set_switch_interval(GUI_SWITCH_INTERVAL_MS)
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()
    sys.setswitchinterval(interval)
