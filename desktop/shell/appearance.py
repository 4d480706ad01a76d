"""The View menu: presentation mode, zoom and theme; zoom and theme remembered between sessions."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pyqtgraph as pg
from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QFont, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QApplication, QMainWindow, QMenu, QWidget

from desktop.shell.actions import window_action
from desktop.shell.presentation import PRESENT_SCALE, FullScreen
from desktop.shell.restyle import LookOnShow, follows_look, painted_once
from desktop.shell.settings import Settings
from desktop.shell.splitter_shares import kept_shares
from desktop.style import look, zoom
from desktop.style.plot_style import configure_plots, style_plot
from desktop.style.theme import CHOICES, DEFAULT_CHOICE, AppTheme, is_dark

if TYPE_CHECKING:
    from collections.abc import Callable

ZOOM_KEY, THEME_KEY = "appearance/zoom", "appearance/theme"
# Presentation on top of a large zoom stops here: past it the window's panes no longer fit.
MAX_SCALE = zoom.STEPS[-1] / 100
# The wait between the turns of a long look change: a real timer, so that what waits for the
# event loop (a frame, the lag meter's probe, a key) gets its turn between them.
TURN_MS = 1


class Appearance(QObject):
    """The window's look: light, dark or the system's theme, zoom, and presentation mode."""

    def __init__(self, window: QMainWindow, settings: Settings | None) -> None:
        super().__init__(window)  # ends with the window, and with it the system theme connection
        self.window = window
        self.settings = settings
        app = QApplication.instance()
        self.app_theme = AppTheme(app)
        self.base_font = QFont(app.font())  # the system's, at 100 %
        self.theme = (settings and settings.text(THEME_KEY, list(CHOICES))) or DEFAULT_CHOICE
        remembered = settings and settings.text(ZOOM_KEY, [str(step) for step in zoom.STEPS])
        self.zoom = int(remembered) if remembered else zoom.DEFAULT
        self.presenting = False
        self.full_screen = FullScreen(window)
        self.restyler = LookOnShow(self)
        self._build_menu()
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._system_theme_changed)
        self.apply()

    # -- the menu ---------------------------------------------------------------------------------
    def _build_menu(self) -> None:
        menu = QMenu("&View", self.window)
        self.present_action = self._action(
            "Presentation mode", ["F11", "Ctrl+P"],
            "Full screen, larger text, thicker lines, high contrast; again to leave",
            self.set_presenting)
        self.present_action.setCheckable(True)
        self.zoom_in_action = self._action("Zoom in", ["Ctrl+=", "Ctrl++"],
                                           "Larger text and lines everywhere", self.zoom_in)
        self.zoom_out_action = self._action("Zoom out", ["Ctrl+-"],
                                            "Smaller text and lines everywhere", self.zoom_out)
        self.zoom_reset_action = self._action("Actual size", ["Ctrl+0"],
                                              "Text and lines at the system's size (100 %)",
                                              self.reset_zoom)
        menu.addAction(self.present_action)
        menu.addSeparator()
        for action in (self.zoom_in_action, self.zoom_out_action, self.zoom_reset_action):
            menu.addAction(action)
        menu.addSeparator()
        themes = menu.addMenu("&Theme")
        group = QActionGroup(self)  # exclusive: one theme is checked
        self.theme_actions: dict[str, QAction] = {}
        for choice, name in CHOICES.items():
            action = QAction(name, self.window, checkable=True)
            action.setToolTip(f"{name}: " + ("light or dark as the system is set"
                                             if choice == "system" else f"always {choice}"))
            action.triggered.connect(lambda _=False, choice=choice: self.set_theme(choice))
            group.addAction(action)
            themes.addAction(action)
            self.theme_actions[choice] = action
        self.theme_actions[self.theme].setChecked(True)
        bar = self.window.menuBar()
        help_menu = next((a for a in bar.actions() if a.text().replace("&", "") == "Help"), None)
        if help_menu is not None:
            bar.insertMenu(help_menu, menu)  # menus read Lab, Lesson, ..., View, Help
        else:
            bar.addMenu(menu)
        self.menu = menu

    def _action(self, text: str, keys: list[str], tip: str, slot: Callable) -> QAction:
        """A window action with its keys in its tooltip.

        It is the window's, so its keys work with the menu closed and show in the keyboard sheet.
        """
        action = window_action(self.window, text, QKeySequence(keys[0]), tip, slot)
        action.setShortcuts([QKeySequence(key) for key in keys])
        action.setToolTip(f"{tip} ({', '.join(keys)})")
        return action

    # -- what the user chooses -------------------------------------------------------------------
    def set_presenting(self, on: bool) -> None:
        """Enter or leave presentation mode; leaving restores the window exactly as it was."""
        if on == self.presenting:
            return
        self.presenting = on
        self.present_action.setChecked(on)
        if on:
            self._enter_in_turns()
        else:
            with painted_once(self.window):
                self.apply()  # fonts back first, so the restored splitter sizes hold
                self.full_screen.leave()

    def _enter_in_turns(self) -> None:
        """Presentation mode in turns of the event loop, each shorter than a felt pause.

        The full screen (a window-system resize, laid out once), the palette and fonts (the
        panes settle at their shares), the plots and views, then the one paint of it all. A
        learner who leaves meanwhile ends the turns where they are: leaving draws it all.
        """
        window = self.window
        window.setUpdatesEnabled(False)  # painted once, at the end
        self.full_screen.enter()

        def fonts() -> None:
            if self.presenting:
                self._fonts(self._set_look())

        def views() -> None:
            if self.presenting:
                self._restyle_views()

        in_turns(window, [fonts, views, lambda: window.setUpdatesEnabled(True)])

    def set_zoom(self, percent: int) -> None:
        """Zoom the whole UI to `percent` (clamped to the zoom steps' range) and remember it."""
        self.zoom = min(max(percent, zoom.STEPS[0]), zoom.STEPS[-1])
        self.apply()
        self._remember()
        self.window.statusBar().showMessage(f"Zoom {self.zoom} %", 2000)

    def zoom_in(self) -> None:
        """One zoom step larger."""
        self.set_zoom(zoom.bigger(self.zoom))

    def zoom_out(self) -> None:
        """One zoom step smaller."""
        self.set_zoom(zoom.smaller(self.zoom))

    def reset_zoom(self) -> None:
        """Back to 100 %."""
        self.set_zoom(zoom.DEFAULT)

    def set_theme(self, choice: str) -> None:
        """Light, dark, or the system's ('system'); remembered."""
        if choice not in CHOICES:
            raise ValueError(f"theme must be one of {', '.join(CHOICES)}, got {choice!r}")
        self.theme = choice
        self.theme_actions[choice].setChecked(True)
        with painted_once(self.window):
            self.apply()
        self._remember()

    def _system_theme_changed(self, scheme: Qt.ColorScheme) -> None:
        if self.theme == "system":
            self.apply(scheme)

    def _remember(self) -> None:
        if self.settings is None:
            return  # an automated run or a test: nothing is remembered
        self.settings.keep({ZOOM_KEY: str(self.zoom), THEME_KEY: self.theme})

    # -- drawing it -------------------------------------------------------------------------------
    def look(self, scheme: Qt.ColorScheme | None = None) -> look.Look:
        """The look these choices make (with the system's colour scheme `scheme`, or its own)."""
        scale = self.zoom / 100 * (PRESENT_SCALE if self.presenting else 1.0)
        return look.Look(dark=is_dark(self.theme, scheme), contrast=self.presenting,
                         scale=min(scale, MAX_SCALE))

    def apply(self, scheme: Qt.ColorScheme | None = None) -> None:
        """Draw the whole app in the chosen look: palette, fonts, then every plot and view."""
        self._fonts(self._set_look(scheme), views=True)

    def _set_look(self, scheme: Qt.ColorScheme | None = None) -> look.Look:
        """Make the look these choices make the current one, with its palette; return it."""
        now = self.look(scheme)
        look.set_current(now)
        configure_plots()  # plots made from now on
        self.app_theme.apply(now.dark, now.contrast)
        return now

    def _fonts(self, now: look.Look, views: bool = False) -> None:
        """The look's text size everywhere, the panes kept at their shares.

        With `views`, the plots and views take the look too, inside the same settling.
        """
        with kept_shares(self.window):
            self._set_app_font(self.base_font if now.scale == 1 else
                               look.scaled_font(self.base_font, now.scale))
            if views:
                self._restyle_views()

    def _restyle_views(self) -> None:
        """Every plot and view of the window in the current look (hidden views when shown)."""
        for plot in self.window.findChildren(pg.PlotWidget):
            style_plot(plot)
        self.restyler.restyle([widget for widget in self.window.findChildren(QWidget)
                               if follows_look(widget)])

    @staticmethod
    def _set_app_font(font: QFont) -> None:
        if QApplication.font() != font:  # each change re-lays out every widget
            QApplication.setFont(font)

    def undo(self) -> None:
        """Put the app back as it looked before install.

        Its start palette, style and font, and default plots (for tests, and before a second
        window installs its own).
        """
        if self.presenting:
            self.set_presenting(False)
        look.set_current(look.Look())
        configure_plots()
        self.app_theme.restore()
        self._set_app_font(self.base_font)
        QGuiApplication.styleHints().colorSchemeChanged.disconnect(self._system_theme_changed)


def in_turns(context: QObject, steps: list[Callable[[], None]]) -> None:
    """Run the steps one per turn of the event loop, TURN_MS apart.

    The window's own timers (its frames, the lag meter) and input come in between; Qt runs a
    zero-delay call as a posted event, ahead of every timer. They end with `context` (a window
    closed meanwhile).
    """
    if steps:
        QTimer.singleShot(TURN_MS, context, lambda: (steps[0](), in_turns(context, steps[1:])))


def install(window: QMainWindow, settings: Settings | None = None) -> Appearance:
    """Add the View menu to the window and draw it in the theme and zoom remembered.

    They are remembered in `settings` (None: the defaults, and nothing is remembered).
    """
    return Appearance(window, settings)
