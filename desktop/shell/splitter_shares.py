"""Keep each splitter's panes at their shares of its length while text sizes change."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QSplitter, QWidget

# Nested layouts settle one level per round of layout requests: the window's depth is below this.
LAYOUT_ROUNDS = 8


@contextmanager
def kept_shares(window: QWidget) -> Iterator[None]:
    """Change fonts inside; after, every splitter of the window gives its panes their old shares.

    A share is raised where the pane would cut off its (now larger, wrapped) text. Larger text
    raises some panes' minimum sizes, and Qt takes the room from whichever pane it finds first
    (the timeline could end up a sliver); the user's arrangement should hold.
    """
    if not window.isVisible():  # not laid out yet: its splitters hold their first sizes
        yield
        return
    before = [(s, s.sizes()) for s in window.findChildren(QSplitter)]
    yield
    settle_layouts()  # new minimum sizes first, or Qt moves the panes again later
    for splitter, sizes in before:
        old_total, new_total = sum(sizes), sum(splitter.sizes())
        if old_total > 0 and new_total > 0:
            shares = [round(size * new_total / old_total) for size in sizes]
            splitter.setSizes(fitted(shares, [least(splitter, i) for i in range(len(sizes))]))


def settle_layouts() -> None:
    """Let every pending layout request run (posted events only: no timer, no input)."""
    for _ in range(LAYOUT_ROUNDS):
        QCoreApplication.sendPostedEvents()


def give_room(splitter: QSplitter, index: int, size: int, donor: int) -> None:
    """Make a pane at least `size` long, the room taken from `donor`, then the longest panes.

    For a pane shown again after it was folded to nothing. `donor` gives what it can spare; every
    other pane keeps its length to the pixel.
    """
    sizes = splitter.sizes()
    if sizes[index] >= size // 2:
        return  # it has (about) its room already: leave every pane as it is
    others = sorted((i for i in range(len(sizes)) if i not in (index, donor)),
                    key=lambda i: -sizes[i])
    for giver in (donor, *others):
        wanted = size - sizes[index]
        if wanted <= 0:
            break
        moved = max(0, min(wanted, sizes[giver] - least(splitter, giver)))
        sizes[giver] -= moved
        sizes[index] += moved
    splitter.setSizes(sizes)


def fold_away(splitter: QSplitter, index: int, heir: int) -> None:
    """Hide a pane, its room going to `heir` alone: give_room from that heir undoes it exactly."""
    sizes = splitter.sizes()
    sizes[heir] += sizes[index]
    sizes[index] = 0
    splitter.setSizes(sizes)
    splitter.widget(index).hide()


def least(splitter: QSplitter, index: int) -> int:
    """The length a splitter's pane needs to show all it holds (with its wrapped text)."""
    pane = splitter.widget(index)
    if pane.isHidden():
        return 0
    if splitter.orientation() == Qt.Orientation.Horizontal:
        return pane.minimumSizeHint().width()
    layout = pane.layout()
    if layout is not None and layout.hasHeightForWidth():
        return layout.minimumHeightForWidth(pane.width())
    return pane.minimumSizeHint().height()


def fitted(sizes: list[int], needs: list[int]) -> list[int]:
    """`sizes` with each one below its need raised, the room taken from panes with most to spare.

    The total stays the same.
    """
    sizes = list(sizes)
    for i, need in enumerate(needs):
        while sizes[i] < need:
            spare = [(sizes[j] - needs[j], j) for j in range(len(sizes)) if j != i]
            room, donor = max(spare, default=(0, i))
            if room <= 0:
                break
            moved = min(room, need - sizes[i])
            sizes[donor] -= moved
            sizes[i] += moved
    return sizes
