"""The app remembers the last lesson, back end and layout; a damaged settings file is ignored."""

from __future__ import annotations

from desktop.shell import layout_memory
from desktop.shell.settings import Settings
from desktop.shell.window import MainWindow
from scenarios.lessons import catalogue


def test_a_new_window_comes_back_as_the_last_one_was_left(qtbot, window, tmp_path):
    path = tmp_path / "settings.ini"
    window.select("deadlock")
    window.set_backend("process")
    window.show_tab("code")
    window.resize(1000, 560)
    window.splitters["centre"].setSizes([300, 60, 60, 60, 60])
    layout_memory.save(window, Settings(path))
    again = MainWindow()
    qtbot.addWidget(again)
    layout_memory.restore(again, Settings(path))
    again.show()
    qtbot.waitExposed(again)
    assert again.lesson.id == "deadlock"
    assert again.backend_box.currentText() == "process"
    assert again.current_tab == "code"
    again.show_tab("poke")  # the Poke tab is hidden for this lesson: it stays behind
    assert again.current_tab == "code"
    # (the offscreen screen clamps widths to the content; the height comes back as left)
    assert again.height() == window.height() == 560
    assert again.splitters["centre"].sizes() == window.splitters["centre"].sizes()
    again.close()


def test_a_garbage_settings_file_is_reported_and_ignored(qtbot, window, tmp_path):
    path = tmp_path / "settings.ini"
    path.write_bytes(b"\xff\xfe garbage [[[ \x00\x01 =\n[General\nlesson=\n")
    first = window.lesson.id
    settings = Settings(path)
    layout_memory.restore(window, settings)
    assert window.lesson.id == first
    assert "could not be read" in window.last_error
    layout_memory.save(window, settings)  # a fresh file replaces the damaged one
    assert Settings(path).problem is None and Settings(path).text("lesson") == first


def test_values_of_the_wrong_kind_are_skipped(qtbot, window, tmp_path):
    path = tmp_path / "settings.ini"
    path.write_text("[General]\nlesson=no_such_lesson\nbackend=quantum\n"
                    "window\\geometry=not bytes\n")
    first = window.lesson.id
    layout_memory.restore(window, Settings(path))
    assert window.lesson.id == first and window.backend_box.currentText() == "thread"


def test_next_and_previous_lesson_follow_the_teaching_order(qtbot, window):
    from scenarios.lessons import catalogue

    ids = catalogue.ids()
    window.select(ids[0])
    window.lesson_actions.step(+1)
    assert window.lesson.id == ids[1]
    window.lesson_actions.step(-1)
    window.lesson_actions.step(-1)
    assert window.lesson.id == ids[-1], "before the first comes the last"


def test_f1_lists_every_shortcut(qtbot, window):
    window.lesson_actions.show_shortcuts()
    text = window.lesson_actions.dialog.label.text()
    for key in ("F5", "Shift+F5", "Ctrl+Q", "Ctrl+O", "Ctrl+S", "Ctrl+Right", "Ctrl+R", "F1",
                "End"):
        assert f"<b>{key}</b>" in text, key
    window.lesson_actions.dialog.close()


def test_the_tab_comes_back_and_a_lesson_of_ways_keeps_its_back_end(qtbot, window, tmp_path):
    path = tmp_path / "settings.ini"
    window.select("responsiveness")
    assert window.apply_assignments(["way=process"])
    window.tabs.setCurrentWidget(window.code)
    layout_memory.save(window, Settings(path))
    again = MainWindow()
    qtbot.addWidget(again)
    layout_memory.restore(again, Settings(path))
    assert again.tabs.currentWidget() is again.code
    # the remembered back end does not override the one the lesson's way shows
    assert again.backend_box.currentText() == catalogue.get("responsiveness").backend_of(
        again.params.values(), "")
    again.close()


def test_a_huge_settings_file_is_reported_not_read_and_replaced(tmp_path):
    """Issue 22, case 10: a 100 MB file was read (518 MB of memory) and rewritten silently."""
    path = tmp_path / "settings.ini"
    with open(path, "wb") as file:
        file.truncate(100 * 2**20)  # 100 MB (sparse: no time spent writing it)
    settings = Settings(path)
    assert settings.problem and "100 MB" in settings.problem
    assert settings.text("lesson") is None
    assert settings.save({"lesson": "deadlock"})
    assert path.stat().st_size < 1000 and Settings(path).text("lesson") == "deadlock"


def test_a_nul_only_settings_file_is_reported_at_start_and_saving_says_it_worked(tmp_path):
    path = tmp_path / "settings.ini"
    path.write_bytes(b"\0" * 4096)
    settings = Settings(path)
    assert settings.problem and "NUL" in settings.problem
    assert settings.save({"lesson": "deadlock"}) is True  # and it was written
    assert Settings(path).problem is None and Settings(path).text("lesson") == "deadlock"
