"""The window's instruments: saved runs reopen to the same picture, exports, history, timeline."""

from __future__ import annotations

import errno
import json
import os

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt, QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog

from desktop.data import run_file
from desktop.views.export import plot_png
from tests.support import run_in_window

RACE = ["increments=300"]


def image(png: bytes) -> QImage:
    """A PNG as an image, to compare pixels."""
    loaded = QImage()
    assert loaded.loadFromData(png, "PNG")
    return loaded


def plots(window):
    """The plots on the run's time axis."""
    return [window.timeline.plot, window.cores.plot, window.lag_view.plot]


@pytest.mark.parametrize("suffix", [".json", ".csv"])
def test_a_saved_run_reopens_to_the_same_picture(qtbot, window, tmp_path, suffix):
    run_in_window(qtbot, window, "race_counter", "process", RACE)
    qtbot.wait(100)
    centre = window.splitters["centre"]
    sizes = centre.sizes()
    before = [image(plot_png(plot)) for plot in plots(window)]
    path = tmp_path / f"race{suffix}"
    assert window.files.save_run_to(path)
    window.select("thread_basics")  # somewhere else first: its views are emptied
    assert window.files.open_run_from(path)
    qtbot.wait(100)
    assert window.lesson.id == "race_counter"
    # the panes come back where they were (a pixel of rounding aside); the picture is compared
    # at the same size, as it is the drawing that must be the same
    assert all(abs(a - b) <= 1 for a, b in zip(centre.sizes(), sizes, strict=True))
    centre.setSizes(sizes)
    qtbot.wait(100)
    after = [image(plot_png(plot)) for plot in plots(window)]
    for old, new in zip(before, after, strict=True):
        assert old == new, "the reopened run draws the same pixels"
    assert "updates lost" in window.result_card.headline_text()


def test_a_plot_png_is_the_plot_as_on_screen(qtbot, window):
    run_in_window(qtbot, window, "race_counter", "thread", RACE)
    qtbot.wait(100)
    plot = window.timeline.plot
    exported = image(plot_png(plot)).convertToFormat(QImage.Format.Format_RGB32)
    shown = plot.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    assert exported.size() == shown.size()
    a = np.frombuffer(exported.constBits(), np.uint8).reshape(-1, 4)
    b = np.frombuffer(shown.constBits(), np.uint8).reshape(-1, 4)
    same = np.mean(np.all(a == b, axis=1))
    assert same > 0.97, f"only {same:.1%} of the pixels match the screen"


def test_a_damaged_file_is_told_and_the_run_on_screen_stays(qtbot, window, tmp_path, monkeypatch):
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: warned.append(args[2]))
    run_in_window(qtbot, window, "race_counter", "thread", RACE)
    shown = window.shown_data
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    assert not window.files.open_run_from(bad)
    assert warned and "bad.json" in warned[0]
    assert window.shown_data is shown


@pytest.mark.parametrize("damage", [{"meta": {"wall_s": "abc"}},
                                    {"result": {"values": {}, "error": 123, "stopped": False}},
                                    {"metrics": {"x": [[0.1, float("nan")]]}}])
def test_a_run_file_with_a_damaged_value_leaves_the_run_on_screen_and_its_title(
        qtbot, window, tmp_path, monkeypatch, damage):
    """Issue 22, case 2: refused before anything is drawn; nothing shown is replaced."""
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: warned.append(args[2]))
    run_in_window(qtbot, window, "race_counter", "thread", RACE)
    shown, title = window.shown_data, window.windowTitle()
    good = tmp_path / "good.json"
    run_file.save(good, shown, window.shown_meta)
    doc = json.loads(good.read_text())
    doc.update(damage)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc))
    assert not window.files.open_run_from(bad)
    assert warned and "damaged" in warned[0]
    assert window.shown_data is shown and window.windowTitle() == title


def test_a_long_load_can_be_cancelled_and_the_run_on_screen_stays(qtbot, window, tmp_path):
    """Issue 22, case 11: a run file of many spans froze the window with no way out."""
    run_in_window(qtbot, window, "race_counter", "thread", RACE)
    shown, title = window.shown_data, window.windowTitle()
    doc = run_file.to_document(shown, window.shown_meta)
    row = doc["spans"][0][0]
    doc["spans"] = [[row, "run", i * 1e-4, i * 1e-4 + 5e-5, ""] for i in range(1_000_000)]
    big = tmp_path / "big.json"
    big.write_text(json.dumps(doc))
    seen = []

    def cancel_once_shown() -> None:  # the dialog shows after 0.4 s of loading
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QProgressDialog) and widget.isVisible():
                seen.append(widget.labelText())
                widget.cancel()

    watcher = QTimer(interval=50, timeout=cancel_once_shown)
    watcher.start()
    try:
        assert not window.files.open_run_from(big)
    finally:
        watcher.stop()
    assert seen and "big.json" in seen[0]
    assert "cancelled" in window.last_error
    assert window.shown_data is shown and window.windowTitle() == title


def test_a_failed_save_keeps_the_earlier_file(qtbot, window, tmp_path, monkeypatch):
    run_in_window(qtbot, window, "race_counter", "thread", RACE)
    path = tmp_path / "run.json"
    path.write_text("earlier")

    def full_disk(*_args):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "replace", full_disk)
    assert not window.files.save_run_to(path)
    assert path.read_text() == "earlier"
    assert "No space left" in window.last_error
    assert [p.name for p in tmp_path.iterdir()] == ["run.json"], "no temporary file is left"


