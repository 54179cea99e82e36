"""Find the annotations at an offset or inside a span without scanning all of them.

Stages that look up, for every clause or token, "the entity at this offset" or "the quantities
inside this span" would otherwise scan the article's whole list each time: quadratic in the
article's length, which a long article (a live blog, a transcript) turns into minutes.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable
from typing import Generic, Protocol, TypeVar


class Spanned(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


S = TypeVar("S", bound=Spanned)


class SpanIndex(Generic[S]):
    """Items with ``start``/``end`` offsets, ordered by start (stable: ties keep their given order)."""

    def __init__(self, items: Iterable[S]) -> None:
        self.items = sorted(items, key=lambda item: item.start)
        self._starts = [item.start for item in self.items]
        # reach[i] = the furthest end among items[0..i]: non-decreasing, so bisectable even when
        # items overlap or nest.
        self._reach = list(itertools.accumulate((item.end for item in self.items), max))

    def at(self, offset: int) -> S | None:
        """The first item (by start) with ``start <= offset < end``, or None."""
        first = bisect.bisect_right(self._reach, offset)  # items before it all end at or before offset
        last = bisect.bisect_right(self._starts, offset)  # items from here on start after offset
        return next((item for item in self.items[first:last] if offset < item.end), None)

    def inside(self, start: int, end: int) -> list[S]:
        """Items with ``start <= item.start`` and ``item.end <= end``, by start."""
        first = bisect.bisect_left(self._starts, start)
        last = bisect.bisect_right(self._starts, end)
        return [item for item in self.items[first:last] if item.end <= end]
