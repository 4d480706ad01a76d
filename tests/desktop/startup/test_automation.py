"""`python -m desktop --run ...`: screenshot, report and exit codes, as CI and benches use it."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.startup import app


def desktop(*args: str, timeout: float = 120, platform: str = "offscreen"
            ) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM=platform)
    return subprocess.run([sys.executable, "-m", "desktop", *args], capture_output=True,
                          text=True, timeout=timeout, env=env)


def test_run_writes_report_and_screenshot(tmp_path):
    report, shot = tmp_path / "r.json", tmp_path / "s.png"
    done = desktop("--run", "race_counter", "--backend", "process", "--set", "increments=500",
                   "--report", str(report), "--screenshot", str(shot), "--exit-when-done")
    assert done.returncode == 0, done.stderr
    data = json.loads(report.read_text())
    assert data["result"]["lost_updates"] > 0
    assert set(data["ui_lag_ms"]) == {"p50", "p99", "max", "samples"}
    assert data["ui_lag_ms"]["samples"] > 0
    assert data["startup_s"] > 0 and data["wall_s"] > 0
    assert shot.stat().st_size > 10_000
    assert "Traceback" not in done.stderr


def test_bad_parameter_exits_2_with_one_line():
    done = desktop("--run", "race_counter", "--set", "increments=-5", "--exit-when-done")
    assert done.returncode == 2
    lines = [line for line in done.stderr.splitlines() if "propagateSizeHints" not in line]
    assert len(lines) == 1 and "increments" in lines[0] and "-5" in lines[0]


# -- issue 22, cases 1, 3 and 12: no flag, path or lesson id hangs or exits unexplained ------

def said(done) -> list[str]:
    """What the app printed on stderr, Qt's own offscreen notes left out."""
    return [line for line in done.stderr.splitlines() if "propagateSizeHints" not in line]


@pytest.mark.parametrize(("flag", "path", "why"), [
    ("--report", "/nonexistent/dir/r.json", "there is no folder"),
    ("--screenshot", "/nonexistent/dir/x.png", "there is no folder"),
    ("--screenshot", "shot.txt", "must be a .png"),
    ("--report", "/tmp", "is a folder"),
])
def test_an_output_path_that_cannot_be_written_is_refused_before_the_run(
        flag: str, path: str, why: str, capsys) -> None:
    assert app.main(["--run", "race_counter", flag, path, "--exit-when-done"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and why in err and path in err


def test_a_report_that_fails_to_write_at_the_end_exits_2_with_one_line() -> None:
    done = desktop("--run", "race_counter", "--set", "increments=100",
                   "--report", "/proc/x.json", "--exit-when-done", timeout=60)
    assert done.returncode == 2, done.stderr
    lines = said(done)
    assert len(lines) == 1 and "cannot write the report /proc/x.json" in lines[0]
    assert "Traceback" not in done.stderr


def test_an_unknown_lesson_is_named_with_the_known_ones() -> None:
    done = desktop("--run", "nonexistent", "--exit-when-done", timeout=60)
    assert done.returncode == 2
    lines = said(done)
    assert len(lines) == 1 and "no lesson 'nonexistent'" in lines[0]
    assert "race_counter" in lines[0]


def test_a_stepped_run_on_a_laptop_screen_reports_its_interleaving_and_fits(tmp_path) -> None:
    laptop = Path(__file__).parents[2] / "screens" / "laptop.json"
    report = tmp_path / "r.json"
    done = desktop("--run", "race_counter", "--set", "threads=2", "--set", "increments=1",
                   "--step", "1 2 1 2", "--report", str(report), "--exit-when-done",
                   platform=f"offscreen:configfile={laptop}")
    assert done.returncode == 0, done.stderr
    data = json.loads(report.read_text())
    frame, area = data["window"], data["screen_available"]
    assert (area["width"], area["height"]) == (1366, 768)
    assert frame["x"] >= area["x"] and frame["y"] >= area["y"]
    assert frame["x"] + frame["width"] <= area["x"] + area["width"]
    assert frame["y"] + frame["height"] <= area["y"] + area["height"]
    assert data["front_tab"] == "Step"
    rows = data["interleaving"]
    assert [(row["thread"], row["operation"], row["value"]) for row in rows] == [
        (1, "read x", "0"), (2, "read x", "0"), (1, "write x", "1"), (2, "write x", "1")]
    assert [row.get("lost", False) for row in rows] == [False, False, False, True]
