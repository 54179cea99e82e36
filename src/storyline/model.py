"""The one data model: an Article and the annotations that point into its text.

Every annotation stores ``start``/``end`` character offsets into ``Article.text``
(never a copy that could drift); ``text`` on an annotation is a convenience
slice kept for export and must equal ``article.text[start:end]``.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any

SCHEMA = "storyline/1"


@dataclass(slots=True)
class RawDocument:
    """What a reader yields: the input as found plus whatever metadata the format carries.

    ``data`` is the verbatim input of this record (bytes as read from the file or
    stream); ``text`` is the decoded, format-stripped body when the reader already
    extracted it (HTML main text, JSONL ``text`` field, feed entry content).
    """

    origin: str
    data: bytes
    format: str
    text: str | None = None
    title: str | None = None
    published: str | None = None
    url: str | None = None
    source: str | None = None
    authors: list[str] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Dateline:
    place: str
    date: str | None = None


@dataclass(slots=True)
class Embed:
    """A social-media post embedded in the article, cut out of the body.

    ``anchor`` is the offset in ``Article.text`` where the post stood.
    """

    platform: str
    text: str
    author: str | None = None
    handle: str | None = None
    date: str | None = None
    url: str | None = None
    anchor: int = 0


@dataclass(slots=True)
class Entity:
    text: str
    label: str
    start: int
    end: int
    canonical: str | None = None


@dataclass(slots=True)
class Quote:
    text: str
    start: int
    end: int
    kind: str = "direct"  # direct | indirect | question
    speaker: str | None = None
    speaker_text: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    cue: str | None = None
    cue_start: int | None = None
    cue_end: int | None = None


@dataclass(slots=True)
class Quantity:
    text: str
    start: int
    end: int
    value: float | None
    unit: str | None = None
    modifier: str | None = None
    approximate: bool = False
    value_max: float | None = None


@dataclass(slots=True)
class Timex:
    text: str
    start: int
    end: int
    type: str  # DATE | TIME | DURATION | SET
    value: str | None
    mod: str | None = None


@dataclass(slots=True)
class Claim:
    id: str
    text: str
    start: int
    end: int
    attributed_to: str | None = None
    subject: str | None = None
    predicate: str | None = None
    object: str | None = None
    negated: bool = False
    hedged: bool = False
    entities: list[str] = field(default_factory=list)
    values: list[str] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    key: str | None = None  # normalised form used to compare claims across articles


@dataclass(slots=True)
class FactSource:
    """One article's support for a fact: the span of the claim or quote in that article's text."""

    article: str
    start: int
    end: int
    text: str
    origin: str | None = None  # the origin group (syndication): copies of one origin share it
    kind: str = "claim"  # claim | quote
    claim: str | None = None  # the Claim id when the source is a claim


@dataclass(slots=True)
class Variant:
    """How one article words the point where facts differ (a conflict or a refinement)."""

    article: str
    text: str
    start: int | None = None
    end: int | None = None


@dataclass(slots=True)
class Conflict:
    """Two or more independent versions that cannot all be true; ``rule`` names the check that found it."""

    kind: str  # number | date | attribution | entity | negation | other
    variants: list[Variant] = field(default_factory=list)
    rule: str = ""
    words: list[str] = field(default_factory=list)  # words that differ (altered quotes)


@dataclass(slots=True)
class Refinement:
    """A difference of precision, not a conflict: a day inside a month, "at least N" vs N, a fuller quote."""

    kind: str  # date | number | quote | attribution | name
    variants: list[Variant] = field(default_factory=list)
    rule: str = ""
    words: list[str] = field(default_factory=list)  # words only the fuller version has


@dataclass(slots=True)
class Fact:
    """What the articles of one story say about one thing, with the verdict and why."""

    id: str
    statement: str
    status: str  # corroborated | single_source | conflicting
    independent_sources: int
    sources: list[FactSource] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    rule: str = ""  # the rule that decided the status
    refinements: list[Refinement] = field(default_factory=list)
    kind: str = "claim"  # claim | quote
    single_origin: str | None = None  # for single_source: which origin says it


@dataclass(slots=True)
class TimelineSource:
    """A sentence behind a timeline entry: a span of the article text, or of embedded post ``embed``."""

    article: str
    start: int
    end: int
    text: str
    embed: int | None = None  # index into that article's embeds when the span is in a post


@dataclass(slots=True)
class TimelineEntry:
    """One dated event of a story, at the precision its date is known (TIMEX3 value)."""

    date: str
    precision: str  # day | week | month | season | quarter | year
    summary: str
    facts: list[str] = field(default_factory=list)
    sources: list[TimelineSource] = field(default_factory=list)
    attributed_to: str | None = None  # when the event is a party's claim, e.g. Ukraine's
    status: str | None = None  # the status of the fact behind it, when there is one


@dataclass(slots=True)
class Story:
    """Articles about one real-world event, their compared facts and timeline."""

    id: str
    title: str
    articles: list[str] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)
    origins: dict[str, str] = field(default_factory=dict)  # article id -> origin group id
    # article id -> where its text comes from: origin label (wire or outlet), copy_of, similarity,
    # evidence, and passages reused from other articles (partial reuse), from stories/dedupe.py
    syndication: dict[str, dict[str, Any]] = field(default_factory=dict)
    first_published: str | None = None
    last_published: str | None = None
    outlets: list[str] = field(default_factory=list)

    @property
    def independent_sources(self) -> int:
        return len(set(self.origins.values())) or len(self.articles)

    def counts(self) -> dict[str, int]:
        found = dict.fromkeys(("corroborated", "single_source", "conflicting"), 0)
        for fact in self.facts:
            found[fact.status] = found.get(fact.status, 0) + 1
        return found

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["independent_sources"] = self.independent_sources
        data["counts"] = self.counts()
        return data


def story_from_dict(data: dict[str, Any]) -> Story:
    """The inverse of ``Story.to_dict`` (derived keys such as ``counts`` are ignored)."""
    facts = [_fact_from_dict(f) for f in data.get("facts") or []]
    timeline = [
        TimelineEntry(**{**e, "sources": [TimelineSource(**s) for s in e.get("sources") or []]})
        for e in data.get("timeline") or []
    ]
    names = set(Story.__dataclass_fields__) - {"facts", "timeline"}
    return Story(**{k: v for k, v in data.items() if k in names}, facts=facts, timeline=timeline)


def _fact_from_dict(data: dict[str, Any]) -> Fact:
    def variants(items: list[dict[str, Any]]) -> list[Variant]:
        return [Variant(**v) for v in items]

    return Fact(
        **{
            **data,
            "sources": [FactSource(**s) for s in data.get("sources") or []],
            "conflicts": [
                Conflict(**{**c, "variants": variants(c["variants"])}) for c in data.get("conflicts") or []
            ],
            "refinements": [
                Refinement(**{**r, "variants": variants(r["variants"])})
                for r in data.get("refinements") or []
            ],
        }
    )


ANNOTATION_TYPES: dict[str, type] = {
    "entities": Entity,
    "quotes": Quote,
    "quantities": Quantity,
    "timexes": Timex,
    "claims": Claim,
}


@dataclass(slots=True)
class Article:
    """A clean news article. ``id`` is stable across revisions of the same article."""

    id: str
    origin: str
    text: str
    title: str | None = None
    published: str | None = None
    source: str | None = None
    url: str | None = None
    byline: list[str] = field(default_factory=list)
    credits: dict[str, list[str]] = field(default_factory=dict)
    dateline: Dateline | None = None
    wire: str | None = None
    summary: str | None = None
    embeds: list[Embed] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
    raw_hash: str | None = None
    revision: int = 1
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    timexes: list[Timex] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    # Transient: the parsed spaCy Doc shared by the NLP stages; never stored or exported.
    doc: Any = field(default=None, repr=False, compare=False)

    @property
    def content_hash(self) -> str:
        return content_hash(self.title or "", self.text)

    @property
    def outlet(self) -> str:
        """Who published it: the source, else the wire, else the input's file name."""
        return self.source or self.wire or self.origin.rsplit("/", 1)[-1]

    @property
    def word_count(self) -> int:
        return len(self.text.split())

    def to_dict(self) -> dict[str, Any]:
        """The export-contract form of this article (no transient fields)."""
        data = {name: getattr(self, name) for name in EXPORT_FIELDS}
        data["dateline"] = asdict(self.dateline) if self.dateline else None
        data["embeds"] = [asdict(e) for e in self.embeds]
        for name in ANNOTATION_TYPES:
            data[name] = [asdict(a) for a in getattr(self, name)]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        kwargs = {k: v for k, v in data.items() if k in ARTICLE_FIELDS}
        if data.get("dateline"):
            kwargs["dateline"] = Dateline(**data["dateline"])
        kwargs["embeds"] = [Embed(**e) for e in data.get("embeds") or []]
        for name, kind in ANNOTATION_TYPES.items():
            kwargs[name] = [kind(**a) for a in data.get(name) or []]
        return cls(**kwargs)


ARTICLE_FIELDS = frozenset(Article.__dataclass_fields__) - {"doc"}
EXPORT_FIELDS = (
    "id",
    "origin",
    "source",
    "url",
    "published",
    "title",
    "byline",
    "credits",
    "dateline",
    "wire",
    "summary",
    "text",
    "embeds",
    "metadata",
    "revision",
)


def content_hash(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()


def article_id(*, url: str | None, text: str) -> str:
    """Stable id: from the URL when there is one (so revisions share it), else from the content."""
    key = f"url:{url}" if url else f"text:{content_hash(text)}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
