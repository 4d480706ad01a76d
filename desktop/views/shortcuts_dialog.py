"""The keyboard sheet (F1): every action of the window with its key and what it does."""

from __future__ import annotations

import html

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractButton, QDialog, QLabel, QVBoxLayout, QWidget

from desktop.style.palette import DIM, readable


def shortcut_rows(window: QWidget) -> list[tuple[str, str, str]]:
    """(key, action, what it does) for every action and button of the window that has a key."""
    rows = []
    for action in window.findChildren(QAction):
        key = ", ".join(k.toString() for k in action.shortcuts())  # e.g. "F11, Ctrl+P"
        if key and action.text():
            rows.append((key, action.text().replace("&", ""), tip_of(action.toolTip())))
    for button in window.findChildren(QAbstractButton):
        key = button.shortcut().toString()
        if key:
            rows.append((key, button.text().replace("&", ""), tip_of(button.toolTip())))
    return sorted(set(rows), key=lambda row: row[1])


def tip_of(tooltip: str) -> str:
    """A tooltip without the '(key)' it ends with."""
    return tooltip.rsplit(" (", 1)[0] if tooltip.endswith(")") else tooltip


class ShortcutsDialog(QDialog):
    """A sheet of the window's keys, built from its actions (so it never goes stale)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts · Concurrency Lab")
        self.label = QLabel()
        self.label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        self.resize(560, 460)

    def fill(self, window: QWidget) -> None:
        """List the window's current actions and keys."""
        dim = readable(DIM)
        cells = "".join(
            f"<tr><td valign='top' style='padding:2px 12px 2px 0'><b>{html.escape(key)}</b></td>"
            f"<td valign='top' style='padding:2px 12px 2px 0'>{html.escape(name)}</td>"
            f"<td valign='top' style='padding:2px 0; color:{dim}'>{html.escape(tip)}</td></tr>"
            for key, name, tip in shortcut_rows(window))
        self.label.setText(f"<table>{cells}</table>")
