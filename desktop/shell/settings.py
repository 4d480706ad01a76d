"""What the app remembers between sessions (window layout, last lesson, back end), safely."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings, QStandardPaths

# Where the settings live; tests and a portable install can point it elsewhere.
PATH_ENV = "CONCURRENCY_LAB_SETTINGS"
FOLDER, FILE_NAME = "concurrency-lab", "settings.ini"


def settings_path() -> Path:
    """The settings file: $CONCURRENCY_LAB_SETTINGS, or one in the user's configuration folder.

    That is e.g. ~/.config/concurrency-lab/settings.ini.
    """
    given = os.environ.get(PATH_ENV)
    if given:
        return Path(given)
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericConfigLocation)
    return Path(base or Path.home() / ".config") / FOLDER / FILE_NAME


# A settings file is a few kilobytes; one far bigger is not ours, and is not read.
MAX_BYTES = 1 << 20


def damaged(path: Path, why: str) -> str:
    """The words for a settings file that is ignored."""
    return (f"The settings file {path} is ignored ({why}); the app starts with its defaults "
            "and will write a new one.")


def file_problem(path: Path) -> str | None:
    """What is wrong with the settings file before it is read (None: nothing, or no file)."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            return damaged(path, "it is not a regular file")
        if info.st_size > MAX_BYTES:
            return damaged(path, f"it is {info.st_size / 2**20:,.0f} MB, far more than "
                           "settings take")
        with open(path, "rb") as file:
            if b"\0" in file.read(MAX_BYTES):
                return damaged(path, "it holds NUL bytes: it could not be read")
    except FileNotFoundError:
        return None
    except OSError as exc:
        return damaged(path, f"it could not be read: {exc.strerror or exc}")
    return None


class Settings:
    """Reads and writes the remembered values; a damaged file is reported and ignored."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or settings_path()
        self.problem: str | None = file_problem(self.path)  # what is wrong with the file
        self._qt: QSettings | None = None
        if self.problem is None:
            self._qt = QSettings(str(self.path), QSettings.Format.IniFormat)
            self._qt.allKeys()  # QSettings reads on first use: read now, so its status says
            if self._qt.status() != QSettings.Status.NoError:
                self.problem = damaged(self.path, "it could not be read")
                self._qt = None

    def text(self, key: str, allowed: list[str] | None = None) -> str | None:
        """A remembered string (one of `allowed`, if given), or None."""
        if self._qt is None:
            return None
        value = self._qt.value(key)
        if not isinstance(value, str) or (allowed is not None and value not in allowed):
            return None
        return value

    def blob(self, key: str) -> QByteArray | None:
        """Remembered bytes (a saved geometry or splitter state), or None."""
        if self._qt is None:
            return None
        value = self._qt.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def keep(self, values: dict[str, Any]) -> None:
        """Save the values; a file that cannot be written is noted in one line, and that is all."""
        if not self.save(values):
            print(f"note: could not write the settings file {self.path}")

    def save(self, values: dict[str, Any]) -> bool:
        """Write the values (replacing a damaged file); False if the folder is not writable."""
        if self._qt is None:  # start a fresh file once; the damaged one is of no use
            try:
                self.path.unlink(missing_ok=True)
            except OSError:
                return False
            self._qt = QSettings(str(self.path), QSettings.Format.IniFormat)
            self.problem = None
        for key, value in values.items():
            self._qt.setValue(key, value)
        self._qt.sync()
        return self._qt.status() == QSettings.Status.NoError
