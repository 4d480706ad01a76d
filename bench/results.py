"""Writes benchmark figures into bench/results/latest.json (another file: BENCH_RESULTS).

The file holds `machine` (cpu_count, python, qt, platform, commit) and `figures`: for each name,
value, unit, budget, better ("lower" or "higher"), ok, and when it was recorded (`at`, epoch s).
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

LATEST = Path(os.environ.get("BENCH_RESULTS") or Path(__file__).parent / "results" / "latest.json")


def _machine() -> dict:
    from PySide6 import __version__ as qt_version

    return {"cpu_count": os.cpu_count(), "python": sys.version.split()[0], "qt": qt_version,
            "platform": platform.platform(), "commit": commit()}


def commit() -> str:
    """The checkout's commit (with '+changes' if it has uncommitted ones), or '' outside git."""
    here = Path(__file__).parent
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=here, capture_output=True,
                              text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=here,
                               capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""
    return f"{head}+changes" if head and dirty else head


def figures() -> dict[str, dict]:
    """Every figure recorded so far, by name."""
    return json.loads(LATEST.read_text())["figures"] if LATEST.exists() else {}


def record(name: str, value: float, unit: str, budget: float | None, better: str,
           note: str = "") -> bool:
    """Add or replace one figure; returns whether it is within budget (None: no budget, ok).

    `note`: what went wrong, for a figure that stands for a module that failed.
    """
    if budget is None:
        ok = True
    else:
        ok = value <= budget if better == "lower" else value >= budget
    data = json.loads(LATEST.read_text()) if LATEST.exists() else {"figures": {}}
    data["machine"] = _machine()
    data["figures"][name] = {"value": round(value, 4), "unit": unit, "budget": budget,
                             "better": better, "ok": ok, "at": round(time.time(), 3)}
    if note:
        data["figures"][name]["note"] = note
    LATEST.parent.mkdir(parents=True, exist_ok=True)
    tmp = LATEST.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2))
    tmp.replace(LATEST)
    return ok
