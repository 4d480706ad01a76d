"""`python -m desktop --run ...`: screenshot, report and exit codes, as CI and benches use it."""

import json
import os
import subprocess
import sys


def desktop(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
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
