"""A legend as plain Qt labels above a plot, so it never hides data drawn inside the plot."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel


def legend_label(entries: list[tuple[str, str]], suffix: str = "") -> QLabel:
    """One wrapping line of coloured squares and names: [(colour, name), ...]."""
    items = [f'<span style="color:{colour}">■</span>&nbsp;{name}' for colour, name in entries]
    label = QLabel("&nbsp;&nbsp; ".join(items) + suffix)
    label.setWordWrap(True)
    return label
