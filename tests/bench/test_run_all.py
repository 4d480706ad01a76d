"""`make bench`'s runner: every module runs whatever the others found, and one summary tells."""

from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path

import pytest

from bench import results, run_all

RECORDS = """
from bench.results import record
import sys
ok = record("{name}", {value}, "ms", 10.0, "lower")
sys.exit(0 if ok else 1)
"""


@pytest.fixture
def fake_benches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Three bench modules in a package of their own: within budget, over it, and one crashing."""
    package = tmp_path / "fakebench"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "within.py").write_text(RECORDS.format(name="quick_ms", value=2.0))
    (package / "over.py").write_text(RECORDS.format(name="slow_ms", value=25.0))
    (package / "crash.py").write_text(textwrap.dedent("""
        print("starting")
        raise RuntimeError("boom")
    """))
    latest = tmp_path / "latest.json"
    monkeypatch.setattr(results, "LATEST", latest)
    monkeypatch.setenv("BENCH_RESULTS", str(latest))
    root = Path(__file__).parents[2]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(tmp_path), str(root)]))
    return latest


def test_every_module_runs_and_the_summary_marks_the_misses(fake_benches: Path) -> None:
    run_all.run_all([("fakebench.over", False), ("fakebench.crash", False),
                     ("fakebench.within", False)])  # a miss and a crash stop nothing
    figures = results.figures()
    assert figures["quick_ms"]["ok"] and not figures["slow_ms"]["ok"]
    crashed = figures["ran:fakebench.crash"]
    assert not crashed["ok"] and "RuntimeError: boom" in crashed["note"]
    table, all_ok = run_all.summary()
    assert not all_ok
    lines = {line.split()[0]: line for line in table.splitlines()[1:]}
    assert lines["slow_ms"].endswith("OVER") and lines["quick_ms"].endswith("ok")
    assert "OVER: RuntimeError: boom" in lines["ran:fakebench.crash"]


def test_the_results_name_the_machine_and_the_commit(fake_benches: Path) -> None:
    run_all.run_all([("fakebench.within", False)])
    machine = json.loads(fake_benches.read_text())["machine"]
    assert machine["python"] and machine["cpu_count"] and "commit" in machine
    assert run_all.summary()[1]
