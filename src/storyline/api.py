"""The Python API the CLI and the HTTP API are thin layers over."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, BinaryIO

from .errors import E304, IngestError, NormalizeError, OptionError, StageError, StorylineError
from .ingest.normalize import normalize
from .ingest.readers import read_inputs
from .model import Article
from .nlp.run import annotate
from .settings import DEFAULT, Settings
from .store import Store, open_store

if TYPE_CHECKING:  # the stories package loads numpy and embeddings: imported when first used
    from .stories.build import StoryEvent

logger = logging.getLogger(__name__)

OUTCOMES = ("stored", "unchanged", "revised", "rejected")


@dataclass(frozen=True, slots=True)
class IngestEvent:
    """What happened to one input record."""

    origin: str
    outcome: str  # one of OUTCOMES
    article_id: str | None = None
    message: str | None = None


@dataclass(slots=True)
class IngestReport:
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))
    rejected: list[IngestEvent] = field(default_factory=list)
    article_ids: list[str] = field(default_factory=list)

    @property
    def read(self) -> int:
        return sum(self.counts.values())

    def add(self, event: IngestEvent) -> None:
        self.counts[event.outcome] += 1
        if event.outcome == "rejected":
            self.rejected.append(event)
        elif event.article_id:
            self.article_ids.append(event.article_id)


def iter_ingest(
    store: Store,
    paths: Sequence[str],
    *,
    settings: Settings = DEFAULT,
    date: str | None = None,
    stdin: BinaryIO | None = None,
) -> Iterator[IngestEvent]:
    """Read, normalise and store every record under ``paths``, one event per record.

    A bad record becomes a ``rejected`` event and the batch goes on; each stored
    article is its own transaction, so an interruption loses at most one.
    """
    settings.validate()
    for item in read_inputs(paths, settings=settings, date=date, stdin=stdin):
        if isinstance(item, IngestError):
            yield IngestEvent(origin=_origin_of(item), outcome="rejected", message=str(item))
            continue
        try:
            article = normalize(item, settings=settings)
        except NormalizeError as exc:
            yield IngestEvent(origin=item.origin, outcome="rejected", message=str(exc))
            continue
        outcome = store.add_article(item, article)
        yield IngestEvent(origin=item.origin, outcome=outcome, article_id=article.id)


def ingest(
    paths: Sequence[str],
    *,
    db: str = DEFAULT.db,
    settings: Settings = DEFAULT,
    date: str | None = None,
    stdin: BinaryIO | None = None,
    on_event: Callable[[IngestEvent], None] | None = None,
) -> IngestReport:
    """Ingest ``paths`` into the database ``db`` and return counts per outcome."""
    report = IngestReport()
    with open_store(db) as store:
        for event in iter_ingest(store, paths, settings=settings, date=date, stdin=stdin):
            report.add(event)
            if on_event is not None:
                on_event(event)
    return report


@dataclass(frozen=True, slots=True)
class AnnotateEvent:
    """One article annotated (``error`` None) or skipped because a stage failed on it."""

    article_id: str
    error: str | None = None


def pipeline_signature(settings: Settings = DEFAULT) -> str:
    """The stage names that annotations were computed with, stored beside them."""
    return "+".join(settings.nlp)


def iter_annotate(
    store: Store,
    *,
    ids: Sequence[str] | None = None,
    redo: bool = False,
    settings: Settings = DEFAULT,
    processes: int = 1,
) -> Iterator[AnnotateEvent]:
    """Run the NLP stages over stored articles and store their annotations.

    By default only articles not yet annotated by the current pipeline; ``ids``
    picks articles, ``redo`` annotates them again regardless.
    """
    signature = pipeline_signature(settings)
    if ids is None:
        ids = store.article_ids() if redo else store.unannotated_ids(signature)
    articles = (store.get_article(article_id) for article_id in ids)
    for article_id, result in zip(
        ids, annotate(articles, settings=settings, processes=processes), strict=True
    ):
        if isinstance(result, StageError):
            yield AnnotateEvent(article_id, error=str(result))
            continue
        store.save_annotations(result, pipeline=signature)
        yield AnnotateEvent(article_id)


def count_unannotated(store: Store, *, settings: Settings = DEFAULT) -> int:
    return len(store.unannotated_ids(pipeline_signature(settings)))


# Articles placed between two saves of the story state.
STORY_CHUNK = 2000


def iter_update_stories(
    store: Store, *, settings: Settings = DEFAULT, chunk: int = STORY_CHUNK
) -> Iterator[StoryEvent]:
    """Place every annotated article that has no story yet, and rebuild the stories that changed.

    Articles are placed in publication order, ``chunk`` at a time: the story state is saved after
    each chunk (a run killed here goes on from the last one) and a story touched by many articles
    of one chunk is rebuilt once, so the work per article does not grow with the backlog.
    """
    from .stories.build import StoryBuilder

    if chunk < 1:
        raise OptionError(E304.format(name="chunk", reason=f"must be at least 1, not {chunk}"))
    pending = store.unassigned_ids(pipeline_signature(settings))
    if not pending:
        return
    builder = StoryBuilder(store, settings=settings)
    for start in range(0, len(pending), chunk):
        yield from builder.add(pending[start : start + chunk])


def merge_stories(
    store: Store, story_a: str, story_b: str, *, settings: Settings = DEFAULT
) -> list[StoryEvent]:
    """Merge ``story_b`` into ``story_a`` for good (later articles respect it)."""
    from .stories.build import StoryBuilder

    return StoryBuilder(store, settings=settings).merge(story_a, story_b)


def split_story(
    store: Store, story_id: str, article_ids: Sequence[str], *, settings: Settings = DEFAULT
) -> list[StoryEvent]:
    """Move ``article_ids`` out of ``story_id`` into a new story that will not merge back."""
    from .stories.build import StoryBuilder

    return StoryBuilder(store, settings=settings).split(story_id, article_ids)


def get_article(article_id: str, *, db: str = DEFAULT.db) -> Article:
    with open_store(db) as store:
        return store.get_article(article_id)


def _origin_of(error: IngestError) -> str:
    # Coded messages start "E0xx <origin>: reason"; keep the origin for the summary.
    text = str(error)
    head, _, _ = text.partition(": ")
    return head.split(" ", 1)[1] if " " in head else text


__all__ = [
    "OUTCOMES",
    "AnnotateEvent",
    "IngestEvent",
    "IngestReport",
    "StorylineError",
    "get_article",
    "ingest",
    "iter_annotate",
    "iter_ingest",
    "iter_update_stories",
    "merge_stories",
    "pipeline_signature",
    "split_story",
]