def test_runs_go_into_the_history_and_the_race_chart(qtbot, window, tmp_path):
    run_in_window(qtbot, window, "race_counter", "thread", RACE + ["use_lock=false"])
    run_in_window(qtbot, window, "race_counter", "thread", RACE + ["use_lock=true"])
    assert [r.params["use_lock"] for r in window.history.records] == [False, True]
    assert window.tabs.currentWidget() is window.compare, "the chart across runs is shown"
    assert not window.compare.race.is_empty
    assert window.compare.table.columnCount() == 2
    path = tmp_path / "history.csv"
    window.files.ask_save_path = lambda *_: path
    window.files.save_history_csv()
    assert path.read_text().count("race_counter") == 2


def test_panning_stops_following_and_home_shows_the_whole_run(qtbot, window):
    window.select("thread_basics")
    assert window.apply_assignments(["delay_1=0.2", "delay_2=0.2", "count=10"])
    window.run_action.trigger()
    qtbot.wait(300)
    box = window.timeline.plot.getViewBox()
    box.sigRangeChangedManually.emit([True, False])  # what a mouse drag emits
    assert not window.timeline.following
    box.setXRange(0.1, 0.2, padding=0)
    with qtbot.waitSignal(window.run_finished, timeout=20_000):
        pass
    window.timeline.whole_button.click()
    x0, x1 = box.viewRange()[0]
    assert x0 <= 0.0 and x1 >= window.shown_data.latest_s


def test_clicking_a_bar_shows_its_console_lines(qtbot, window):
    run_in_window(qtbot, window, "thread_basics", "thread", ["delay_1=0.05", "delay_2=0.1",
                                                          "count=2"])
    qtbot.wait(100)
    data = window.shown_data
    row = next(r for r in data.rows.values() if r.name == "Thread 2")
    sleeps = data.spans["sleep"]
    i = int(np.flatnonzero(sleeps.rows == row.order)[0])
    at = (sleeps.starts[i] + sleeps.ends[i]) / 2
    position = data.display_order()[row.order]
    plot = window.timeline.plot
    scene = plot.getViewBox().mapViewToScene(QPointF(at, position))
    qtbot.mouseClick(plot.viewport(), Qt.MouseButton.LeftButton,
                     pos=plot.mapFromScene(scene))
    assert window.console.filtered
    text = window.console.toPlainText()
    assert "Thread 2" in text and "Thread 1]" not in text
    window.console.show_all()
    assert "Thread 1" in window.console.toPlainText()


def test_hover_names_the_bar_under_the_mouse(qtbot, window):
    run_in_window(qtbot, window, "thread_basics", "thread", ["delay_1=0.05", "delay_2=0.1",
                                                          "count=2"])
    data = window.shown_data
    row = next(r for r in data.rows.values() if r.name == "Thread 1")
    sleeps = data.spans["sleep"]
    i = int(np.flatnonzero(sleeps.rows == row.order)[0])
    at = (sleeps.starts[i] + sleeps.ends[i]) / 2
    box = window.timeline.plot.getViewBox()
    found = window.timeline._under(box.mapViewToScene(QPointF(at, data.display_order()[row.order])))
    assert found is not None
    assert "Thread 1" in found[4] and "sleeping" in found[4] and "for" in found[4]


def test_threads_show_their_cpu_share_under_their_rows(qtbot, window):
    run_in_window(qtbot, window, "gil_cpu_bound", "thread", ["workers=2"])
    data = window.shown_data
    cpu_rows = {data.row_at(int(p)).name for p in data.display_order()[np.unique(data.cpu.rows)]}
    assert {"Thread 1", "Thread 2"} <= cpu_rows
    assert len(data.lag) > 10, "the window's lag was probed during the run"
    if not len(data.slices):
        return  # no CPU lane where the OS cannot show it
    # the lane: a row under the others; hovering a track names the thread on a CPU then
    assert data.row_labels()[-1] == (data.lane_position, "on CPU / GIL")
    order, slot = next(iter(data.slots().items()))
    i = int(np.flatnonzero(data.slices.rows == order)[0])
    at = (data.slices.starts[i] + data.slices.ends[i]) / 2
    top, height = window.timeline._lane.track(data, slot)
    box = window.timeline.plot.getViewBox()
    found = window.timeline._under(box.mapViewToScene(QPointF(at, top + height / 2)))
    name = next(r.name for r in data.rows.values() if r.order == order)
    assert found is not None and name in found[4] and "on a CPU" in found[4]



def test_every_plot_offers_to_save_itself_as_png(qtbot, window, tmp_path):
    for plot, name in window._plots():
        actions = [a for a in plot.actions() if a.text().endswith("as PNG…")]
        assert len(actions) == 1, name
    path = tmp_path / "cores.png"
    window.files.ask_save_path = lambda *_: path
    window.cores.plot.actions()[0].trigger()
    assert image(path.read_bytes()).width() == window.cores.plot.width()
    path = tmp_path / "window.png"
    window.files.save_window_png()
    assert image(path.read_bytes()).size() == window.size()
