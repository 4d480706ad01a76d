"""Lab → Python for processes…: pick, show, remember, and run there."""

from __future__ import annotations

import sys

import pytest

from desktop.shell.python_choice import SETTING
from desktop.shell.settings import Settings
from desktop.shell.window import MainWindow
from desktop.views.history_view import field_rows
from desktop.views.python_dialog import PythonDialog
from scenarios.engine import interpreters
from scenarios.lessons import catalogue
from tests.support import run_in_window

FREE = interpreters.first_found(interpreters.without_gil)


def wait_for_the_search(qtbot, dialog: PythonDialog) -> None:
    qtbot.waitUntil(lambda: "found" in dialog.status.text(), timeout=30_000)


def test_the_dialog_lists_the_labs_own_and_refuses_what_is_no_python(qtbot, window) -> None:
    dialog = PythonDialog(window, None)
    qtbot.addWidget(dialog)
    wait_for_the_search(qtbot, dialog)
    assert "the lab's own" in dialog.list.item(0).text()
    assert not dialog.take("/bin/true")
    assert "not a Python" in dialog.status.text() and dialog.list.count() >= 1
    assert dialog.take(sys.executable)
    dialog.accept()
    assert dialog.picked is not None and dialog.picked.is_bundled


def test_a_choice_is_shown_remembered_and_checked_again(qtbot, tmp_path) -> None:
    other = FREE or interpreters.this_python()
    path = tmp_path / "settings.ini"
    first = MainWindow(Settings(path))
    qtbot.addWidget(first)
    first.python_choice.set(other)
    if not other.is_bundled:
        assert first.python == other and other.label in first.gil_label.text()
    first.close()
    assert Settings(path).text(SETTING) == ("" if other.is_bundled else other.path)
    Settings(path).keep({SETTING: "/nonexistent/python3"})  # gone since
    again = MainWindow(Settings(path))
    qtbot.addWidget(again)
    qtbot.waitUntil(lambda: Settings(path).text(SETTING) == "", timeout=10_000)
    assert again.python is None and "gone" in again.statusBar().currentMessage()
    again.close()


def test_compare_has_a_python_row_beside_the_back_end() -> None:
    rows = [name for name, _ in field_rows(catalogue.get("race_counter"), [])]
    assert rows[:3] == ["back end", "Python", "outcome"]


@pytest.mark.skipif(FREE is None, reason="no free-threaded Python: make freethreaded")
def test_a_window_run_goes_to_the_python_chosen(qtbot, window) -> None:
    window.python_choice.set(FREE)
    run_in_window(qtbot, window, "race_counter", "process", ["increments=1000"])
    assert window.shown_data.result.values["python"] == FREE.label
    assert window.history.records[-1].values["python"] == FREE.label
