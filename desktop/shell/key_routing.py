"""Window keys that a focused parameter field would otherwise take for itself."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QWidget


def _combination(event: QKeyEvent) -> QKeySequence:
    return QKeySequence(event.keyCombination())


class WindowKeys(QObject):
    """Lets the window's keys (Ctrl+Left/Right: the lessons) through a focused number field.

    A number field's text box claims Ctrl+Left/Right for moving the cursor a word, which a number
    has no use for; a text field (an address, a schedule) keeps them, as every text box does.
    """

    def __init__(self, parent: QObject, keys: Iterable[QKeySequence]) -> None:
        super().__init__(parent)
        self.keys = [QKeySequence(key) for key in keys]

    def watch(self, panel: QWidget) -> None:
        """Let the keys through every number field of `panel` (call it when its fields change)."""
        for box in panel.findChildren(QAbstractSpinBox):
            for widget in (box, box.lineEdit()):
                widget.removeEventFilter(self)  # a field watched twice would be asked twice
                widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """A window key pressed in a number field goes to the window's shortcut, not the field."""
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            return _combination(event) in self.keys  # True: the field never claims it
        return False


def clear_field_focus() -> None:
    """Take the keyboard from a field, so that keys typed next are the window's (step keys)."""
    focused = QApplication.focusWidget()
    if focused is not None:
        focused.clearFocus()
