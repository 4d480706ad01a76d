"""The File menu: open and save runs, export pictures (PNG) and tables (CSV)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

import pyqtgraph as pg
from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMenu, QMessageBox, QWidget

from desktop.data import run_file
from desktop.data.files import write_atomic
from desktop.data.history import RunHistory
from desktop.data.rundata import RunData
from desktop.shell.actions import window_action
from desktop.shell.run_loading import LoadCancelled, RunLoading
from desktop.views.export import plot_png, widget_png
from scenarios.model.lesson import Lesson

RUN_FILTER = "Run as JSON (*.json);;Run as CSV: spans, ticks, lines and samples (*.csv)"
PNG_FILTER = "PNG image (*.png)"
CSV_FILTER = "CSV table (*.csv)"


class RunShown(Protocol):
    """What the File menu needs of the window: the run on screen, the history, error reports.

    The run on screen is live or opened from a file.
    """

    lesson: Lesson
    history: RunHistory

    @property
    def running(self) -> bool: ...  # noqa: D102

    @property
    def shown_data(self) -> RunData | None: ...  # noqa: D102

    @property
    def shown_meta(self) -> dict[str, Any]: ...  # noqa: D102

    def report_error(self, message: str) -> None: ...  # noqa: D102

    def show_saved_run(  # noqa: D102
            self, data: RunData, meta: dict[str, Any], name: str) -> None: ...


class FileActions:
    """Builds the File menu and the plots' "Save as PNG" menus, and carries them out."""

    def __init__(self, window: QMainWindow, lab: RunShown, timeline: pg.PlotWidget,
                 quit_action: QAction) -> None:
        """Build the File menu on `window`.

        `window` gets the menu and its keys, parents the dialogs and is pictured whole;
        `timeline` has a menu entry of its own; `quit_action` ends the menu.
        """
        self.window = window
        self.lab = lab
        self.folder = Path(QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation) or Path.home())
        self.menu = menu = window.menuBar().addMenu("&File")
        self.open_action = self._add(menu, "Open run…", QKeySequence.StandardKey.Open,
                                     "Open a run saved as JSON or CSV and draw it again",
                                     self.open_run)
        self.save_action = self._add(menu, "Save run…", QKeySequence.StandardKey.Save,
                                     "Save the run shown (every span, tick, line and sample) as "
                                     "JSON or CSV", self.save_run)
        menu.addSeparator()
        self._add(menu, "Save window as PNG…", QKeySequence("Ctrl+Shift+S"),
                  "A picture of the whole window, as on screen", self.save_window_png)
        self._add(menu, "Save timeline as PNG…", QKeySequence("Ctrl+Shift+T"),
                  "A picture of the timeline plot, as on screen",
                  lambda: self.save_plot_png(timeline, "timeline"))
        self._add(menu, "Save run history as CSV…", QKeySequence("Ctrl+Shift+H"),
                  "Every run of this session: lesson, back end, parameters, result, wall time",
                  self.save_history_csv)
        menu.addSeparator()
        menu.addAction(quit_action)

    def _add(self, menu: QMenu, text: str, key: QKeySequence | QKeySequence.StandardKey,
             tip: str, slot: Callable[[], None]) -> QAction:
        action = window_action(self.window, text, QKeySequence(key), tip, slot)
        menu.addAction(action)
        return action

    def add_plot_menu(self, plot: pg.PlotWidget, name: str) -> None:
        """Right-click on a plot offers to save it as PNG."""
        action = QAction(f"Save {name} as PNG…", plot)
        action.triggered.connect(lambda: self.save_plot_png(plot, name))
        plot.addAction(action)
        plot.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

    # -- asking and telling ---------------------------------------------------------------------
    def ask_save_path(self, title: str, name: str, filters: str) -> Path | None:
        """Ask where to save (tests replace this); None if the user cancels."""
        chosen, _ = QFileDialog.getSaveFileName(self.window, title, str(self.folder / name),
                                                filters)
        return self._chosen(chosen)

    def ask_open_path(self, title: str, filters: str) -> Path | None:
        """Ask which file to open (tests replace this); None if the user cancels."""
        chosen, _ = QFileDialog.getOpenFileName(self.window, title, str(self.folder), filters)
        return self._chosen(chosen)

    def _chosen(self, chosen: str) -> Path | None:
        if not chosen:
            return None
        path = Path(chosen)
        self.folder = path.parent
        return path

    def write(self, path: Path, content: str | bytes, what: str) -> bool:
        """Write a file safely; a failure is told, and no earlier file is lost."""
        try:
            write_atomic(path, content)
        except OSError as exc:
            self.lab.report_error(f"Could not save {what} to {path}: {exc.strerror or exc}. "
                                     "Nothing was overwritten.")
            return False
        self.window.statusBar().showMessage(f"Saved {what} to {path}", 8000)
        return True

    # -- the actions ------------------------------------------------------------------------------
    def _default_name(self, suffix: str) -> str:
        data = self.lab.shown_data
        lesson = data.lesson_id if data else self.lab.lesson.id
        lesson = lesson.replace(":", "-")  # a script's run ("script:x.py"): no colon in a name
        return f"{lesson}-{data.backend if data else 'run'}{suffix}"

    def save_run(self) -> None:
        """Save the run shown as JSON or CSV."""
        data = self.lab.shown_data
        if data is None or self.lab.running:
            self.lab.report_error("There is no finished run to save yet: run the lesson "
                                     "first (F5).")
            return
        path = self.ask_save_path("Save run", self._default_name(".json"), RUN_FILTER)
        if path is not None:
            self.save_run_to(path)

    def save_run_to(self, path: Path) -> bool:
        """Save the run shown to a .json or .csv file."""
        data = self.lab.shown_data
        if data is None:
            return False
        return self.write(path, run_file.as_text(path, data, self.lab.shown_meta), "the run")

    def open_run(self) -> None:
        """Open a saved run and draw it."""
        if self.lab.running:
            self.lab.report_error("Stop the run before opening a saved one.")
            return
        path = self.ask_open_path("Open run", "Saved runs (*.json *.csv);;All files (*)")
        if path is not None:
            self.open_run_from(path)

    def open_run_from(self, path: Path) -> bool:
        """Read a saved run and show it; a bad file is told, and nothing shown is lost.

        A long load shows its progress; Cancel ends it and leaves the run on screen.
        """
        try:
            data, meta = RunLoading(self.window, path).run()
        except LoadCancelled:
            self.lab.report_error(f"Opening {path.name} was cancelled.")
            return False
        except run_file.RunFileError as exc:
            QMessageBox.warning(self.window, "Open run", f"Could not open {path.name}:\n{exc}")
            self.lab.report_error(f"Could not open {path.name}: {exc}")
            return False
        self.lab.show_saved_run(data, meta, path.name)
        return True

    def save_window_png(self) -> None:
        """Save a picture of the whole window."""
        self.save_widget_png(self.window, "window")

    def save_widget_png(self, widget: QWidget, name: str) -> None:
        """Save a picture of a widget as it is drawn now (the window, a table)."""
        suffix = ".png" if widget is self.window else f"-{name}.png"
        path = self.ask_save_path(f"Save {name} as PNG", self._default_name(suffix), PNG_FILTER)
        if path is not None:
            self.write(path, widget_png(widget), f"the {name}")

    def save_plot_png(self, plot: pg.PlotWidget, name: str) -> None:
        """Save a picture of one plot."""
        path = self.ask_save_path(f"Save {name} as PNG",
                                  self._default_name(f"-{name.replace(' ', '-')}.png"),
                                  PNG_FILTER)
        if path is not None:
            self.write(path, plot_png(plot), f"the {name}")

    def save_history_csv(self) -> None:
        """Save every run of this session as CSV."""
        if not self.lab.history.records:
            self.lab.report_error("No run has finished yet: the history is empty.")
            return
        path = self.ask_save_path("Save run history", "run-history.csv", CSV_FILTER)
        if path is not None:
            self.write(path, self.lab.history.csv_text(), "the run history")
