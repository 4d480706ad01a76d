"""A box that folds to its heading line: a view that is not always wanted, one click away."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QToolButton, QVBoxLayout, QWidget

FOLDED_ARROW, OPEN_ARROW = "▸", "▾"
# Qt's "no maximum" for a widget's size (QWIDGETSIZE_MAX).
NO_LIMIT = 16_777_215


class Fold(QWidget):
    """A heading with a ▸/▾ button over a view; folded, only the heading shows.

    `beside` (the view's legend) shares the heading's line while the view is shown. Folded, the
    box is no taller than its heading, so a splitter gives the room to the other panes.
    """

    toggled = Signal(bool)  # the new state: True when folded

    def __init__(self, title: str, content: QWidget, beside: QWidget | None = None,
                 folded: bool = False) -> None:
        super().__init__()
        self.title = title
        self.content = content
        self.beside = beside
        self.button = QToolButton()
        self.button.setAutoRaise(True)
        self.button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        font = self.button.font()
        font.setBold(True)
        self.button.setFont(font)
        self.button.clicked.connect(lambda: self.set_folded(not self.folded))
        heading = QHBoxLayout()
        heading.setContentsMargins(0, 0, 0, 0)
        heading.addWidget(self.button, 0, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        if beside is not None:
            heading.addWidget(beside, 1)
        else:
            heading.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.setSpacing(2)
        layout.addLayout(heading)
        layout.addWidget(content, 1)
        self.folded = not folded  # so that set_folded below takes effect
        self.set_folded(folded, quiet=True)

    def set_folded(self, folded: bool, quiet: bool = False) -> None:
        """Fold (True) or show (False) the view; `toggled` is emitted on a change unless quiet."""
        if folded == self.folded:
            return
        self.folded = folded
        self.content.setVisible(not folded)
        if self.beside is not None:
            self.beside.setVisible(not folded)
        arrow = FOLDED_ARROW if folded else OPEN_ARROW
        self.button.setText(f"{arrow} {self.title}")
        self.button.setToolTip(("Show" if folded else "Hide") + f" {self.title}")
        vertical = QSizePolicy.Policy.Fixed if folded else QSizePolicy.Policy.Preferred
        self.setSizePolicy(QSizePolicy.Policy.Preferred, vertical)
        self.setMaximumHeight(self.minimumSizeHint().height() if folded else NO_LIMIT)
        if not quiet:
            self.toggled.emit(folded)
