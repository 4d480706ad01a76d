"""QApplication set-up shared by the app and its tests."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication

from desktop.style.plot_style import configure_plots

# CPython hands the GIL to a waiting thread only after a switch interval (5 ms by default). With a
# CPU-bound lesson on a thread of this process, each wake-up of the GUI thread waits that long, a
# frame needs several, and with several computing threads a hand-over may go to another of them
# instead: at 1 ms gil_cpu_bound's threads still held the window up to a few hundred ms, at 0.25 ms
# a few tens. The window shows the value; `--switch-interval-ms` sets it.
GUI_SWITCH_INTERVAL_MS = 0.25


def set_switch_interval(ms: float) -> None:
    """Set this process's GIL switch interval (in ms)."""
    sys.setswitchinterval(ms / 1000)


def create_app() -> QApplication:
    """The application object, created once."""
    app = QApplication.instance() or QApplication([])
    app.setApplicationName("Concurrency Lab")
    app.setOrganizationName("Concurrency Lab")
    configure_plots()
    return app
