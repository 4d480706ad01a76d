"""The engine is Qt-free: importing and running it never loads Qt.

DESIGN: scenarios/ never imports PySide6 or pyqtgraph; this proves it, as napari does for its
components.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

from scenarios.lessons import catalogue

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "scenarios"
QT_MODULES = ("PySide6", "shiboken6", "pyqtgraph", "qtpy", "PyQt5", "PyQt6")

# Runs in a fresh interpreter, so nothing the test session imported (pytest-qt!) can hide a leak.
PROBE = """
import json, sys
import scenarios
from scenarios.engine import backends, events, pools, probe, sink
from scenarios.lessons import catalogue
from scenarios import cli
from scenarios.model import lesson, params
for module in catalogue.LESSON_MODULES:
    __import__("scenarios.lessons." + module)
for backend in ("thread", "process"):
    run = backends.make_run(catalogue.get("thread_basics"),
                            {"delay_1": 0.01, "delay_2": 0.01, "count": 1}, backend)
    run.start()
    assert run.wait(30), backend
    result = backends.result_of(run.collector.drain())
    assert result is not None and result.error is None, (backend, result)
run = backends.make_run(catalogue.get("pool_speedup"), {"tasks": 100, "pool_size": 1}, "thread")
run.start()
assert run.wait(30)
print(json.dumps(sorted(sys.modules)))
"""


def test_importing_and_running_the_engine_loads_no_qt() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True,
                          text=True, timeout=90, check=False)
    assert done.returncode == 0, done.stderr
    modules = json.loads(done.stdout.strip().splitlines()[-1])
    assert {"scenarios.lessons.race_counter", "scenarios.lessons.pool_speedup"} <= set(modules)
    loaded = [m for m in modules if m.split(".")[0] in QT_MODULES]
    assert not loaded, f"the engine loaded Qt modules: {loaded}"


def imported_names(path: Path) -> set[str]:
    """Top-level names of every module a file imports (plain, from, or import_module("..."))."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if called in ("import_module", "__import__") and isinstance(node.args[0].value, str):
                names.add(node.args[0].value.split(".")[0])
    return names


def test_no_file_in_scenarios_imports_qt() -> None:
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) >= len(catalogue.LESSON_MODULES) + 5
    offenders = {str(f.relative_to(ROOT)): sorted(imported_names(f) & set(QT_MODULES))
                 for f in files}
    assert not {f: names for f, names in offenders.items() if names}
    # The same, grep-style, for import lines the parser could not see (e.g. inside exec strings).
    import_line = re.compile(rf"^\s*(import|from)\s+({'|'.join(QT_MODULES)})\b", re.MULTILINE)
    for path in files:
        assert not import_line.search(path.read_text(encoding="utf-8")), path


def test_the_checker_would_catch_an_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("import os\nfrom PySide6.QtCore import QTimer\n"
                      "import importlib\nimportlib.import_module('pyqtgraph')\n")
    assert {"PySide6", "pyqtgraph"} <= imported_names(sample)
