"""Unexpected errors anywhere in the app: written to a rotating log file and shown in a dialog.

The app goes on (never a silent exit).
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, QStandardPaths, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

# Where the log goes; tests and a portable install can point it elsewhere.
LOG_DIR_ENV = "CONCURRENCY_LAB_LOG_DIR"
LOG_NAME = "concurrency-lab.log"
# A few files of 1 MB: enough for the tracebacks of many sessions, never a full disk.
LOG_BYTES, LOG_FILES = 1_000_000, 3


def log_dir() -> Path:
    """The log folder: $CONCURRENCY_LAB_LOG_DIR, or one in the user's data folder.

    That is e.g. ~/.local/share/concurrency-lab/logs.
    """
    given = os.environ.get(LOG_DIR_ENV)
    if given:
        return Path(given)
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericDataLocation)
    return Path(base or Path.home() / ".local" / "share") / "concurrency-lab" / "logs"


def open_log(folder: Path) -> tuple[logging.Logger, Path | None]:
    """A logger writing to a rotating file in `folder`, and the file's path.

    The path is None if the file cannot be written: the errors then go to stderr only.
    """
    logger = logging.getLogger("concurrency_lab.errors")
    logger.propagate = False
    logger.setLevel(logging.ERROR)
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()
    path: Path | None = folder / LOG_NAME
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=LOG_BYTES, backupCount=LOG_FILES, encoding="utf-8")
    except OSError:
        path, handler = None, logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
    logger.addHandler(handler)
    return logger, path


class ErrorReport(QObject):
    """Catches every uncaught exception, logs it, and shows it in a dialog on the window.

    Every one: on the GUI thread, on other threads and in Qt slots. It goes to stderr when nobody
    is there to see a dialog.
    """

    # the text to show; emitted from any thread, shown on the GUI thread
    caught = Signal(str)

    def __init__(self, window: QWidget, folder: Path | None = None, dialogs: bool = True) -> None:
        super().__init__(window)
        self.window = window
        self.dialogs = dialogs
        self.logger, self.path = open_log(folder or log_dir())
        self.count = 0  # errors caught this session
        self._seen: set[str] = set()  # tracebacks already in the dialog or the log
        self._dialog: QMessageBox | None = None
        self._previous = (sys.excepthook, threading.excepthook)
        self.caught.connect(self._show)

    def install(self) -> ErrorReport:
        """Route uncaught exceptions here (undone by uninstall)."""
        sys.excepthook = self.report
        threading.excepthook = self._thread_hook
        return self

    def uninstall(self) -> None:
        """Give the hooks back."""
        sys.excepthook, threading.excepthook = self._previous

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return
        where = f" in thread {args.thread.name}" if args.thread else ""
        self.report(args.exc_type, args.exc_value, args.exc_traceback, where)

    def report(self, kind: type[BaseException], error: BaseException | None,
               tb: TracebackType | None, where: str = "") -> None:
        """Log one uncaught exception and have it shown (safe from any thread)."""
        text = "".join(traceback.format_exception(kind, error, tb))
        self.count += 1
        if text in self._seen:  # a fault repeating at every frame: counted, told once
            self.caught.emit("")
            return
        self._seen.add(text)
        self.logger.error("uncaught exception%s\n%s", where, text)
        print(f"error{where}: {text}", file=sys.stderr, end="")
        self.caught.emit(text)

    def _show(self, text: str) -> None:
        if not self.dialogs:
            return
        if self._dialog is not None and self._dialog.isVisible():
            # one dialog at a time: a fault that repeats at every frame must not bury the window
            if text:
                self._dialog.setDetailedText(self._dialog.detailedText() + "\n" + text)
            self._dialog.setInformativeText(self._counted())
            return
        if not text:
            return  # a repeat of an error whose dialog was closed
        where = f"It was written to {self.path}." if self.path else "It was printed on stderr."
        box = QMessageBox(QMessageBox.Icon.Critical, "Something went wrong",
                          "An unexpected error happened inside Concurrency Lab. The app goes on; "
                          "a run in progress may have stopped. " + where,
                          QMessageBox.StandardButton.Ok, self.window)
        box.setInformativeText(self._counted())
        box.setDetailedText(text)
        box.open()  # not exec(): an error while painting must not start a nested event loop
        self._dialog = box

    def _counted(self) -> str:
        return f"Errors this session: {self.count}. Details below."
