"""The Python dialog keeps the machine's order: the current choice is selected, not put first."""

from __future__ import annotations

import pytest

from desktop.views.python_dialog import PYTHON_ROLE, PythonDialog
from scenarios.engine import interpreters


def search_done(qtbot, dialog: PythonDialog) -> None:
    qtbot.waitUntil(lambda: "found" in dialog.status.text(), timeout=30_000)


def test_another_choice_is_selected_where_it_stands_the_labs_own_first(qtbot) -> None:
    other = next((p for p in interpreters.found() if not p.is_bundled), None)
    if other is None:
        pytest.skip("no other Python on this machine")
    dialog = PythonDialog(None, other)
    qtbot.addWidget(dialog)
    search_done(qtbot, dialog)
    first = dialog.list.item(0)
    assert first.data(PYTHON_ROLE).is_bundled and "chosen now" not in first.text()
    chosen = dialog.list.currentItem()
    assert chosen.data(PYTHON_ROLE).path == other.path and dialog.list.currentRow() != 0
    assert "chosen now" in chosen.text()
    dialog.list.setCurrentRow(0)  # one click on the first row picks the lab's own
    dialog.accept()
    assert dialog.picked is not None and dialog.picked.is_bundled


def test_with_no_choice_the_labs_own_is_chosen_and_selected(qtbot) -> None:
    dialog = PythonDialog(None, None)
    qtbot.addWidget(dialog)
    search_done(qtbot, dialog)
    assert dialog.list.currentRow() == 0
    assert "chosen now" in dialog.list.item(0).text()
