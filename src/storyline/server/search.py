"""Full-text search over article titles and text: SQLite FTS5 or PostgreSQL tsvector, one interface.

The index comes from migration m005 (``storyline.store.migrations``); this module holds the two
dialects' query SQL. Both take the user's words (punctuation and operators dropped) and match
articles containing all of them, stemmed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..errors import E604, ApiError
from ..store import Store
from ..store.migrations import SEARCH_TSVECTOR
from ..store.sqlite import SQLiteConnection

WORD = re.compile(r"\w+")
# Marks around matched words in snippets.
MARK_OPEN, MARK_CLOSE = "«", "»"


@dataclass(frozen=True, slots=True)
class Dialect:
    # ``{match}`` filters ``articles a``; the query's single parameter is the prepared search string.
    match: str
    hits: str


SQLITE = Dialect(
    match="a.rowid IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)",
    hits=(
        "SELECT a.id, a.title, a.published, a.source, "
        f"snippet(articles_fts, 1, '{MARK_OPEN}', '{MARK_CLOSE}', '…', 24), -bm25(articles_fts) AS score "
        "FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid "
        "WHERE articles_fts MATCH ? ORDER BY score DESC, a.id LIMIT ? OFFSET ?"
    ),
)
POSTGRES = Dialect(
    # Unqualified columns, exactly as in the index expression, so PostgreSQL uses the index.
    match=f"{SEARCH_TSVECTOR} @@ plainto_tsquery('english', ?)",
    hits=(
        "SELECT a.id, a.title, a.published, a.source, "
        f"ts_headline('english', a.text, query, 'MaxWords=35, MinWords=15, StartSel={MARK_OPEN}, "
        f"StopSel={MARK_CLOSE}'), ts_rank({SEARCH_TSVECTOR}, query) AS score "
        "FROM articles a, plainto_tsquery('english', ?) AS query "
        f"WHERE {SEARCH_TSVECTOR} @@ query ORDER BY score DESC, a.id LIMIT ? OFFSET ?"
    ),
)


def dialect(store: Store) -> Dialect:
    return SQLITE if isinstance(store.connection, SQLiteConnection) else POSTGRES


def prepare(store: Store, query: str) -> str:
    """The search string for ``store``'s dialect: every word of ``query`` required; E604 when none."""
    words = WORD.findall(query)
    if not words:
        raise ApiError(E604.format(value=query))
    if dialect(store) is SQLITE:
        return " ".join(f'"{word}"' for word in words)  # quoted: FTS5 operators in user text stay words
    return " ".join(words)


def match_clause(store: Store) -> str:
    """A WHERE condition on ``articles a`` taking the prepared search string as its parameter."""
    return dialect(store).match


def count(store: Store, query: str) -> int:
    sql = f"SELECT COUNT(*) FROM articles a WHERE {match_clause(store)}"
    return int(store.connection.execute(sql, (prepare(store, query),)).fetchone()[0])


def search(store: Store, query: str, *, limit: int, offset: int) -> list[dict[str, Any]]:
    """Articles matching ``query``, best first (ties by id), with a snippet around the matches."""
    rows = store.connection.execute(dialect(store).hits, (prepare(store, query), limit, offset)).fetchall()
    names = ("id", "title", "published", "source", "snippet", "score")
    return [dict(zip(names, row, strict=True)) for row in rows]
