"""The View menu: presentation mode, zoom and themes, remembered between sessions."""

from __future__ import annotations

from collections.abc import Iterator

import pyqtgraph as pg
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QPalette
from PySide6.QtWidgets import QApplication, QLabel

from desktop.shell import appearance
from desktop.shell.appearance import THEME_KEY, ZOOM_KEY, Appearance, install
from desktop.shell.presentation import PRESENT_SCALE
from desktop.shell.settings import Settings
from desktop.shell.splitter_shares import fitted, least
from desktop.style import look, palette, zoom
from desktop.style.plot_style import least_height
from desktop.views.shortcuts_dialog import shortcut_rows


@pytest.fixture
def settings(tmp_path) -> Settings:
    """A settings file of the test's own."""
    return Settings(tmp_path / "settings.ini")


@pytest.fixture
def view(window, settings) -> Iterator[Appearance]:
    """The window with its View menu installed; the app's look put back afterwards."""
    installed = window.appearance  # the window installs its own
    installed.settings = settings
    yield installed
    installed.undo()


def plot_background(plot: pg.PlotWidget) -> str:
    return plot.backgroundBrush().color().name().upper()


def test_the_view_menu_has_every_action_with_its_keys_in_the_tooltip(view, window):
    """Every action is in the View menu, its keys in its tooltip.

    Presentation mode also answers Ctrl+P, zoom in also Ctrl++.
    """
    menus = [a.text() for a in window.menuBar().actions()]
    assert "&View" in menus
    assert menus.index("&View") == menus.index("&Help") - 1
    assert view.present_action.toolTip().endswith("(F11, Ctrl+P)")
    assert [k.toString() for k in view.present_action.shortcuts()] == ["F11", "Ctrl+P"]
    assert [k.toString() for k in view.zoom_in_action.shortcuts()] == ["Ctrl+=", "Ctrl++"]
    assert view.zoom_out_action.toolTip().endswith("(Ctrl+-)")
    assert view.zoom_reset_action.toolTip().endswith("(Ctrl+0)")
    assert [a.text() for a in view.menu.actions() if a.menu()] == ["&Theme"]
    assert [a.isChecked() for a in view.theme_actions.values()] == [True, False, False]


