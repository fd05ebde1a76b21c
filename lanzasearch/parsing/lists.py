"""List nesting, as a reader sees it, for every reader: items open and close levels against the open lists.

A stack holds the markers of the open list levels (a bullet's position on a
PDF page, a Word item's indentation and level). An item further right opens a
level, one further left closes levels. A heading or a change of box closes
every list, and so does text that does not line up under the outermost item
(it is back at the margin). What a marker is and how two compare is the
reader's; the nesting is the same.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

Entry = TypeVar("Entry")
Marker = TypeVar("Marker")


def list_levels(
    entries: Sequence[Entry],
    *,
    marker: Callable[[Entry], Marker | None],
    compare: Callable[[Marker, Marker], int],
    continues: Callable[[Entry, Marker], bool],
    box: Callable[[Entry], object],
    heading: Callable[[Entry], bool],
) -> list[int]:
    """Each entry's list level: 0 when it is not a list item, 1 for an outermost item, 2 nested under one …

    ``marker`` is an item's marker (None for other text); ``compare(a, b)`` is
    -1, 0 or 1 as marker ``a`` stands left of, with, or right of (nested
    under) ``b``; ``continues(entry, outermost)`` says whether text lines up
    under the outermost open item, so the lists stay open across it.
    """
    levels: list[int] = []
    open_levels: list[Marker] = []
    previous_box: object = None
    for entry in entries:
        if box(entry) != previous_box or heading(entry):
            open_levels = []
        previous_box = box(entry)
        item = marker(entry)
        if item is None:
            if open_levels and not continues(entry, open_levels[0]):
                open_levels = []
            levels.append(0)
            continue
        while open_levels and compare(item, open_levels[-1]) < 0:
            open_levels.pop()
        if not open_levels or compare(item, open_levels[-1]) > 0:
            open_levels.append(item)
        levels.append(len(open_levels))
    return levels
