"""The house's import rules (pyproject's import-linter contracts) hold, and a broken one fails."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    """Run lint-imports on the packages under `tree`, with its pyproject's contracts."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=tree, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def test_every_contract_is_kept() -> None:
    done = lint_imports(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_an_engine_module_importing_a_lesson_breaks_the_layers(tmp_path: Path) -> None:
    for package in ("scenarios", "desktop"):
        shutil.copytree(ROOT / package, tmp_path / package,
                        ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    (tmp_path / "scenarios" / "engine" / "mistake.py").write_text(
        '"""An engine module that knows a lesson."""\n\n'
        "from scenarios.lessons import race_counter  # noqa: F401\n")
    done = lint_imports(tmp_path)
    assert done.returncode != 0
    assert "scenarios.engine is not allowed to import scenarios.lessons" in done.stdout
    assert "scenarios.engine.mistake -> scenarios.lessons.race_counter" in done.stdout
