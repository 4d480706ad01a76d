"""Start the app: Qt set-up, the window, and the automation flags of DESIGN."""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
from pathlib import Path

from desktop.startup.frozen import ensure_streams, is_frozen, resource_path
from scenarios.engine.backends import BACKENDS

# `--smoke`: one small run of this lesson, the way CI and a fresh install check the window.
SMOKE_LESSON = "race_counter"
SMOKE_SETTINGS = ["increments=300"]
# The process back end, so the smoke run also proves a spawned worker starts from the window.
SMOKE_BACKEND = "process"
SMOKE_SCREENSHOT = "smoke.png"
APP_ICON = "icon.png"

NO_DISPLAY = ("No display found: Concurrency Lab needs a screen. On a machine without one, run it "
              "under a virtual screen: xvfb-run -a make run")


def build_parser() -> argparse.ArgumentParser:
    """The app's command-line flags (all optional; with none it just opens the window)."""
    prog = "ConcurrencyLab" if is_frozen() else "python -m desktop"
    parser = argparse.ArgumentParser(prog=prog, description="Concurrency Lab")
    parser.add_argument("--run", metavar="ID", help="select this lesson and run it")
    parser.add_argument("--script", metavar="PATH", help="open this script of yours and run it, "
                        "traced (as --run does a lesson)")
    parser.add_argument("--backend", choices=BACKENDS, default=None, help="back end of the run")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        dest="assignments", help="set a parameter (repeatable)")
    parser.add_argument("--step", metavar="SCHEDULE", default=None,
                        help="run in step mode and take these steps ('1 2 1'); the screenshot "
                        "and report are then of the window waiting for the next choice")
    parser.add_argument("--screenshot", metavar="PNG", help="save the window as PNG after the run")
    parser.add_argument("--report", metavar="JSON", help="write a JSON report of the run")
    parser.add_argument("--exit-when-done", action="store_true", help="quit after the run")
    parser.add_argument("--switch-interval-ms", type=float, default=None, metavar="MS",
                        help="the GIL switch interval of the app's process (default 1 ms; "
                        "Python's own default is 5 ms)")
    parser.add_argument("--python", metavar="PATH", default="",
                        help="run the lessons' processes (process back end) on this Python: "
                        "CPython 3.10 or newer, a free-threaded 3.13t too")
    checks = parser.add_argument_group("checks of an installed or packaged app")
    checks.add_argument("--selftest", action="store_true",
                        help="run every lesson headless, small, on the thread and process back "
                        "ends; print PASS/FAIL lines; no window, no display needed")
    checks.add_argument("--smoke", action="store_true",
                        help=f"open the window (offscreen if there is no display), run "
                        f"{SMOKE_LESSON} small in a process, save a screenshot (--screenshot, "
                        f"default {SMOKE_SCREENSHOT}) and exit")
    parser.add_argument("--version", action="version", version=f"%(prog)s {app_version()}")
    return parser


def app_version() -> str:
    """The installed package's version (also inside the frozen build, which ships its metadata)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("concurrency-lab")
    except PackageNotFoundError:
        return "unknown"


def smoke_args(args: argparse.Namespace) -> argparse.Namespace:
    """Turn `--smoke` into the automation flags of one small run that saves a screenshot."""
    if not has_display():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    args.run = SMOKE_LESSON
    args.backend = args.backend or SMOKE_BACKEND
    args.assignments = SMOKE_SETTINGS + list(args.assignments)
    args.screenshot = args.screenshot or SMOKE_SCREENSHOT
    args.exit_when_done = True
    return args


def output_problem(args: argparse.Namespace) -> str | None:
    """What is wrong with where --screenshot and --report would write, before anything runs."""
    for flag, path in (("--screenshot", args.screenshot), ("--report", args.report)):
        if not path:
            continue
        where = Path(path).expanduser()
        folder = where.parent if str(where.parent) else Path(".")
        if where.is_dir():
            return f"{flag} {path}: is a folder, not a file"
        if not folder.is_dir():
            return f"{flag} {path}: there is no folder {folder}"
        if not os.access(folder, os.W_OK):
            return f"{flag} {path}: the folder {folder} cannot be written"
    if args.screenshot and Path(args.screenshot).suffix.lower() != ".png":
        return f"--screenshot {args.screenshot}: must be a .png file"
    return None


def has_display() -> bool:
    """True if Qt can open a window here (a display, or an explicit platform such as offscreen)."""
    if sys.platform != "linux" or os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def main(argv: list[str] | None = None) -> int:
    """Entry point of `python -m desktop` and the `concurrency-lab` command."""
    multiprocessing.freeze_support()  # first: a frozen worker must not start a second app
    ensure_streams()  # a windowed Windows build has no stdout; print and argparse need one
    args = build_parser().parse_args(argv)
    problem = output_problem(args)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    python = None
    if args.python:
        from scenarios.engine.interpreters import BadInterpreter, check

        try:
            python = check(args.python)
        except BadInterpreter as exc:
            print(f"error: --python {exc}", file=sys.stderr)
            return 2
    if args.selftest:  # Qt-free: runs before any Qt import, with no display
        from desktop.startup.selftest import run_selftest

        return run_selftest(python=python)
    if args.smoke:
        args = smoke_args(args)
    if not has_display():
        print(NO_DISPLAY, file=sys.stderr)
        return 1
    from desktop.shell import layout_memory
    from desktop.shell.settings import Settings
    from desktop.shell.window import MainWindow
    from desktop.startup.automation import Automation
    from desktop.startup.error_report import ErrorReport
    from desktop.startup.qt_app import GUI_SWITCH_INTERVAL_MS, create_app, set_switch_interval

    app = create_app()
    icon = resource_path(APP_ICON)
    if icon.exists():
        from PySide6.QtGui import QIcon

        app.setWindowIcon(QIcon(str(icon)))
    interval = args.switch_interval_ms or GUI_SWITCH_INTERVAL_MS
    if not 0.01 <= interval <= 1000:
        print("error: --switch-interval-ms must be from 0.01 to 1000", file=sys.stderr)
        return 2
    set_switch_interval(interval)
    automated = bool(args.run or args.script)
    settings = None if automated else Settings()  # automated runs start from the defaults
    window = MainWindow(settings)
    if python is not None:
        window.python_choice.set(python)
    automation = Automation(window, args) if automated else None
    # from here an unexpected error is logged and shown, never a silent exit
    errors = ErrorReport(window, dialogs=automation is None).install()
    if settings is not None:
        layout_memory.restore(window, settings)
    window.show()
    code = app.exec()
    window.shutdown()
    errors.uninstall()
    if settings is not None:
        layout_memory.save(window, settings)
    if automation:  # an automated run that hit an unexpected error did not go well
        return automation.exit_code or (1 if errors.count else 0)
    return code
