"""The script editor: Enter keeps the indentation, one level more after ':'; 4-space tabs."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from desktop.views.code_editor import CodeEditor, next_indent


@pytest.fixture
def editor(qtbot) -> CodeEditor:
    """An empty editor, shown, with the keyboard focus."""
    widget = CodeEditor()
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    widget.setFocus()
    return widget


def type_lines(qtbot, editor: CodeEditor, *lines: str) -> None:
    """Type each line, pressing Enter after each, as a learner would."""
    for line in lines:
        qtbot.keyClicks(editor, line)
        qtbot.keyClick(editor, Qt.Key.Key_Return)


def test_enter_after_a_colon_indents_one_level_and_keeps_it_after(qtbot, editor) -> None:
    type_lines(qtbot, editor, "def f():", "x = 1", "for i in range(3):", "print(i)")
    qtbot.keyClicks(editor, "end")
    assert editor.toPlainText() == ("def f():\n    x = 1\n    for i in range(3):\n"
                                    "        print(i)\n        end")


def test_enter_after_return_goes_back_one_level(qtbot, editor) -> None:
    type_lines(qtbot, editor, "def f():", "return 1")
    assert editor.toPlainText() == "def f():\n    return 1\n"


@pytest.mark.parametrize(("line", "spaces"), [
    ("if ready:  # a comment:", 4), ("x = 1  # a note:", 0), ("    while True:", 8),
    ("        pass", 4), ("    returned = 3", 4), ("", 0)])
def test_the_next_line_s_indentation(line, spaces) -> None:
    assert next_indent(line) == spaces


def test_tab_goes_to_the_next_four_space_stop(qtbot, editor) -> None:
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert editor.toPlainText() == "    "
    qtbot.keyClicks(editor, "ab")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert editor.toPlainText() == "    ab  "


def test_backspace_in_the_indentation_goes_back_to_the_previous_stop(qtbot, editor) -> None:
    editor.setPlainText("      ")  # six spaces: back to four, then to none
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    assert editor.toPlainText() == "    "
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    assert editor.toPlainText() == ""
    editor.setPlainText("    x  ")  # after code, one space at a time, as anywhere
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    assert editor.toPlainText() == "    x "
