"""A lesson's things to try as a checklist: each ticks itself (✓) once a finished run did it."""

from __future__ import annotations

from PySide6.QtCore import Qt, QVariantAnimation, Signal
from PySide6.QtGui import QColor, QPalette, QResizeEvent, QShowEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from desktop.data.try_state import TryProgress
from desktop.style.palette import readable
from scenarios.model.lesson import Lesson

DONE_MARK, OPEN_MARK = "✓", "○"
DONE_COLOUR = "#009E73"  # the palette's bluish green: "done" without the alarm of red or orange
# A newly ticked row lights up, holds a moment, then fades: long enough to catch the eye after a
# glance back from the timeline, short enough to be gone before the next run.
FLASH_MS = 2500
FLASH_HOLD = 0.4  # the share of FLASH_MS the highlight stays at full strength
FLASH_ALPHA = 70  # of 255: the tick's green, light enough to read the text and tick through
DONE_TIP = "Done: a run did this. Reset unticks the lesson's list."
OPEN_TIP = "Ticks itself when a finished run does this (a stopped or failed run does not count)."


class TryRow(QWidget):
    """One thing to try: its tick mark and its text."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text
        self.done = False
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setSpacing(6)
        self.mark = QLabel(OPEN_MARK)
        self.mark.setFixedWidth(self.mark.fontMetrics().horizontalAdvance("✓✓"))
        self.label = QLabel(text)
        self.label.setWordWrap(True)
        layout.addWidget(self.mark, 0, Qt.AlignmentFlag.AlignTop)  # beside the first line
        layout.addWidget(self.label, 1)
        self.flash: QVariantAnimation | None = None
        self.set_done(False)

    def set_done(self, done: bool) -> None:
        """Show the row ticked or open."""
        self.done = done
        self.mark.setText(DONE_MARK if done else OPEN_MARK)
        colour = (readable(DONE_COLOUR) if done
                  else self.palette().color(QPalette.ColorRole.PlaceholderText).name())
        self.mark.setStyleSheet(f"color: {colour}; font-weight: bold;")
        self.setToolTip(DONE_TIP if done else OPEN_TIP)
        self.setAccessibleName(f"{'done' if done else 'not done yet'}: {self.text}")

    def light_up(self) -> None:
        """Highlight the row, then fade the highlight away."""
        if self.flash is None:
            self.flash = QVariantAnimation(self)
            self.flash.valueChanged.connect(self._paint)
            self.flash.finished.connect(lambda: self.setAutoFillBackground(False))
        colour = QColor(readable(DONE_COLOUR))
        colour.setAlpha(FLASH_ALPHA)
        clear = QColor(colour)
        clear.setAlpha(0)
        self.flash.stop()
        self.flash.setDuration(FLASH_MS)
        self.flash.setStartValue(colour)
        self.flash.setKeyValueAt(FLASH_HOLD, colour)
        self.flash.setEndValue(clear)
        self.setAutoFillBackground(True)
        self.flash.start()

    @property
    def lit(self) -> bool:
        """True while the highlight shows."""
        return self.flash is not None and self.flash.state() == QVariantAnimation.State.Running

    def _paint(self, colour: QColor) -> None:
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, colour)
        self.setPalette(palette)


class TryList(QFrame):
    """The lesson's things to try, ticked from its progress; Reset unticks them all."""

    counted = Signal(int, int)  # tries done, tries in all (after every change)

    def __init__(self) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.progress: TryProgress | None = None
        self.lesson: Lesson | None = None
        self.rows: list[TryRow] = []
        self._to_light: set[str] = set()  # ticked while out of sight: lit when next shown
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 6)
        layout.setSpacing(2)
        header = QHBoxLayout()
        self.title = QLabel()
        self.title.setWordWrap(True)  # a narrow pane at a large zoom
        self.reset_button = QToolButton()
        self.reset_button.setText("Reset")
        self.reset_button.setAutoRaise(True)
        self.reset_button.setToolTip("Untick this lesson's list; each item ticks again when a "
                                     "run does it")
        self.reset_button.clicked.connect(self.reset)
        header.addWidget(self.title, 1)
        header.addWidget(self.reset_button, 0)
        layout.addLayout(header)
        self.row_box = QVBoxLayout()
        self.row_box.setSpacing(0)
        layout.addLayout(self.row_box)
        self.hide()  # until a progress is attached and the lesson has tries

    def attach(self, progress: TryProgress) -> None:
        """Tick the list from this progress (until then the list stays hidden)."""
        self.progress = progress
        self.refresh()

    def show_lesson(self, lesson: Lesson) -> None:
        """List this lesson's tries."""
        self.lesson = lesson
        self._to_light.clear()
        for row in self.rows:
            self.row_box.removeWidget(row)
            row.hide()  # now: deleteLater waits for the event loop
            row.deleteLater()
        self.rows = [TryRow(t.text) for t in lesson.tries]
        for row in self.rows:
            self.row_box.addWidget(row)
        self.refresh()

    def refresh(self) -> None:
        """Show which tries are done now."""
        if self.lesson is None or self.progress is None or not self.rows:
            self.setVisible(False)
            return
        done = set(self.progress.done(self.lesson))
        for row in self.rows:
            row.set_done(row.text in done)
        count = sum(row.done for row in self.rows)
        # the count wraps as one piece when the pane is narrow
        self.title.setText(f"<b>Try it yourself</b> "
                           f"({count}&nbsp;of&nbsp;{len(self.rows)}&nbsp;done)")
        self.reset_button.setEnabled(count > 0)
        self.setVisible(True)
        self.counted.emit(count, len(self.rows))

    def ticked(self, texts: list[str]) -> None:
        """Show these tries ticked, and light them up (now, or when the list is next seen)."""
        self.refresh()
        self._to_light.update(texts)
        if self.isVisible():
            self._light_pending()

    def reset(self) -> None:
        """Untick every try of the lesson."""
        if self.progress is not None and self.lesson is not None:
            self.progress.reset(self.lesson)
        self._to_light.clear()
        self.refresh()

    def apply_look(self) -> None:
        """Re-colour the marks in the current theme."""
        for row in self.rows:
            row.set_done(row.done)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        """Light up what was ticked while the list was out of sight."""
        super().showEvent(event)
        self._light_pending()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        """Ask for the height the wrapped lines need at this width.

        Then a squeezed tab shrinks the lesson text (which scrolls) instead of cutting the list's
        lines.
        """
        super().resizeEvent(event)
        needed = self.layout().totalHeightForWidth(event.size().width())
        if needed > 0 and needed != self.minimumHeight():
            self.setMinimumHeight(needed)

    def _light_pending(self) -> None:
        for row in self.rows:
            if row.text in self._to_light:
                row.light_up()
        self._to_light.clear()
