"""Your own script in the window: open, run traced, type into its input(), errors marked."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from scenarios.engine.scripts import deck_examples

ASKS = ("import threading\n"
        "t = threading.Thread(target=print, args=('hello from a thread',), name='helper')\n"
        "t.start(); t.join()\n"
        "name = input('your name? ')\n"
        "print('hi', name)\n")


def console_lines(window) -> list[str]:
    """The console's lines, as shown."""
    return window.console.toPlainText().splitlines()


def test_a_script_opened_and_edited_is_saved_runs_traced_and_reads_what_is_typed(
        qtbot, window, tmp_path) -> None:
    path = tmp_path / "asks.py"
    path.write_text(ASKS)
    assert window.script_actions.open_script(path)
    assert window.tabs.currentWidget() is window.script_panel
    assert window.script_panel.editor.toPlainText() == ASKS
    window.script_panel.editor.appendPlainText("print('edited')")
    with qtbot.waitSignal(window.run_finished, timeout=20_000) as finished:
        window.run_action.trigger()  # F5 with the Script tab open runs the script
        qtbot.waitUntil(lambda: any(line.startswith("[main] your name?")
                                    for line in console_lines(window)), timeout=10_000)
        assert window.script_panel.input.isEnabled()
        qtbot.keyClicks(window.script_panel.input, "Ada")
        qtbot.keyClick(window.script_panel.input, Qt.Key.Key_Return)
    assert finished.args[0].values["exit_code"] == 0
    lines = console_lines(window)
    assert "[helper] hello from a thread" in lines and "[main] hi Ada" in lines
    assert "[main] edited" in lines and path.read_text().endswith("print('edited')")  # saved
    rows = {label.split(" · ")[0] for _, label in window.shown_data.row_labels()}
    assert {"main", "helper"} <= rows
    assert not window.script_panel.input.isEnabled()


def test_a_syntax_error_is_marked_in_the_editor_and_nothing_runs(qtbot, window,
                                                                 tmp_path) -> None:
    path = tmp_path / "broken.py"
    path.write_text("print('fine')\nif True print('no colon')\n")
    assert window.script_actions.open_script(path)
    window.script_panel.run_button.click()
    assert not window.running
    assert "broken.py, line 2: SyntaxError" in window.script_panel.note.text()
    assert window.script_panel.editor.textCursor().blockNumber() == 1  # line 2, marked
    assert window.script_panel.editor.extraSelections()


def never_asked_where(*args: object) -> None:
    """A save dialog that must not open: running is not saving."""
    pytest.fail("Run asked where to save the script")


def test_a_script_typed_in_runs_without_being_saved_first(qtbot, window) -> None:
    window.show_script_tab()
    window.script_panel.editor.setPlainText("import sys\nprint('args', sys.argv[1:])\n")
    window.script_panel.args.setText('one "two words"')
    window.files.ask_save_path = never_asked_where
    with qtbot.waitSignal(window.run_finished, timeout=20_000):
        window.script_panel.run_button.click()
    assert "[main] args ['one', 'two words']" in console_lines(window)
    assert window.script_actions.path is None  # still untitled: no file of the learner's
    assert window.script_panel.title.text() == "<b>untitled.py</b>"


def test_an_example_runs_its_edited_copy_and_its_file_never_changes(qtbot, window) -> None:
    example = deck_examples()[0][0]
    before = example.read_bytes()
    assert window.script_actions.open_script(example)  # opened by name: a copy all the same
    assert window.script_actions.path is None
    assert f"{example.name} (copy)" in window.script_panel.title.text()
    editor = window.script_panel.editor
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    editor.insertPlainText("\nprint('edited copy')\n")
    window.files.ask_save_path = never_asked_where
    with qtbot.waitSignal(window.run_finished, timeout=20_000):
        window.script_panel.run_button.click()
    assert "[main] edited copy" in console_lines(window)
    assert example.read_bytes() == before
    assert "(modified)" in window.script_panel.title.text()  # the edits are still unsaved


