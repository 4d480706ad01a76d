"""Restyling: views on screen at once, hidden ones as they are shown; one paint for the window."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from desktop.shell.restyle import LookOnShow, follows_look, painted_once


class Styled(QLabel):
    """A view that counts its restyles."""

    def __init__(self) -> None:
        super().__init__("x")
        self.restyled = 0

    def apply_look(self) -> None:
        """Count one restyle."""
        self.restyled += 1


def test_a_hidden_view_is_restyled_once_when_it_is_shown(qtbot):
    """A view on screen is restyled at once; a hidden one only when shown, and only once."""
    box = QWidget()
    qtbot.addWidget(box)
    shown, hidden = Styled(), Styled()
    layout = QVBoxLayout(box)
    layout.addWidget(shown)
    layout.addWidget(hidden)
    hidden.hide()
    box.show()
    restyler = LookOnShow()
    restyler.restyle([shown, hidden])
    restyler.restyle([shown, hidden])  # a second change before it is shown
    assert (shown.restyled, hidden.restyled) == (2, 0)
    hidden.show()
    hidden.hide()
    hidden.show()
    assert hidden.restyled == 1
    assert follows_look(shown) and not follows_look(QLabel())


def test_painted_once_holds_paints_until_the_end(qtbot):
    """Inside, the window takes no paint; after, it paints again."""
    box = QWidget()
    qtbot.addWidget(box)
    with painted_once(box):
        assert not box.updatesEnabled()
    assert box.updatesEnabled()