def test_the_actions_are_on_the_keyboard_sheet_and_work_with_the_menu_closed(qtbot, view, window):
    """The keys are the window's own: pressed anywhere in it, they zoom."""
    keys = {row[0]: row[1] for row in shortcut_rows(window)}
    assert keys["F11, Ctrl+P"] == "Presentation mode"  # every key of an action, in one row
    assert keys["Ctrl+=, Ctrl++"] == "Zoom in" and keys["Ctrl+0"] == "Actual size"
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom == 110
    qtbot.keyClick(window, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom == 100


def test_zoom_scales_text_and_plot_fonts_and_lines_within_limits(view, window):
    """Zoom steps 70 % to 250 %: the app font, the plots' tick fonts and line widths follow."""
    base = view.base_font.pointSizeF()
    window.lag_box.set_folded(False)  # a folded view is restyled only once it is shown
    view.set_zoom(150)
    assert QApplication.font().pointSizeF() == pytest.approx(base * 1.5)
    axis = window.timeline.plot.getAxis("bottom")
    assert axis.style["tickFont"].pointSizeF() == pytest.approx(base * 1.5)
    assert window.lag_view.curve.opts["pen"].widthF() == pytest.approx(1.5)
    for _ in range(len(zoom.STEPS)):
        view.zoom_in()
    assert view.zoom == 250
    for _ in range(len(zoom.STEPS)):
        view.zoom_out()
    assert view.zoom == 70
    view.reset_zoom()
    assert QApplication.font() == view.base_font
    assert window.lag_view.curve.opts["pen"].widthF() == 1  # the fast width, as before


def test_the_timelines_row_names_get_room_as_they_grow(view, window):
    """The fixed-width left axis of the time plots (row names) scales with the text.

    It is alike on every strip, so their time axes stay aligned.
    """
    widths = {p.getAxis("left").width() for p in (window.timeline.plot, window.cores.plot)}
    view.set_zoom(200)
    zoomed = {p.getAxis("left").fixedWidth for p in (window.timeline.plot, window.cores.plot)}
    assert len(widths) == 1 and zoomed == {2 * widths.pop()}


def test_zoom_and_theme_are_remembered_for_the_next_session(qtbot, window, settings):
    """A new window (with the same settings) starts at the zoom and theme last chosen."""
    first = install(window, settings)
    first.set_zoom(125)
    first.set_theme("dark")
    first.undo()
    assert settings.text(ZOOM_KEY) == "125" and settings.text(THEME_KEY) == "dark"
    second = install(window, Settings(settings.path))
    try:
        assert second.zoom == 125 and second.theme == "dark"
        assert look.current().dark and look.current().scale == 1.25
        assert second.theme_actions["dark"].isChecked()
    finally:
        second.undo()


def test_a_bad_remembered_zoom_is_ignored(window, settings):
    settings.save({ZOOM_KEY: "9000", THEME_KEY: "purple"})
    installed = install(window, settings)
    try:
        assert installed.zoom == 100 and installed.theme == "system"
    finally:
        installed.undo()


def test_dark_theme_restyles_existing_and_new_plots(qtbot, view, window):
    """Dark: Fusion with a dark palette; every plot's background and axes turn dark.

    So do those of a plot made afterwards.
    """
    view.set_theme("dark")
    assert QApplication.style().name().lower() == "fusion"
    assert QApplication.palette().color(QPalette.ColorRole.Window).lightness() < 80
    backgrounds = {plot_background(p) for p in window.findChildren(pg.PlotWidget)}
    assert backgrounds == {look.current().background}
    axis_colour = window.cores.plot.getAxis("left").pen().color().name().upper()
    assert axis_colour == look.current().foreground
    later = pg.PlotWidget()
    qtbot.addWidget(later)
    assert plot_background(later) == look.current().background
    view.set_theme("light")
    assert {plot_background(p) for p in window.findChildren(pg.PlotWidget)} == {"#FFFFFF"}


def test_follow_system_switches_with_the_system(view, window):
    """'Follow system' (the default) turns dark when the system does, and light again."""
    assert view.theme == "system"
    view._system_theme_changed(Qt.ColorScheme.Dark)
    assert look.current().dark
    view._system_theme_changed(Qt.ColorScheme.Light)
    assert not look.current().dark
    view.set_theme("light")
    view._system_theme_changed(Qt.ColorScheme.Dark)  # a fixed choice ignores the system
    assert not look.current().dark


def test_dark_theme_keeps_text_readable(view, window):
    """Colours chosen for white are lightened on dark until they read; span kinds keep theirs."""
    view.set_theme("dark")
    background = palette.luminance(look.current().background)
    for colour in [*palette.WORKER_COLOURS, palette.LAB_COLOUR, palette.STDERR_COLOUR]:
        shown = palette.readable(colour)
        assert palette.contrast_ratio(palette.luminance(shown), background) >= 4.5
    assert palette.worker_colour(0) == look.current().foreground
    assert palette.kind_colour("run") == palette.KIND_COLOURS["run"]
    hint = window.compare.speedup.hint
    assert hint.foregroundRole() == QPalette.ColorRole.PlaceholderText


def test_a_dim_label_with_a_style_sheet_follows_the_theme(view, window):
    """The lesson summary (dim text, padded by a style sheet) is the dark theme's grey on dark."""
    view.set_theme("dark")
    role = window.summary.foregroundRole()
    assert window.summary.palette().color(role) == QApplication.palette().color(role)


def test_code_and_console_keep_their_fixed_width_font_and_follow_the_theme(view, window):
    """The code view's colours are the dark style's on dark (once shown); zoom scales its font."""
    light_html = window.code.toHtml()
    fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont).family()
    view.set_theme("dark")
    view.set_zoom(200)
    window.tabs.setCurrentWidget(window.code)  # behind its tab it waits to be shown
    assert window.code.toHtml() != light_html
    for widget in (window.code, window.console):
        assert widget.font().family() == fixed
    assert window.code.font().pointSizeF() == pytest.approx(
        2 * max(8.0, QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont).pointSizeF() - 1))


