"""The packaged app's checks: `--selftest` (headless, every lesson) and `--smoke` (one window run).

These run the source app in a subprocess, the same way CI runs the frozen one.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from desktop.startup import app, frozen, selftest
from scenarios.engine.events import Line, Mark, Worker
from scenarios.lessons import catalogue, quick

ROOT = Path(__file__).resolve().parents[3]
# What .ci/run looks for in the smoke log of the frozen app (Qt 6's own wording included).
BROKEN_PACKAGE = re.compile(
    r"ModuleNotFoundError|Traceback|cannot load Qt platform plugin"
    r"|could not (load|find) the Qt platform plugin|no Qt platform plugin could be initialized",
    re.IGNORECASE)
# Generous: the whole self-test takes a couple of seconds; this only guards against a hang.
SUBPROCESS_TIMEOUT_S = 120


def run_app(*args: str, env: dict[str, str] | None = None,
            cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """`python -m desktop ARGS`, its output captured."""
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=cwd,
                          env=env or dict(os.environ), timeout=SUBPROCESS_TIMEOUT_S)


def spawned_since(t0: float) -> list[psutil.Process]:
    """Orphans started since t0 that multiprocessing made (workers, the resource tracker).

    The self-test has exited by the time this looks, so anything it left behind has been handed
    to init; processes of other jobs running at the same time still have their live parents.
    """
    found = []
    for proc in psutil.process_iter(["create_time", "cmdline", "ppid"]):
        cmdline = " ".join(proc.info["cmdline"] or [])
        if ((proc.info["create_time"] or 0) >= t0 and "multiprocessing" in cmdline
                and proc.info["ppid"] in (0, 1)):
            found.append(proc)
    return found


def test_selftest_passes_every_lesson_on_both_back_ends_without_qt_and_leaves_nothing() -> None:
    t0 = time.time()
    env = dict(os.environ)
    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        env.pop(name, None)  # no display at all: the self-test must not need one
    done = run_app("-X", "importtime", "-m", "desktop", "--selftest", env=env)
    lines = done.stdout.splitlines()
    ids = [lesson.id for lesson in catalogue.lessons()]
    expected = {f"{i}/{b}" for i in ids for b in ("source", *selftest.SELFTEST_BACKENDS)}
    assert done.returncode == 0, done.stdout + done.stderr
    assert {line.split()[1] for line in lines[:-1]} == expected
    assert all(line.startswith("PASS ") for line in lines[:-1]), done.stdout
    assert lines[-1] == f"{len(expected)} passed, 0 failed"
    imported = done.stderr  # -X importtime lists every module imported
    assert "PySide6" not in imported and "pyqtgraph" not in imported
    assert "Traceback" not in done.stderr
    deadline = time.monotonic() + 5
    while spawned_since(t0) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert spawned_since(t0) == []


def test_a_failing_check_prints_fail_and_the_summary_counts_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    race = catalogue.get("race_counter")
    monkeypatch.setattr(catalogue, "lessons", lambda: [race])
    monkeypatch.setattr(selftest, "SELFTEST_BACKENDS", ("thread",))
    monkeypatch.setitem(quick.SMALL_PARAMS, "race_counter", {"increments": -1})
    out = io.StringIO()
    assert selftest.run_selftest(out) == 1
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("PASS race_counter/source")
    assert lines[1].startswith("FAIL race_counter/thread") and "increments" in lines[1]
    assert lines[-1] == "1 passed, 1 failed"


def test_process_limit_is_pool_size_plus_three() -> None:
    assert selftest.process_limit({"pool_size": 4, "tasks": 10}) == 7
    assert selftest.process_limit({"increments": 300}) == 3


def test_a_lesson_that_starts_its_own_process_may_have_one_more() -> None:
    child = Worker(4242, 1, "child")
    events = [Line(Worker(0, 0, "lab"), 0, "lab line", "lab"),
              Line(Worker(os.getpid(), 1, "main"), 0, "hi", "stdout"),
              Mark(child, 0, "started"), Line(child, 1, "squares", "stdout")]
    assert selftest.lesson_processes(events, runner_pid=None) == 1
    assert selftest.process_limit({"numbers": 2}, started=1) == 4


def test_smoke_opens_the_window_runs_a_lesson_and_saves_a_screenshot(tmp_path: Path) -> None:
    env = dict(os.environ)
    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        env.pop(name, None)  # --smoke chooses offscreen itself when there is no display
    shot = tmp_path / "smoke.png"
    done = run_app("-m", "desktop", "--smoke", "--screenshot", str(shot), env=env)
    assert done.returncode == 0, done.stderr
    assert shot.stat().st_size > 10_000
    assert not BROKEN_PACKAGE.search(done.stdout + done.stderr)


def test_the_smoke_log_check_catches_qt6_missing_plugin_messages() -> None:
    log = ('qt.qpa.plugin: Could not find the Qt platform plugin "bogus" in ""\n'
           "This application failed to start because no Qt platform plugin could be initialized.")
    assert BROKEN_PACKAGE.search(log)
    assert not BROKEN_PACKAGE.search("This plugin does not support propagateSizeHints()")


def test_smoke_flags_are_one_small_process_run_offscreen_without_a_display(
        monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    args = app.smoke_args(app.build_parser().parse_args(["--smoke", "--set", "threads=3"]))
    assert os.environ["QT_QPA_PLATFORM"] == "offscreen"
    assert (args.run, args.backend, args.exit_when_done) == ("race_counter", "process", True)
    assert args.screenshot == app.SMOKE_SCREENSHOT
    assert args.assignments == [*app.SMOKE_SETTINGS, "threads=3"]


def test_smoke_keeps_a_real_display(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.setenv("DISPLAY", ":99")
    app.smoke_args(app.build_parser().parse_args(["--smoke"]))
    assert "QT_QPA_PLATFORM" not in os.environ


def test_version_comes_from_the_package_metadata() -> None:
    done = run_app("-m", "desktop", "--version")
    assert done.returncode == 0
    assert done.stdout.split()[-1] == app.app_version() != "unknown"


def test_missing_stdout_of_a_windowed_build_goes_to_a_log(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(frozen.tempfile, "gettempdir", lambda: str(tmp_path))
    monkeypatch.setattr(sys, "stdout", None)
    path = frozen.ensure_streams()
    assert path == tmp_path / frozen.LOG_NAME
    print("hello from a windowed build")
    sys.stdout.close()
    assert "hello from a windowed build" in path.read_text(encoding="utf-8")


def test_streams_are_left_alone_when_present() -> None:
    assert frozen.ensure_streams() is None


def test_resources_are_found_from_source() -> None:
    for name in ("icon.png", "icon.svg", "icon.ico", "icon.icns"):
        assert frozen.resource_path(name).is_file(), name


def test_process_age_agrees_with_psutil_within_its_rounding() -> None:
    from desktop.startup.automation import process_age_s

    age = process_age_s()
    rough = time.time() - psutil.Process().create_time()  # boot time rounded to whole seconds
    assert age > 0
    assert abs(age - rough) <= 1.1


def test_on_a_python_without_dask_the_cluster_lesson_is_skipped_by_name(monkeypatch) -> None:
    from desktop.startup import selftest
    from scenarios.engine import interpreters
    from scenarios.lessons import catalogue

    other = interpreters.Interpreter("/opt/python3.13t", (3, 13, 5), True, False)
    cluster = catalogue.get("cluster_map")
    monkeypatch.setattr(catalogue, "lessons", lambda: [cluster])
    monkeypatch.setattr(interpreters, "missing", lambda python, needs: list(needs))
    out = io.StringIO()
    assert selftest.run_selftest(out, other) == 0
    lines = out.getvalue().splitlines()
    assert lines[1] == ("SKIP cluster_map/process on Python 3.13.5 free-threaded, GIL off: it "
                        "needs distributed, which that Python lacks")
    assert lines[-1] == "1 passed, 0 failed"
