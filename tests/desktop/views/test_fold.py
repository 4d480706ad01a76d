"""The fold: a heading that shows or hides its view with one click."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSplitter, QWidget

from desktop.views.fold import FOLDED_ARROW, OPEN_ARROW, Fold


def make_fold(qtbot, folded: bool) -> tuple[Fold, QWidget, QLabel, QSplitter]:
    """A fold of a tall view with a legend, shown in a splitter above another pane.

    The splitter is returned too: it owns the others, and goes with its last reference.
    """
    content, legend = QWidget(), QLabel("legend")
    content.setMinimumHeight(120)
    fold = Fold("UI lag", content, legend, folded=folded)
    split = QSplitter(Qt.Orientation.Vertical)
    split.addWidget(fold)
    split.addWidget(QLabel("below"))
    split.resize(300, 400)
    qtbot.addWidget(split)
    split.show()
    qtbot.waitExposed(split)
    return fold, content, legend, split


def test_folded_shows_only_its_heading(qtbot):
    """Folded: the view and legend hidden, the arrow pointing right, the box a line high."""
    fold, content, legend, _split = make_fold(qtbot, folded=True)
    assert fold.folded
    assert not content.isVisible() and not legend.isVisible()
    assert fold.button.text() == f"{FOLDED_ARROW} UI lag"
    assert fold.height() <= fold.button.sizeHint().height() + 8
    assert fold.button.toolTip() == "Show UI lag"


def test_one_click_shows_the_view_and_says_so(qtbot):
    """A click on the heading unfolds it, emits toggled(False); a second folds it again."""
    fold, content, legend, _split = make_fold(qtbot, folded=True)
    with qtbot.waitSignal(fold.toggled) as shown:
        qtbot.mouseClick(fold.button, Qt.MouseButton.LeftButton)
    assert shown.args == [False]
    assert content.isVisible() and legend.isVisible()
    assert fold.button.text() == f"{OPEN_ARROW} UI lag"
    with qtbot.waitSignal(fold.toggled) as folded:
        qtbot.mouseClick(fold.button, Qt.MouseButton.LeftButton)
    assert folded.args == [True]
    assert not content.isVisible()


def test_setting_the_same_state_emits_nothing(qtbot):
    """set_folded with the state it has changes nothing and says nothing."""
    fold, content, _, _split = make_fold(qtbot, folded=False)
    seen: list[bool] = []
    fold.toggled.connect(seen.append)
    fold.set_folded(False)
    assert seen == [] and content.isVisible()
    fold.set_folded(True)
    assert seen == [True]
