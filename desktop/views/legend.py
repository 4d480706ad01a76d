"""A legend as plain Qt labels above a plot, so it never hides data drawn inside the plot."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from desktop.views.palette import LINE_CONTRAST, readable


def legend_label(entries: list[tuple[str, str]], suffix: str = "") -> QLabel:
    """One wrapping line of coloured squares and names: [(colour, name), ...]; the squares are
    drawn as the plots draw lines of that colour in the current look."""
    # an entry wraps as a whole, never inside its name ("hold" / "lock")
    items = [f'<span style="color:{readable(colour, LINE_CONTRAST)}">■</span>&nbsp;'
             f'{name.replace(" ", "&nbsp;")}' for colour, name in entries]
    label = QLabel("&nbsp;&nbsp; ".join(items) + suffix)
    label.setWordWrap(True)
    return label
