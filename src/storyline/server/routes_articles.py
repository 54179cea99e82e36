"""Read endpoints over articles and their annotations: articles, raw inputs, quotes, entities, search."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response

from ..errors import E209, StoreError
from ..store import Store
from . import search as fulltext
from .auth import require_read
from .deps import get_store
from .paging import Filters, Paging, encode_cursor, offset_paging, paging
from .schemas import ArticleOut, ArticleSummary, EntityCount, Page, QuoteItem, SearchHit, error_responses

router = APIRouter(responses=error_responses(400, 401, 404, 422, 500), dependencies=[Depends(require_read)])

StoreDep = Annotated[Store, Depends(get_store)]
PagingDep = Annotated[Paging, Depends(paging)]
OffsetDep = Annotated[Paging, Depends(offset_paging)]
Since = Annotated[date | None, Query(description="Published on or after this day (YYYY-MM-DD).")]
Until = Annotated[date | None, Query(description="Published on or before this day (YYYY-MM-DD).")]
Text = Annotated[str | None, Query(max_length=500)]

SUMMARY_COLUMNS = ("id", "origin", "source", "url", "published", "title", "wire", "word_count")
ARTICLE_KEY = "COALESCE(a.published, '')"
DAY = "substr(COALESCE(a.published, ''), 1, 10)"


@router.get("/articles", response_model=Page[ArticleSummary], tags=["articles"])
def list_articles(
    store: StoreDep,
    page: PagingDep,
    since: Since = None,
    until: Until = None,
    outlet: Text = None,
    entity: Annotated[str | None, Query(max_length=500, description="Canonical entity name.")] = None,
    q: Annotated[str | None, Query(max_length=500, description="Full-text query.")] = None,
) -> dict[str, Any]:
    """Articles in publication order (ties by id), filtered; page with ``cursor`` or ``offset``."""
    filters = article_filters(store, since=since, until=until, outlet=outlet, entity=entity, q=q)
    total = _count(store, "articles a", filters)
    if page.after is not None:
        filters.add(f"({ARTICLE_KEY}, a.id) > (?, ?)", *page.after)
    columns = ", ".join(f"a.{c}" for c in SUMMARY_COLUMNS)
    rows = store.connection.execute(
        f"SELECT {columns} FROM articles a {filters.where} ORDER BY {ARTICLE_KEY}, a.id LIMIT ? OFFSET ?",
        (*filters.params, page.limit + 1, page.offset),
    ).fetchall()
    items = [dict(zip(SUMMARY_COLUMNS, row, strict=True)) for row in rows[: page.limit]]
    last = items[-1] if len(rows) > page.limit else None
    cursor = encode_cursor((last["published"] or "", last["id"])) if last else None
    return {"items": items, "total": total, "limit": page.limit, "offset": page.offset, "next_cursor": cursor}


def article_filters(
    store: Store,
    *,
    since: date | None,
    until: date | None,
    outlet: str | None,
    entity: str | None,
    q: str | None,
) -> Filters:
    filters = Filters()
    if since is not None:
        filters.add(f"{DAY} >= ?", since.isoformat())
    if until is not None:
        filters.add(f"{DAY} <> '' AND {DAY} <= ?", until.isoformat())
    if outlet:
        filters.add("(a.source = ? OR a.wire = ?)", outlet, outlet)
    if entity:
        filters.add("a.id IN (SELECT article_id FROM entities WHERE canonical = ?)", entity)
    if q is not None:
        filters.add(fulltext.match_clause(store), fulltext.prepare(store, q))
    return filters


@router.get("/articles/{article_id}", response_model=ArticleOut, tags=["articles"])
def get_article(store: StoreDep, article_id: str) -> dict[str, Any]:
    """One article's latest revision with every annotation and the story it belongs to."""
    article = store.get_article(article_id)
    data = article.to_dict()
    data.update(word_count=article.word_count, raw_hash=article.raw_hash)
    data["story"] = store.story_ids_of([article_id]).get(article_id)
    return data


