"""The keyboard sheet (F1): every action of the window with its key and what it does."""

from __future__ import annotations

import html

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QShowEvent
from PySide6.QtWidgets import QAbstractButton, QDialog, QLabel, QScrollArea, QVBoxLayout, QWidget

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


# The sheet's width, and its share of the screen's free room at most (the rest shows the window).
WIDTH_PX = 560
SCREEN_SHARE = 0.9


class ShortcutsDialog(QDialog):
    """A sheet of the window's keys, built from its actions (so it never goes stale).

    It scrolls, and is never taller than the screen's free room (a 768 px laptop's is ~700 px).
    """

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts · Concurrency Lab")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(self.label)
        layout = QVBoxLayout(self)
        layout.addWidget(self.scroll)
        self.resize(WIDTH_PX, 460)

    def fitting_size(self) -> QSize:
        """All rows if the screen has room for them, else the screen's free room."""
        room = self.screen().availableGeometry()
        frame = self.layout().contentsMargins()
        bar = self.scroll.verticalScrollBar().sizeHint().width()
        width = min(WIDTH_PX, round(room.width() * SCREEN_SHARE))
        inner = width - frame.left() - frame.right() - 2 * self.scroll.frameWidth() - bar
        height = (self.label.heightForWidth(inner) + frame.top() + frame.bottom()
                  + 2 * self.scroll.frameWidth())
        return QSize(width, min(height, round(room.height() * SCREEN_SHARE)))

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        """Fit the screen it opens on (text sizes may have changed since the last time)."""
        self.resize(self.fitting_size())
        room = self.screen().availableGeometry()
        if not room.contains(self.frameGeometry()):
            self.move(room.center() - self.rect().center())
        super().showEvent(event)

    def fill(self, window: QWidget) -> None:
        """List the window's current actions and keys."""
        dim = readable(DIM)
        cells = "".join(
            f"<tr><td valign='top' style='padding:2px 12px 2px 0'><b>{html.escape(key)}</b></td>"
            f"<td valign='top' style='padding:2px 12px 2px 0'>{html.escape(name)}</td>"
            f"<td valign='top' style='padding:2px 0; color:{dim}'>{html.escape(tip)}</td></tr>"
            for key, name, tip in shortcut_rows(window))
        self.label.setText(f"<table>{cells}</table>")
