"""A legend as plain Qt labels above a plot, so it never hides data drawn inside the plot."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from desktop.style.palette import LINE_CONTRAST, readable


def legend_html(entries: list[tuple[str, str]], suffix: str = "") -> str:
    """Coloured squares and names, [(colour, name), ...], as rich text.

    The squares are drawn as the plots draw lines of that colour in the current look. A colour
    may be several, "a|b": a square of each (something drawn in many colours).
    """
    # an entry wraps as a whole, never inside its name ("hold" / "lock")
    items = ["".join(f'<span style="color:{readable(one, LINE_CONTRAST)}">■</span>'
                     for one in colour.split("|"))
             + f'&nbsp;{name.replace(" ", "&nbsp;")}' for colour, name in entries]
    return "&nbsp;&nbsp; ".join(items) + suffix


def legend_label(entries: list[tuple[str, str]], suffix: str = "") -> QLabel:
    """A wrapping label holding `legend_html` of the entries."""
    label = QLabel(legend_html(entries, suffix))
    label.setWordWrap(True)
    return label