@router.get(
    "/articles/{article_id}/raw",
    response_class=Response,
    tags=["articles"],
    responses={200: {"content": {"application/octet-stream": {}}, "description": "The input as read."}},
)
def get_raw(store: StoreDep, article_id: str) -> Response:
    """The verbatim input the article's latest revision was read from."""
    article = store.get_article(article_id)
    if article.raw_hash is None:
        raise StoreError(E209.format(hash=None))
    return Response(store.get_raw(article.raw_hash), media_type="application/octet-stream")


@router.get("/quotes", response_model=Page[QuoteItem], tags=["annotations"])
def list_quotes(
    store: StoreDep,
    page: OffsetDep,
    speaker: Annotated[str | None, Query(max_length=500, description="Canonical speaker (any case).")] = None,
    article: Text = None,
) -> dict[str, Any]:
    """Quotes in article publication order, then text order."""
    filters = Filters()
    if speaker:
        filters.add("LOWER(q.speaker) = LOWER(?)", speaker)
    if article:
        filters.add("q.article_id = ?", article)
    source = "quotes q JOIN articles a ON a.id = q.article_id"
    rows = store.connection.execute(
        f"SELECT q.article_id, a.published, a.source, q.data FROM {source} {filters.where} "
        f"ORDER BY {ARTICLE_KEY}, q.article_id, q.seq LIMIT ? OFFSET ?",
        (*filters.params, page.limit, page.offset),
    ).fetchall()
    items = [
        {**store.connection.from_json(data), "article": article_id, "published": published, "source": outlet}
        for article_id, published, outlet, data in rows
    ]
    return _page(items, _count(store, source, filters), page)


@router.get("/entities", response_model=Page[EntityCount], tags=["annotations"])
def list_entities(
    store: StoreDep,
    page: OffsetDep,
    label: Annotated[str | None, Query(max_length=50, description="PERSON, ORG, GPE, ...")] = None,
    q: Annotated[
        str | None, Query(max_length=500, description="Part of the canonical name (any case).")
    ] = None,
) -> dict[str, Any]:
    """Canonical entity names with their mention and article counts, most mentioned first."""
    filters = Filters(["canonical IS NOT NULL"])
    if label:
        filters.add("label = ?", label)
    if q:
        filters.add("LOWER(canonical) LIKE ? ESCAPE '\\'", f"%{_escape_like(q.lower())}%")
    grouped = f"SELECT canonical, label FROM entities {filters.where} GROUP BY canonical, label"
    rows = store.connection.execute(
        "SELECT canonical, label, COUNT(*) AS mentions, COUNT(DISTINCT article_id) FROM entities "
        f"{filters.where} GROUP BY canonical, label "
        "ORDER BY mentions DESC, canonical, label LIMIT ? OFFSET ?",
        (*filters.params, page.limit, page.offset),
    ).fetchall()
    names = ("canonical", "label", "mentions", "articles")
    items = [dict(zip(names, row, strict=True)) for row in rows]
    total = int(store.connection.execute(f"SELECT COUNT(*) FROM ({grouped}) g", filters.params).fetchone()[0])
    return _page(items, total, page)


@router.get("/search", response_model=Page[SearchHit], tags=["search"])
def search_articles(
    store: StoreDep,
    page: OffsetDep,
    q: Annotated[str, Query(min_length=1, max_length=500, description="Words to find (all required).")],
) -> dict[str, Any]:
    """Full-text search over article titles and text, best match first, with snippets."""
    items = fulltext.search(store, q, limit=page.limit, offset=page.offset)
    return _page(items, fulltext.count(store, q), page)


def _count(store: Store, source: str, filters: Filters) -> int:
    sql = f"SELECT COUNT(*) FROM {source} {filters.where}"
    return int(store.connection.execute(sql, filters.params).fetchone()[0])


def _page(items: list[dict[str, Any]], total: int, page: Paging) -> dict[str, Any]:
    return {"items": items, "total": total, "limit": page.limit, "offset": page.offset, "next_cursor": None}


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
