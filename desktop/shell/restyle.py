"""Restyling a window without long pauses: one paint for all, hidden views when next shown."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget


@contextmanager
def painted_once(window: QWidget) -> Iterator[None]:
    """Change the look inside; the window is painted once after, by the event loop.

    A new font or window size re-lays out every pane in several rounds, and each plot on the time
    axis repaints itself at once on every resize of its view (it paints on demand, not on Qt's
    schedule): a dozen whole repaints of every plot where one is enough.
    """
    window.setUpdatesEnabled(False)  # repaint() does nothing meanwhile; update() waits
    try:
        yield
    finally:
        window.setUpdatesEnabled(True)  # one update of the whole window


def follows_look(widget: QWidget) -> bool:
    """True if the widget redraws itself in a new look (has apply_look, as look.FollowsLook).

    Asked of every widget of the window at each change: a runtime Protocol check costs ~30 us a
    widget, this a fraction of it.
    """
    return callable(getattr(widget, "apply_look", None))


class LookOnShow(QObject):
    """Restyles views now if they are on screen, else the next time they are shown.

    A view behind another tab (the code's highlighting, a chart not shown) costs tens of ms to
    restyle; a learner may never look at it in this look.
    """

    def restyle(self, widgets: list[QWidget]) -> None:
        """apply_look on each visible widget now; on each hidden one when it is shown."""
        for widget in widgets:
            if widget.isVisible():
                widget.removeEventFilter(self)
                widget.apply_look()
            else:
                widget.installEventFilter(self)  # once: a second install only moves it first

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """Restyle a waiting widget as it is shown (before its first paint)."""
        if event.type() == QEvent.Type.Show:
            watched.removeEventFilter(self)
            watched.apply_look()
        return False
