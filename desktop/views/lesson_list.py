"""The lesson list, grouped by section in teaching order."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QStyle, QTreeWidget, QTreeWidgetItem

from scenarios.model.lesson import Lesson

ID_ROLE = Qt.ItemDataRole.UserRole
# Room beside the text for the item's own margins and the view's frame.
ITEM_PADDING_PX = 16


def tooltip(lesson: Lesson) -> str:
    """A lesson's tooltip: its full title (cut short in a narrow list), summary and id."""
    return f"{lesson.title}\n{lesson.summary}\n(id: {lesson.id})"


class LessonList(QTreeWidget):
    """Sections with their lessons; selecting one emits its id."""

    lesson_chosen = Signal(str)

    def __init__(self, lessons: list[Lesson]) -> None:
        super().__init__()
        self.setHeaderHidden(True)
        self.setRootIsDecorated(False)
        self._items: dict[str, QTreeWidgetItem] = {}
        sections: dict[str, QTreeWidgetItem] = {}
        for lesson in lessons:
            section = sections.get(lesson.section)
            if section is None:
                section = sections[lesson.section] = QTreeWidgetItem(self, [lesson.section])
                section.setFlags(Qt.ItemFlag.ItemIsEnabled)
                bold = QFont(section.font(0))
                bold.setBold(True)
                section.setFont(0, bold)
            item = QTreeWidgetItem(section, [lesson.title])
            item.setData(0, ID_ROLE, lesson.id)
            item.setToolTip(0, tooltip(lesson))
            self._items[lesson.id] = item
        self.expandAll()
        self.currentItemChanged.connect(self._changed)

    def _changed(self, item: QTreeWidgetItem | None, _previous: object) -> None:
        lesson_id = item.data(0, ID_ROLE) if item else None
        if lesson_id:
            self.lesson_chosen.emit(lesson_id)

    def ideal_width(self) -> int:
        """The width (px) at which every title shows whole, in the current font, with a scrollbar.

        For the window's left column; a narrower list elides titles (the tooltip has them).
        """
        metrics = QFontMetrics(self.font())
        bold = QFont(self.font())
        bold.setBold(True)
        widest = 0
        for s in range(self.topLevelItemCount()):
            section = self.topLevelItem(s)
            widest = max(widest, QFontMetrics(bold).horizontalAdvance(section.text(0)))
            for i in range(section.childCount()):
                title = section.child(i).text(0)
                widest = max(widest, self.indentation() + metrics.horizontalAdvance(title))
        bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        return widest + bar + 2 * self.frameWidth() + ITEM_PADDING_PX

    def select(self, lesson_id: str) -> None:
        """Select a lesson by id."""
        self.setCurrentItem(self._items[lesson_id])

    def current_id(self) -> str | None:
        """The selected lesson's id."""
        item = self.currentItem()
        return item.data(0, ID_ROLE) if item else None
