"""The records of the syndication index (stories/dedupe.py): what it answers and what it keeps."""

from __future__ import annotations

from dataclasses import dataclass, field

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


@dataclass(frozen=True, slots=True)
class Republisher:
    article: str
    source: str | None
    published: str | None
    url: str | None


@dataclass(frozen=True, slots=True)
class Origin:
    """An origin group: ``label`` is the wire or the origin article's outlet; ``members`` by publication."""

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


@dataclass(slots=True)
class Group:
    id: str
    order: int
    wire: str | None
    members: list[str]
