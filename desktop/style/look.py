"""The app's current look (light or dark, presentation contrast, zoom) that every view draws in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from PySide6.QtGui import QFont

# Presenting, lines get thicker than text grows: a 1 px curve is what vanishes first on a projector.
CONTRAST_LINE_BOOST = 1.35
# Grid lines (charts across runs): faint on a screen, stronger in presentation mode.
GRID_ALPHA, CONTRAST_GRID_ALPHA = 0.15, 0.4


@dataclass(frozen=True)
class Look:
    """How the app is drawn now: dark or light, high contrast or not, and a size scale."""

    dark: bool = False
    contrast: bool = False  # presentation mode: pure black/white, thicker axes and lines
    scale: float = 1.0  # text size against the system's (zoom times presentation)

    @property
    def background(self) -> str:
        """The plots' background colour."""
        if self.dark:
            return "#000000" if self.contrast else "#1E1E1E"
        return "#FFFFFF"

    @property
    def foreground(self) -> str:
        """The plots' axes and text colour."""
        if self.dark:
            return "#FFFFFF" if self.contrast else "#D8D8D8"
        return "#000000" if self.contrast else "#222222"

    @property
    def grid_alpha(self) -> float:
        """How strong a plot's grid lines are."""
        return CONTRAST_GRID_ALPHA if self.contrast else GRID_ALPHA

    @property
    def axis_width(self) -> float:
        """The width of axis lines and ticks, in pixels."""
        return self.line_width(1.0)

    def line_width(self, base: float = 1.0) -> float:
        """A line's width in this look, for a line `base` pixels wide in the default look."""
        return base * self.scale * (CONTRAST_LINE_BOOST if self.contrast else 1.0)


@runtime_checkable
class FollowsLook(Protocol):
    """A view with colours, fonts or pens of its own, redrawn when the look changes."""

    def apply_look(self) -> None:
        """Redraw in the current look."""


_current = Look()


def current() -> Look:
    """The look the app is drawn in now."""
    return _current


def set_current(look: Look) -> None:
    """Make `look` the app's look (views pick it up in apply_look and when they draw)."""
    global _current
    _current = look


def scaled_font(font: QFont, scale: float) -> QFont:
    """A copy of `font`, `scale` times its size (point or pixel sized)."""
    result = QFont(font)
    if font.pointSizeF() > 0:
        result.setPointSizeF(font.pointSizeF() * scale)
    else:
        result.setPixelSize(max(1, round(font.pixelSize() * scale)))
    return result
