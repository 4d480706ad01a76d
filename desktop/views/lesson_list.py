"""The lesson list, grouped by section in teaching order."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

from scenarios.model.lesson import Lesson

ID_ROLE = Qt.ItemDataRole.UserRole


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
            item.setToolTip(0, f"{lesson.summary}\n(id: {lesson.id})")
            self._items[lesson.id] = item
        self.expandAll()
        self.currentItemChanged.connect(self._changed)

    def _changed(self, item: QTreeWidgetItem | None, _previous: object) -> None:
        lesson_id = item.data(0, ID_ROLE) if item else None
        if lesson_id:
            self.lesson_chosen.emit(lesson_id)

    def select(self, lesson_id: str) -> None:
        """Select a lesson by id."""
        self.setCurrentItem(self._items[lesson_id])

    def current_id(self) -> str | None:
        """The selected lesson's id."""
        item = self.currentItem()
        return item.data(0, ID_ROLE) if item else None
