"""The GUI automation flags: run a lesson, save a screenshot and a JSON report, then exit."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from typing import Any

import psutil
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

from desktop.shell.screen_fit import rect_json
from desktop.shell.window import MainWindow
from scenarios.engine.events import Result
from scenarios.engine.stepping import parse_schedule
from scenarios.model.params import ParamError

EXIT_BAD_INPUT = 2


def process_age_s() -> float:
    """Seconds since this process was created.

    On Linux psutil's create_time() is off by up to a second (it adds the start tick to a boot
    time rounded to whole seconds), so the start tick is compared with the boot-time clock
    itself, to 10 ms. Elsewhere create_time() is precise.
    """
    if sys.platform == "linux":
        try:
            with open("/proc/self/stat", encoding="ascii") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            start_s = int(fields[19]) / os.sysconf("SC_CLK_TCK")  # field 22: starttime
            return time.clock_gettime(time.CLOCK_BOOTTIME) - start_s
        except (OSError, ValueError, IndexError):
            pass
    return time.time() - psutil.Process().create_time()


class Automation(QObject):
    """Drives one run from the command line and reports on it."""

    def __init__(self, window: MainWindow, args: argparse.Namespace) -> None:
        super().__init__(window)
        self.window = window
        self.args = args
        self.exit_code = 0
        self.startup_s: float | None = None
        self.shot = False  # step mode: the screenshot was taken while the run waited
        self._waiting: QTimer | None = None  # step mode: looks for the run waiting for a choice
        window.installEventFilter(self)
        window.run_finished.connect(self._finished)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """Note the first paint of the window, then start the run."""
        if event.type() == QEvent.Type.Paint and self.startup_s is None:
            self.startup_s = process_age_s()
            QTimer.singleShot(0, self._start)
        return False

    def _fail(self, message: str) -> None:
        print(f"error: {message}", file=sys.stderr)
        self.exit_code = EXIT_BAD_INPUT
        QApplication.instance().exit(EXIT_BAD_INPUT)

    def _start(self) -> None:
        window = self.window
        # Only the first paint mattered: an event filter left on the window is one more call into
        # Python for every event it gets, each a wait for the GIL while a lesson thread computes.
        window.removeEventFilter(self)
        if getattr(self.args, "script", None):
            self._run_script(self.args.script)
            return
        try:
            window.select(self.args.run)
            if self.args.backend:
                window.set_backend(self.args.backend)
            window.params.set_values(window.parse_assignments(self.args.assignments))
        except (KeyError, ParamError) as exc:
            self._fail(exc.args[0] if exc.args else str(exc))
            return
        window.lag.reset()
        window.ask_before_freezing = False  # nobody is there to answer
        if getattr(self.args, "step", None) is None:
            window.start_run()
            return
        try:
            schedule = parse_schedule(self.args.step)
        except ValueError as exc:
            self._fail(str(exc))
            return
        window.step_action.setChecked(True)
        window.start_run(schedule)
        self._waiting = QTimer(self, interval=50, timeout=self._stepped)
        self._waiting.start()

    def _run_script(self, path: str) -> None:
        """--script: open the file in the Script tab and run it; refused, say why and exit 2."""
        window = self.window
        window.lag.reset()
        if not window.script_actions.open_script(path):
            self._fail(window.last_error or f"cannot open {path}")
            return
        window.script_actions.run()
        if not window.running:
            self._fail(window.last_error or f"cannot run {path}")

    def _stepped(self) -> None:
        """Step mode: once the schedule is taken and a choice is awaited, shoot, then stop."""
        if not self.window.step_control.awaiting_choice():
            return
        self._waiting.stop()
        QTimer.singleShot(100, self._shoot_and_stop)  # let the panel paint

    def _shoot_and_stop(self) -> None:
        if self.args.screenshot:
            self._shoot()
            self.shot = True
        self.window.stop_run()

    def _shoot(self) -> None:
        """Save the screenshot; if it cannot be written, say so and exit 2 in the end."""
        if not self.window.grab().save(self.args.screenshot, "PNG"):
            self._cannot_write("the screenshot", self.args.screenshot, "Qt could not save it")

    def _cannot_write(self, what: str, path: str, why: str) -> None:
        print(f"error: cannot write {what} {path}: {why}", file=sys.stderr)
        self.exit_code = EXIT_BAD_INPUT

    def _finished(self, result: Result) -> None:
        if self._waiting is not None:
            self._waiting.stop()
        QTimer.singleShot(100, lambda: self._write(result))  # let the last redraw paint

    def _write(self, result: Result) -> None:
        if self.args.screenshot and not self.shot:
            self._shoot()
        if self.args.report:
            try:
                with open(self.args.report, "w", encoding="utf-8") as out:
                    json.dump(self.report(result), out, indent=2, default=str)
            except OSError as exc:
                self._cannot_write("the report", self.args.report, exc.strerror or str(exc))
        if (result.error or (result.stopped and not self.shot)) and not self.exit_code:
            self.exit_code = 1
        if self.args.exit_when_done:
            QApplication.instance().exit(self.exit_code)

    def report(self, result: Result) -> dict[str, Any]:
        """The JSON report that docs/automation.md describes: the run, its lag, the window."""
        window = self.window
        return {
            "scenario": window.lesson.id,
            "backend": window.backend,
            "params": window.session.run.params if window.session else {},
            "ok": result.error is None and not result.stopped,
            "error": result.error,
            "result": result.values,
            "wall_s": round(window.last_wall_s, 4),
            # during the run: from Run to the moment its end was seen, not the drawing after it
            "ui_lag_ms": window.lag.stats(window.run_started_at, window.run_ended_at),
            # the Run click's own work before that: emptying and repainting the views
            "start_cost_ms": round(window.start_cost_ms, 1),
            "startup_s": round(self.startup_s or 0.0, 3),
            "switch_interval_ms": sys.getswitchinterval() * 1000,
            "memory_mb": round(psutil.Process().memory_info().rss / 2**20, 1),
            "events": self._counts(),
            # where the window is and what is in front, for a check of the layout from outside
            "window": rect_json(window.frameGeometry()),
            "screen_available": rect_json(window.screen().availableGeometry()),
            "front_tab": window.front_tab,
            **self._stepped_report(),
        }

    def _stepped_report(self) -> dict[str, Any]:
        """A stepped run's interleaving table: a dict per step, the lost update marked."""
        if getattr(self.args, "step", None) is None:
            return {}
        return {"interleaving": [row.to_json() for row in self.window.step_control.rows]}

    def _counts(self) -> dict[str, int]:
        """How much the run drew: rows, spans, ticks, lines, samples."""
        data = self.window.shown_data
        if data is None:
            return {}
        return {"rows": len(data.rows), "spans": sum(len(c) for c in data.spans.values()),
                "marks": len(data.marks), "lines": len(data.lines),
                "samples": sum(len(s) for s in data.metrics.values()), "cpu": len(data.cpu),
                "lag": len(data.lag)}