def test_new_asks_about_unsaved_changes_then_gives_an_empty_untitled_script(
        qtbot, window, tmp_path) -> None:
    actions, editor = window.script_actions, window.script_panel.editor
    answers, asked = ["cancel", "save", "discard"], []
    actions.ask_unsaved = lambda name: asked.append(name) or answers.pop(0)
    window.files.ask_save_path = lambda *args: tmp_path / "kept.py"
    assert actions.new_script()  # nothing typed: nothing asked
    qtbot.keyClicks(editor, "print('kept')")
    assert not actions.new_script()  # cancel: the text stays
    assert editor.toPlainText() == "print('kept')" and asked == ["untitled.py"]
    actions.new_action.trigger()  # save: saved where chosen, then emptied
    assert (tmp_path / "kept.py").read_text() == "print('kept')"
    qtbot.keyClicks(editor, "print('dropped')")
    window.script_panel.new_button.click()  # discard
    assert editor.toPlainText() == "" and not editor.document().isModified()
    assert actions.path is None and window.script_panel.title.text() == "<b>untitled.py</b>"
    assert not answers


def test_a_file_that_is_not_a_script_is_refused_and_the_editor_keeps_its_text(
        qtbot, window, tmp_path) -> None:
    window.script_panel.editor.setPlainText("print(1)\n")
    notes = tmp_path / "notes.txt"
    notes.write_text("hello")
    assert not window.script_actions.open_script(notes)
    assert "is not a Python file" in window.last_error
    assert window.script_panel.editor.toPlainText() == "print(1)\n"


def test_save_as_writes_the_editor_s_text_and_a_dropped_script_opens(qtbot, window,
                                                                     tmp_path) -> None:
    window.show_script_tab()
    window.script_panel.editor.setPlainText("print('saved')\n")
    target = tmp_path / "mine"
    window.files.ask_save_path = lambda *args: target
    assert window.script_actions.save_as()
    assert Path(f"{target}.py").read_text() == "print('saved')\n"
    assert "(modified)" not in window.script_panel.title.text()
    dropped = tmp_path / "dropped.py"
    dropped.write_text("print('dropped')\n")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(dropped))])
    drag = (QPoint(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier)
    assert QApplication.sendEvent(window, QDragEnterEvent(*drag))  # the window takes it
    QApplication.sendEvent(window, QDropEvent(QPointF(10, 10), *drag[1:]))
    assert window.script_panel.editor.toPlainText() == "print('dropped')\n"
    assert "dropped.py" in window.script_panel.title.text()


def test_the_menu_s_open_script_asks_which_file_and_opens_it(qtbot, window, tmp_path) -> None:
    path = tmp_path / "chosen.py"
    path.write_text("print('chosen')\n")
    window.files.ask_open_path = lambda *args: path
    window.script_actions.open_action.trigger()
    assert window.script_panel.editor.toPlainText() == "print('chosen')\n"
    assert window.script_actions.path == path.resolve()


def test_save_as_among_the_deck_s_examples_is_refused(qtbot, window) -> None:
    example = deck_examples()[0][0]
    before = example.read_bytes()
    assert window.script_actions.open_example(example)
    window.script_panel.editor.appendPlainText("print('mine')")
    window.files.ask_save_path = lambda *args: example
    assert not window.script_actions.save()
    assert "the app's own" in window.last_error and example.read_bytes() == before


def test_closing_with_an_unsaved_script_asks_and_cancel_keeps_the_window(qtbot, window) -> None:
    window.show_script_tab()
    window.script_panel.editor.setPlainText("print('mine')\n")
    window.script_panel.editor.document().setModified(True)
    asked: list[str] = []
    window.script_actions.ask_unsaved = lambda name: asked.append(name) or "cancel"
    window.close()
    assert asked and window.isVisible()
    assert window.script_panel.editor.toPlainText() == "print('mine')\n"
    window.script_actions.ask_unsaved = lambda name: "discard"  # the fixture closes it now
