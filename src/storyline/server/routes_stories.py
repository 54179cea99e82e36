"""Read endpoints over stories: the list, one story, its facts and its timeline."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from ..store import Store
from ..store.sqlite import SQLiteConnection
from .auth import require_read
from .deps import get_store
from .paging import Filters, Paging, encode_cursor, paging
from .schemas import FactOut, Page, StoryOut, StorySummary, TimelineEntryOut, error_responses

router = APIRouter(
    responses=error_responses(400, 401, 404, 422, 500), dependencies=[Depends(require_read)], tags=["stories"]
)

StoreDep = Annotated[Store, Depends(get_store)]


class Status(StrEnum):
    corroborated = "corroborated"
    single_source = "single_source"
    conflicting = "conflicting"


StatusQuery = Annotated[Status | None, Query(description="Only stories/facts with facts of this status.")]
STORY_KEY = "COALESCE(s.last_published, '')"
SUMMARY_COLUMNS = (
    "id",
    "title",
    "first_published",
    "last_published",
    "corroborated",
    "single_source",
    "conflicting",
)
SUMMARY_SQL = ", ".join(f"s.{column}" for column in SUMMARY_COLUMNS)
SUMMARY_JSON = ("articles", "outlets", "origins")


@router.get("/stories", response_model=Page[StorySummary])
def list_stories(
    store: StoreDep,
    page: Annotated[Paging, Depends(paging)],
    since: Annotated[date | None, Query(description="Stories with an article on or after this day.")] = None,
    until: Annotated[date | None, Query(description="Stories with an article on or before this day.")] = None,
    outlet: Annotated[str | None, Query(max_length=500)] = None,
    status: StatusQuery = None,
) -> dict[str, Any]:
    """Stories, most recently published first (ties by id); page with ``cursor`` or ``offset``."""
    filters = story_filters(since=since, until=until, outlet=outlet, status=status)
    total = int(
        store.connection.execute(
            f"SELECT COUNT(*) FROM stories s {filters.where}", filters.params
        ).fetchone()[0]
    )
    if page.after is not None:
        key, story_id = page.after
        filters.add(f"({STORY_KEY} < ? OR ({STORY_KEY} = ? AND s.id > ?))", key, key, story_id)
    rows = store.connection.execute(
        f"SELECT {SUMMARY_SQL}, {json_fields(store, SUMMARY_JSON)} FROM stories s {filters.where} "
        f"ORDER BY {STORY_KEY} DESC, s.id LIMIT ? OFFSET ?",
        (*filters.params, page.limit + 1, page.offset),
    ).fetchall()
    items = [story_summary(store, row) for row in rows[: page.limit]]
    last = items[-1] if len(rows) > page.limit else None
    cursor = encode_cursor((last["last_published"] or "", last["id"])) if last else None
    return {"items": items, "total": total, "limit": page.limit, "offset": page.offset, "next_cursor": cursor}


def json_fields(store: Store, names: tuple[str, ...]) -> str:
    """SQL selecting top-level fields of ``s.data`` without the rest: a story's JSON is mostly its facts."""
    if isinstance(store.connection, SQLiteConnection):
        return ", ".join(f"json_extract(s.data, '$.{name}')" for name in names)
    return ", ".join(f"s.data -> '{name}'" for name in names)


def story_summary(store: Store, row: tuple[Any, ...]) -> dict[str, Any]:
    """The list fields of a story from a row of ``SUMMARY_SQL`` then ``SUMMARY_JSON`` fields."""
    columns = dict(zip(SUMMARY_COLUMNS, row, strict=False))
    articles, outlets, origins = (
        [] if value is None else store.connection.from_json(value) for value in row[len(SUMMARY_COLUMNS) :]
    )
    summary = {name: columns[name] for name in ("id", "title", "first_published", "last_published")}
    summary.update(articles=articles, outlets=outlets or [])
    # As Story.independent_sources: distinct origins, or every article when none were recorded.
    summary["independent_sources"] = len(set((origins or {}).values())) or len(articles)
    summary["counts"] = {name: columns[name] for name in ("corroborated", "single_source", "conflicting")}
    return summary


def story_filters(
    *, since: date | None, until: date | None, outlet: str | None, status: Status | None
) -> Filters:
    filters = Filters()
    if since is not None:
        filters.add("substr(COALESCE(s.last_published, ''), 1, 10) >= ?", since.isoformat())
    if until is not None:
        filters.add(
            "s.first_published IS NOT NULL AND substr(s.first_published, 1, 10) <= ?", until.isoformat()
        )
    if outlet:
        filters.add(
            "s.id IN (SELECT sa.story_id FROM story_articles sa JOIN articles a ON a.id = sa.article_id "
            "WHERE a.source = ? OR a.wire = ?)",
            outlet,
            outlet,
        )
    if status is not None:
        filters.add(f"s.{status.value} > 0")  # the column name comes from the enum, never from the request
    return filters


@router.get("/stories/{story_id}", response_model=StoryOut)
def get_story(store: StoreDep, story_id: str) -> dict[str, Any]:
    """One story with its facts (status, sources, conflicts) and its timeline."""
    return store.get_story(story_id).to_dict()


@router.get("/stories/{story_id}/facts", response_model=list[FactOut])
def get_facts(store: StoreDep, story_id: str, status: StatusQuery = None) -> list[dict[str, Any]]:
    """The story's facts, optionally only those with one status."""
    facts = store.get_story(story_id).to_dict()["facts"]
    return [fact for fact in facts if status is None or fact["status"] == status.value]


@router.get("/stories/{story_id}/timeline", response_model=list[TimelineEntryOut])
def get_timeline(store: StoreDep, story_id: str) -> list[dict[str, Any]]:
    """The story's dated events in time order."""
    timeline: list[dict[str, Any]] = store.get_story(story_id).to_dict()["timeline"]
    return timeline
