"""Response and request bodies of the HTTP API (pydantic), mirroring the export contract's field names."""

from __future__ import annotations

from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")


class Schema(BaseModel):
    # Built from model ``to_dict()`` output: fields the schema does not name are dropped.
    model_config = ConfigDict(extra="ignore")


class ErrorDetail(Schema):
    code: str = Field(description="The error code, e.g. E204; see storyline/errors.py.")
    message: str


class ErrorOut(Schema):
    error: ErrorDetail


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the JSON errors an endpoint group can answer with."""
    return {status: {"model": ErrorOut, "description": ERROR_MEANINGS[status]} for status in statuses}


ERROR_MEANINGS = {
    400: "Bad parameter value (cursor, search query, input).",
    401: "A bearer token is required (E600).",
    404: "No such article, story or route.",
    409: "The story change cannot be applied.",
    422: "The request does not match the schema (E601).",
    500: "Server-side failure (database unreachable, bug).",
    503: "The server is shutting down and takes no new background jobs (E610).",
}


class EntityOut(Schema):
    text: str
    label: str
    start: int
    end: int
    canonical: str | None = None


class QuoteOut(Schema):
    text: str
    start: int
    end: int
    kind: str
    speaker: str | None = None
    speaker_text: str | None = None
    cue: str | None = None


class QuantityOut(Schema):
    text: str
    start: int
    end: int
    value: float | None = None
    unit: str | None = None
    modifier: str | None = None
    approximate: bool = False
    value_max: float | None = None


class TimexOut(Schema):
    text: str
    start: int
    end: int
    type: str
    value: str | None = None
    mod: str | None = None


class ClaimOut(Schema):
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


class DatelineOut(Schema):
    place: str
    date: str | None = None


class EmbedOut(Schema):
    platform: str
    text: str
    author: str | None = None
    handle: str | None = None
    date: str | None = None
    url: str | None = None


class ArticleSummary(Schema):
    id: str
    origin: str
    source: str | None = None
    url: str | None = None
    published: str | None = None
    title: str | None = None
    wire: str | None = None
    word_count: int


class ArticleOut(ArticleSummary):
    revision: int
    byline: list[str] = []
    dateline: DatelineOut | None = None
    summary: str | None = None
    text: str
    embeds: list[EmbedOut] = []
    metadata: dict[str, Any] = {}
    raw_hash: str | None = None
    story: str | None = Field(None, description="The id of the story the article belongs to, if any.")
    entities: list[EntityOut] = []
    quotes: list[QuoteOut] = []
    quantities: list[QuantityOut] = []
    timexes: list[TimexOut] = []
    claims: list[ClaimOut] = []


class VariantOut(Schema):
    article: str
    text: str
    start: int | None = None
    end: int | None = None


class ConflictOut(Schema):
    kind: str
    variants: list[VariantOut] = []
    rule: str = ""


class FactSourceOut(Schema):
    article: str
    start: int
    end: int
    text: str
    origin: str | None = None
    kind: str = "claim"


class FactOut(Schema):
    id: str
    statement: str
    status: str
    independent_sources: int
    kind: str = "claim"
    rule: str = ""
    sources: list[FactSourceOut] = []
    conflicts: list[ConflictOut] = []
    refinements: list[ConflictOut] = []


class TimelineSourceOut(Schema):
    article: str
    start: int
    end: int
    text: str


class TimelineEntryOut(Schema):
    date: str
    precision: str
    summary: str
    facts: list[str] = []
    sources: list[TimelineSourceOut] = []
    attributed_to: str | None = None
    status: str | None = None


class StorySummary(Schema):
    id: str
    title: str
    first_published: str | None = None
    last_published: str | None = None
    articles: list[str]
    outlets: list[str] = []
    independent_sources: int
    counts: dict[str, int]


class StoryOut(StorySummary):
    facts: list[FactOut] = []
    timeline: list[TimelineEntryOut] = []


class QuoteItem(QuoteOut):
    article: str
    published: str | None = None
    source: str | None = None


class EntityCount(Schema):
    canonical: str
    label: str
    mentions: int
    articles: int


class SearchHit(Schema):
    id: str
    title: str | None = None
    published: str | None = None
    source: str | None = None
    snippet: str
    score: float = Field(description="Relevance, higher is better.")


class Page(Schema, Generic[T]):
    items: list[T]
    total: int = Field(description="Items matching the filters, over all pages.")
    limit: int
    offset: int
    next_cursor: str | None = Field(None, description="Pass as ?cursor= for the next page; null on the last.")


class ArticleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1)
    title: str | None = None
    published: str | None = Field(None, description="YYYY-MM-DD or an ISO date-time.")
    url: str | None = None
    source: str | None = None


class IngestOut(Schema):
    counts: dict[str, int]
    rejected: list[dict[str, str]]
    article_ids: list[str]
    annotated: int
    failed: list[str]
    stories_updated: list[str]


class JobProgressOut(Schema):
    stage: Literal["ingest", "annotate", "stories"] | None = Field(
        None, description="The step running now (or last run); null before the job starts."
    )
    read: int = Field(description="Records read so far.")
    counts: dict[str, int] = Field(description="Records read so far by outcome (stored, unchanged, ...).")
    annotated: int
    failed: int = Field(description="Articles the NLP pipeline failed on so far.")
    stories_updated: int


class JobLinks(Schema):
    self: str = Field(description="This job's URL path; poll it until the status is done or failed.")


class JobOut(Schema):
    id: str
    status: Literal["queued", "running", "done", "failed"]
    input: str = Field(description="The name of the input file the job reads.")
    created_at: str
    started_at: str | None = None
    finished_at: str | None = None
    progress: JobProgressOut
    result: IngestOut | None = Field(None, description="What the ingest did, once the job is done.")
    error: ErrorDetail | None = Field(None, description="Why the job failed, when it did.")
    links: JobLinks


class MergeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    other: str = Field(min_length=1, description="The story merged into this one.")


class SplitIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    articles: list[str] = Field(min_length=1, description="Articles moved into a new story.")


class StoryEventOut(Schema):
    story_id: str
    articles: int
    deleted: bool = False
