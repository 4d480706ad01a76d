"""Start the app: Qt set-up, the window, and the automation flags of DESIGN."""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys

from scenarios.backends import BACKENDS

NO_DISPLAY = ("No display found: Concurrency Lab needs a screen. On a machine without one, run it "
              "under a virtual screen: xvfb-run -a make run")


def build_parser() -> argparse.ArgumentParser:
    """The app's command-line flags (all optional; with none it just opens the window)."""
    parser = argparse.ArgumentParser(prog="python -m desktop", description="Concurrency Lab")
    parser.add_argument("--run", metavar="ID", help="select this lesson and run it")
    parser.add_argument("--backend", choices=BACKENDS, default=None, help="back end of the run")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        dest="assignments", help="set a parameter (repeatable)")
    parser.add_argument("--screenshot", metavar="PNG", help="save the window as PNG after the run")
    parser.add_argument("--report", metavar="JSON", help="write a JSON report of the run")
    parser.add_argument("--exit-when-done", action="store_true", help="quit after the run")
    parser.add_argument("--switch-interval-ms", type=float, default=None, metavar="MS",
                        help="the GIL switch interval of the app's process (default 1 ms; "
                        "Python's own default is 5 ms)")
    return parser


def has_display() -> bool:
    """True if Qt can open a window here (a display, or an explicit platform such as offscreen)."""
    if sys.platform != "linux" or os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def main(argv: list[str] | None = None) -> int:
    """Entry point of `python -m desktop` and the `concurrency-lab` command."""
    multiprocessing.freeze_support()  # first: a frozen worker must not start a second app
    args = build_parser().parse_args(argv)
    if not has_display():
        print(NO_DISPLAY, file=sys.stderr)
        return 1
    from desktop.automation import Automation
    from desktop.qt_app import GUI_SWITCH_INTERVAL_MS, create_app, set_switch_interval
    from desktop.window import MainWindow

    app = create_app()
    interval = args.switch_interval_ms or GUI_SWITCH_INTERVAL_MS
    if not 0.01 <= interval <= 1000:
        print("error: --switch-interval-ms must be from 0.01 to 1000", file=sys.stderr)
        return 2
    set_switch_interval(interval)
    window = MainWindow()
    automation = Automation(window, args) if args.run else None
    window.show()
    code = app.exec()
    window.shutdown()
    return automation.exit_code if automation else code
