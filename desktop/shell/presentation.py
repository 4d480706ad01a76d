"""Full screen for presenting, and back to the window exactly as it was."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QCoreApplication, QEventLoop, QRect, Qt
from PySide6.QtWidgets import QMainWindow, QSplitter

from desktop.shell.splitter_shares import settle_layouts

# How much larger text is in presentation mode (times the user's zoom): readable from the back of
# a classroom on a 1280x720 projector while every pane of the window still fits (at 1.5 the
# timeline's heading and legend take the whole timeline pane at 720 px).
PRESENT_SCALE = 1.35


class FullScreen:
    """Shows a window full screen, then restores its state, geometry and splitter sizes."""

    def __init__(self, window: QMainWindow) -> None:
        self.window = window
        self._state: Qt.WindowState | None = None
        self._geometry = QRect()
        self._splitters: list[tuple[QSplitter, QByteArray]] = []

    @property
    def active(self) -> bool:
        """True between enter and leave."""
        return self._state is not None

    def enter(self) -> None:
        """Remember how the window is, then fill the screen with it."""
        if self.active:
            return
        self._state = self.window.windowState()
        self._geometry = self.window.geometry()
        self._splitters = [(s, s.saveState()) for s in self.window.findChildren(QSplitter)]
        self.window.showFullScreen()
        # The new size (a window-system event) is laid out now, with the new look, while the
        # window paints nothing (see Appearance.set_presenting), not in a second pause after it.
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)

    def leave(self) -> None:
        """Put the window back as it was before enter.

        Call after fonts are back to normal, so the splitters keep their old sizes.
        """
        if self._state is None:
            return
        state, self._state = self._state, None
        self.window.setWindowState(state)
        if not state & (Qt.WindowState.WindowMaximized | Qt.WindowState.WindowFullScreen):
            self.window.setGeometry(self._geometry)
        # The window gets its old size first (a window-system event, delivered by the event loop);
        # sizes restored before would be redistributed by that resize.
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
        settle_layouts()  # the panes' minimum sizes back to the normal text's, or Qt clamps
        for splitter, saved in self._splitters:
            splitter.restoreState(saved)
        self._splitters = []
