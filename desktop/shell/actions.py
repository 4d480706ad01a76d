"""A window's actions: each with its key, the key shown in its tooltip."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget


def window_action(window: QWidget, text: str, key: QKeySequence, tip: str,
                  slot: Callable[..., Any]) -> QAction:
    """An action of the window, its key named at the end of its tooltip.

    Its key works anywhere in the window, even with its menu closed (so it shows in the keyboard
    sheet).
    """
    action = QAction(text, window)
    action.setShortcut(key)
    action.setToolTip(f"{tip} ({key.toString()})")
    action.triggered.connect(slot)
    window.addAction(action)
    return action