def test_presentation_mode_is_large_and_high_contrast_and_leaves_no_trace(qtbot, view, window):
    """F11: full screen, larger text, pure black on white, thicker axes.

    F11 again puts back the window state, geometry, splitter sizes, fonts and pens exactly.
    """
    for label in window.findChildren(QLabel):
        label.setMinimumWidth(1)  # the test screen (800 px) is narrower than the widest heading
    window.resize(780, 700)
    qtbot.wait(200)  # the layout settles at the new size
    # panes no smaller than they need at this narrow width (a smaller one grows on any relayout)
    for split in window.splitters.values():
        split.setSizes(fitted(split.sizes(), [least(split, i) for i in range(split.count())]))
    qtbot.wait(50)
    geometry, state = window.geometry(), window.windowState()
    sizes = {name: s.sizes() for name, s in window.splitters.items()}
    font, axis_pen = QApplication.font(), window.cores.plot.getAxis("left").pen()
    view.present_action.trigger()
    presented(qtbot, window)
    assert view.presenting and view.present_action.isChecked()
    assert window.windowState() & Qt.WindowState.WindowFullScreen
    assert QApplication.font().pointSizeF() == pytest.approx(font.pointSizeF() * PRESENT_SCALE)
    assert QApplication.palette().color(QPalette.ColorRole.WindowText).name() == "#000000"
    assert window.cores.plot.getAxis("left").pen().widthF() > 1
    view.present_action.trigger()
    qtbot.wait(50)
    assert not view.presenting
    assert window.windowState() == state and window.geometry() == geometry
    assert {name: s.sizes() for name, s in window.splitters.items()} == sizes
    assert QApplication.font() == font
    assert window.cores.plot.getAxis("left").pen() == axis_pen


def test_words_written_in_a_plot_during_presentation_shrink_back_after(qtbot, view, window):
    """A caption made at presentation size (a live change's) is normal size once it ends."""
    normal = QApplication.font().pointSizeF()
    view.set_presenting(True)
    presented(qtbot, window)
    caption = pg.TextItem("race_window: 0 → 2")
    window.timeline.plot.addItem(caption)
    assert caption.textItem.font().pointSizeF() == pytest.approx(normal * PRESENT_SCALE)
    view.set_presenting(False)
    assert caption.textItem.font().pointSizeF() == pytest.approx(normal)


def test_presentation_on_top_of_zoom_stays_within_the_largest_zoom(qtbot, view, window):
    view.set_zoom(250)
    view.set_presenting(True)
    presented(qtbot, window)
    assert look.current().scale == appearance.MAX_SCALE
    view.set_presenting(False)
    assert look.current().scale == 2.5


def presented(qtbot, window) -> None:
    """Wait for presentation mode's look: it follows the full screen in turns of its own."""
    qtbot.waitUntil(lambda: look.current().contrast and window.updatesEnabled(), timeout=2000)


def test_zoom_steps():
    assert zoom.bigger(100) == 110 and zoom.smaller(100) == 90
    assert zoom.bigger(250) == 250 and zoom.smaller(70) == 70
    assert zoom.bigger(101) == 110  # a value between steps goes to the next one


def test_zoom_keeps_the_panes_shares_and_never_cuts_a_pane_short(view, window):
    """Larger text raises panes' minimum sizes; the panes keep their shares, raised only to fit.

    A pane is raised to show what it holds (wrapped legends, the strips' axis labels).
    """
    window.resize(1280, 720)
    centre = window.splitters["centre"]
    view.set_zoom(150)
    for i in range(centre.count()):
        pane = centre.widget(i)
        if pane.isVisible() and pane.layout().hasHeightForWidth():
            assert centre.sizes()[i] >= pane.layout().minimumHeightForWidth(pane.width()) - 1
    label = window.lag_view.plot.getAxis("left").label
    assert window.lag_view.plot.minimumHeight() >= label.boundingRect().width()
    assert least_height(window.lag_view.plot) == window.lag_view.plot.minimumHeight()


def test_fitted_raises_short_panes_from_those_with_room():
    assert fitted([100, 300, 200], [250, 50, 100]) == [250, 150, 200]
    assert fitted([100, 100], [150, 150]) == [100, 100]  # no room anywhere: unchanged
    assert sum(fitted([10, 500, 40], [60, 100, 80])) == 550


def test_leaving_presentation_before_its_turns_are_done_leaves_the_normal_look(
        qtbot, view, window):
    font = QApplication.font()
    view.set_presenting(True)
    view.set_presenting(False)  # before presentation's look had its turn
    qtbot.wait(100)
    assert window.updatesEnabled()
    assert not look.current().contrast and QApplication.font() == font
