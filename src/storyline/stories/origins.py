"""The records of the syndication index (stories/dedupe.py): what it answers and what it keeps."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from datasketch import MinHash

from .shingles import Passage


@dataclass(frozen=True, slots=True)
class ReusedPassage:
    """``article.text[start:end]`` reuses ``source_start:source_end`` of an earlier article's text."""

    start: int
    end: int
    source_article: str
    source_start: int
    source_end: int
    source_group: str
    similarity: float


@dataclass(frozen=True, slots=True)
class OriginInfo:
    """Where an article's text comes from.

    ``origin`` names the group's origin: its wire ("Reuters") when a member credits one, else the outlet
    of ``origin_article``, the group's earliest-published article. ``copy_of`` is the earlier article this
    one copies (with the estimated shingle ``jaccard``); ``evidence`` says which rule joined them.
    """

    article: str
    group: str
    origin: str
    origin_article: str
    wire: str | None
    copy_of: str | None = None
    jaccard: float | None = None
    evidence: tuple[str, ...] = ()
    passages: tuple[ReusedPassage, ...] = ()

    @property
    def is_copy(self) -> bool:
        return self.copy_of is not None

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able dict (the record kept in the store once the article left the index)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> OriginInfo:
        """The inverse of :meth:`to_dict`; KeyError/TypeError on a malformed record."""
        return cls(
            article=str(data["article"]),
            group=str(data["group"]),
            origin=str(data["origin"]),
            origin_article=str(data["origin_article"]),
            wire=data["wire"],
            copy_of=data["copy_of"],
            jaccard=data["jaccard"],
            evidence=tuple(data["evidence"]),
            passages=tuple(ReusedPassage(**p) for p in data["passages"]),
        )


@dataclass(frozen=True, slots=True)
class Republisher:
    article: str
    source: str | None
    published: str | None
    url: str | None


@dataclass(frozen=True, slots=True)
class Origin:
    """An origin group: ``label`` is the wire or the origin article's outlet; ``members`` by publication,
    those still in the index (``article``, the origin article, may have left it)."""

    id: str
    label: str
    wire: str | None
    article: str
    members: tuple[str, ...]


@dataclass(slots=True)
class Entry:
    """What the index keeps of one article."""

    id: str
    order: int
    words: int
    signature: MinHash | None
    source: str | None = None
    published: str | None = None
    url: str | None = None
    wire: str | None = None
    names: frozenset[str] = frozenset()
    place: str | None = None
    group: str = ""
    copy_of: str | None = None
    jaccard: float | None = None
    evidence: tuple[str, ...] = ()
    reused: tuple[ReusedPassage, ...] = ()
    passages: dict[str, Passage] = field(default_factory=dict)  # LSH key -> passage, first occurrences only
    # Day ordinal the time window counts from: the publication day, else the clock when it was added
    # (None only while no dated article has been seen).
    day: int | None = None


@dataclass(slots=True)
class Group:
    """An origin group: ``members`` are the articles still in the index.

    When members leave the index (time window), the earliest-published of them is pinned here
    (``origin_*``), so the group keeps naming the same origin article and outlet.
    """

    id: str
    order: int
    wire: str | None
    members: list[str]
    origin_article: str | None = None
    origin_source: str | None = None
    origin_published: str | None = None
    origin_order: int = 0

    def pin(self, entry: Entry) -> None:
        """Remember ``entry`` (leaving the index) as the origin when it is earlier than the one pinned."""
        if self.origin_article is None or publication_order(entry) < self.pinned_order():
            self.origin_article = entry.id
            self.origin_source = entry.source
            self.origin_published = entry.published
            self.origin_order = entry.order

    def pin_from(self, other: Group) -> None:
        """Keep the earlier of the two groups' pinned origins (the groups are merging)."""
        if other.origin_article is not None and (
            self.origin_article is None or other.pinned_order() < self.pinned_order()
        ):
            self.origin_article = other.origin_article
            self.origin_source = other.origin_source
            self.origin_published = other.origin_published
            self.origin_order = other.origin_order

    def pinned_order(self) -> tuple[str, int]:
        return (self.origin_published or UNDATED, self.origin_order)


# Undated articles sort after dated ones.
UNDATED = "\uffff"


def publication_order(entry: Entry) -> tuple[str, int]:
    """Earliest published first; ties (and undated articles, last) go to the earliest indexed."""
    return (entry.published or UNDATED, entry.order)
