"""Keep the window inside the screen's work area (a laptop's 1366×768 less its panels)."""

from __future__ import annotations

from PySide6.QtCore import QMargins, QRect, Qt
from PySide6.QtWidgets import QWidget

# What a window manager adds around a window (title bar, borders) before it has said so: a
# window shown at its wished size must still fit once framed.
DECORATION = QMargins(4, 32, 4, 4)


def framed(window: QWidget) -> QRect:
    """The window's outer rectangle: its frame if the window manager drew one, else a guess."""
    frame = window.frameGeometry()
    if frame.size() != window.geometry().size():
        return frame
    return window.geometry().marginsAdded(DECORATION)


def fit(window: QWidget) -> None:
    """Fill the work area if the window would not fit in it, else bring it inside if it is out.

    A remembered geometry from a larger screen, or the default size on a small laptop, would put
    the status bar under the taskbar or off the screen.
    """
    screen = window.screen()
    if screen is None:
        return
    available = screen.availableGeometry()
    frame = framed(window)
    if available.contains(frame):
        return
    if frame.width() > available.width() or frame.height() > available.height():
        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)
        return
    # it fits, but lies partly off the work area: moved just inside (the frame's corner)
    window.move(min(max(available.left(), frame.left()), available.right() - frame.width() + 1),
                min(max(available.top(), frame.top()), available.bottom() - frame.height() + 1))


def rect_json(rect: QRect) -> dict[str, int]:
    """A rectangle as the automation report gives it."""
    return {"x": rect.x(), "y": rect.y(), "width": rect.width(), "height": rect.height()}
