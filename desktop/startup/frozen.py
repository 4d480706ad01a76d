"""What differs when the app runs as a packaged (PyInstaller) build rather than from source.

Kept Qt-free and small, so the Linux tests exercise what the Windows and macOS builds rely on:
where `resources/` is, and what to do when a windowed build has no stdout or stderr.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

# A windowed Windows build has no console: sys.stdout and sys.stderr are None there, and a print
# (or argparse's error message) would raise. Output goes to this file in the temp directory.
LOG_NAME = "concurrency-lab.log"


def is_frozen() -> bool:
    """True inside a PyInstaller build."""
    return bool(getattr(sys, "frozen", False))


def bundle_dir() -> Path:
    """The folder holding `resources/`: the build's data folder, or the source tree's root."""
    if is_frozen() and hasattr(sys, "_MEIPASS"):
        return Path(sys._MEIPASS)
    return Path(__file__).resolve().parents[2]


def resource_path(name: str) -> Path:
    """The path of a file in `resources/`, frozen or not."""
    return bundle_dir() / "resources" / name


def ensure_streams() -> Path | None:
    """Give a missing sys.stdout / sys.stderr a log file; return its path if one was needed."""
    if sys.stdout is not None and sys.stderr is not None:
        return None
    path = Path(tempfile.gettempdir()) / LOG_NAME
    # Line-buffered text, so the log is readable while the app runs; kept open for the app's life.
    log = open(path, "a", encoding="utf-8", buffering=1)
    if sys.stdout is None:
        sys.stdout = log
    if sys.stderr is None:
        sys.stderr = log
    return path
