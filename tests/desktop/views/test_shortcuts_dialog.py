"""The F1 sheet scrolls and fits the screen's free room, however many keys it lists."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QScrollArea

from desktop.views.shortcuts_dialog import ShortcutsDialog


def test_a_long_sheet_scrolls_within_the_screen(qtbot):
    """Sixty keys: every row is in the sheet, and the sheet is no taller than the free room."""
    window = QMainWindow()
    qtbot.addWidget(window)
    for i in range(60):
        action = QAction(f"Action {i}", window)
        action.setShortcut(QKeySequence(f"Ctrl+Shift+{chr(ord('A') + i % 26)}"))
        action.setToolTip(f"What action {i} does, in a sentence long enough to wrap once or so")
        window.addAction(action)
    dialog = ShortcutsDialog(window)
    dialog.fill(window)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert isinstance(dialog.scroll, QScrollArea)
    assert dialog.scroll.widget() is dialog.label
    assert "Action 59" in dialog.label.text()
    room = dialog.screen().availableGeometry()
    assert dialog.height() <= room.height()
    assert dialog.width() <= room.width()
    assert dialog.scroll.verticalScrollBar().maximum() > 0  # the rest is a scroll away
    dialog.close()
