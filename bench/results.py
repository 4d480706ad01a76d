"""Writes benchmark figures into bench/results/latest.json in the format DESIGN describes."""

from __future__ import annotations

import json
import os
import platform
import sys
from pathlib import Path

LATEST = Path(__file__).parent / "results" / "latest.json"


def _machine() -> dict:
    from PySide6 import __version__ as qt_version

    return {"cpu_count": os.cpu_count(), "python": sys.version.split()[0], "qt": qt_version,
            "platform": platform.platform()}


def record(name: str, value: float, unit: str, budget: float | None, better: str) -> bool:
    """Add or replace one figure; returns whether it is within budget (None: no budget, ok)."""
    if budget is None:
        ok = True
    else:
        ok = value <= budget if better == "lower" else value >= budget
    data = json.loads(LATEST.read_text()) if LATEST.exists() else {"figures": {}}
    data["machine"] = _machine()
    data["figures"][name] = {"value": round(value, 4), "unit": unit, "budget": budget,
                             "better": better, "ok": ok}
    LATEST.parent.mkdir(parents=True, exist_ok=True)
    tmp = LATEST.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2))
    tmp.replace(LATEST)
    return ok
