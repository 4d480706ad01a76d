"""Light and dark themes for the whole app: the Qt style and palette, and the system's choice."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

CHOICES = {"system": "Follow system", "light": "Light", "dark": "Dark"}
DEFAULT_CHOICE = "system"

Role, Group = QPalette.ColorRole, QPalette.ColorGroup
# The dark theme, and in presentation mode the same with pure black and white.
DARK = {Role.Window: "#2B2B2B", Role.WindowText: "#E6E6E6", Role.Base: "#1E1E1E",
        Role.AlternateBase: "#262626", Role.Text: "#E6E6E6", Role.Button: "#353535",
        Role.ButtonText: "#E6E6E6", Role.BrightText: "#FF6B6B", Role.PlaceholderText: "#9A9A9A",
        Role.ToolTipBase: "#3A3A3A", Role.ToolTipText: "#F0F0F0", Role.Light: "#4A4A4A",
        Role.Midlight: "#3E3E3E", Role.Mid: "#303030", Role.Dark: "#1A1A1A",
        Role.Shadow: "#000000", Role.Highlight: "#2A6FB0", Role.Accent: "#2A6FB0",
        Role.HighlightedText: "#FFFFFF",
        Role.Link: "#56B4E9", Role.LinkVisited: "#CC79A7"}
DARK_CONTRAST = {Role.Window: "#000000", Role.WindowText: "#FFFFFF", Role.Base: "#000000",
                 Role.AlternateBase: "#141414", Role.Text: "#FFFFFF", Role.ButtonText: "#FFFFFF",
                 Role.PlaceholderText: "#D0D0D0", Role.ToolTipText: "#FFFFFF"}
LIGHT_CONTRAST = {Role.Window: "#FFFFFF", Role.WindowText: "#000000", Role.Base: "#FFFFFF",
                  Role.Text: "#000000", Role.ButtonText: "#000000", Role.PlaceholderText: "#333333",
                  Role.ToolTipText: "#000000"}
# Greyed-out text of disabled widgets on the dark theme.
DARK_DISABLED = {Role.WindowText: "#7A7A7A", Role.Text: "#7A7A7A", Role.ButtonText: "#7A7A7A",
                 Role.PlaceholderText: "#5E5E5E"}
DARK_STYLE = "Fusion"  # the style that draws every part from the palette on each platform


def system_is_dark(scheme: Qt.ColorScheme | None = None) -> bool:
    """True if the system asks for dark (`scheme`, or the one it reports now; unknown is light)."""
    if scheme is None:
        scheme = QGuiApplication.styleHints().colorScheme()
    return scheme == Qt.ColorScheme.Dark


def is_dark(choice: str, scheme: Qt.ColorScheme | None = None) -> bool:
    """True if the theme `choice` ('system', 'light' or 'dark') comes out dark."""
    return choice == "dark" or (choice == "system" and system_is_dark(scheme))


def with_colours(palette: QPalette, colours: dict[QPalette.ColorRole, str],
                 group: QPalette.ColorGroup = Group.All) -> QPalette:
    """A copy of `palette` with these roles set (in one colour group, or in all of them)."""
    result = QPalette(palette)
    for role, colour in colours.items():
        result.setColor(group, role, QColor(colour))
    return result


class AppTheme:
    """Puts the app in the light or dark theme, and back to how it started, exactly."""

    def __init__(self, app: QApplication) -> None:
        self.app = app
        self.start_style = app.style().name()
        self.start_palette = QPalette(app.palette())
        # The light theme is the palette the app started with, unless the system started it dark.
        self.light_style, self.light_palette = self.start_style, self.start_palette
        if system_is_dark():
            self.light_style = DARK_STYLE
            self.light_palette = QStyleFactory.create(DARK_STYLE).standardPalette()

    def apply(self, dark: bool, contrast: bool) -> None:
        """Dark or light, with pure black and white when `contrast` (presentation mode)."""
        if dark:
            palette = with_colours(QPalette(), DARK)
            palette = with_colours(palette, DARK_DISABLED, Group.Disabled)
            style = DARK_STYLE
        else:
            palette, style = self.light_palette, self.light_style
        if contrast:  # disabled widgets keep their greyed-out text
            for group in (Group.Active, Group.Inactive):
                palette = with_colours(palette, DARK_CONTRAST if dark else LIGHT_CONTRAST, group)
        if self.app.style().name().lower() != style.lower():
            self.app.setStyle(style)
        self.app.setPalette(palette)
        repolish_styled(self.app)

    def restore(self) -> None:
        """The style and palette the app started with."""
        if self.app.style().name() != self.start_style:
            self.app.setStyle(self.start_style)
        self.app.setPalette(self.start_palette)
        repolish_styled(self.app)


def repolish_styled(app: QApplication) -> None:
    """Give widgets with a style sheet of their own the app's new palette.

    Such a widget keeps the palette it was polished with (a dim label stayed light-theme grey,
    black at half alpha, on the dark theme); setting its sheet again polishes it anew.
    """
    for widget in app.allWidgets():
        sheet = widget.styleSheet()
        if sheet:
            widget.setStyleSheet(sheet)
