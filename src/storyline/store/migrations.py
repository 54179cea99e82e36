"""Numbered schema migrations, applied in order, each in its own transaction.

A migration is a function ``mNNN_description(conn)`` appended to ``MIGRATIONS``;
never edit one that has shipped, add the next. Opening a database applies the
missing ones and records each in the ``migrations`` table (number, name,
applied_at). DDL is written once for both backends with ``$BLOB``, ``$JSON`` and
``$FLOAT`` standing for the dialect's types; ``start``/``end`` are quoted because
``END`` is an SQL keyword.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from ..errors import E202, E203, E214, StoreError

if TYPE_CHECKING:  # base imports this module at run time
    from .base import Connection

logger = logging.getLogger(__name__)

Migration = Callable[["Connection"], None]

MIGRATIONS_TABLE = """
CREATE TABLE IF NOT EXISTS migrations (
    number INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
)
"""

# Articles keep their body in a plain ``text`` column of a rowid table, so a later
# migration can add full-text search without copying: an SQLite FTS5 table with
# ``content='articles', content_rowid='rowid'`` or a PostgreSQL GIN index on
# ``to_tsvector('english', text)``.
INITIAL = (
    """CREATE TABLE raw_inputs (
        hash TEXT PRIMARY KEY,
        origin TEXT NOT NULL,
        format TEXT NOT NULL,
        size INTEGER NOT NULL,
        stored_at TEXT NOT NULL,
        data $BLOB NOT NULL
    )""",
    """CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        revision INTEGER NOT NULL,
        origin TEXT NOT NULL,
        source TEXT,
        url TEXT,
        published TEXT,
        title TEXT,
        wire TEXT,
        text TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        word_count INTEGER NOT NULL,
        raw_hash TEXT REFERENCES raw_inputs (hash),
        stored_at TEXT NOT NULL,
        data $JSON NOT NULL
    )""",
    "CREATE INDEX articles_published ON articles (COALESCE(published, ''), id)",
    "CREATE INDEX articles_stored_at ON articles (stored_at, id)",
    "CREATE INDEX articles_source ON articles (source)",
    "CREATE INDEX articles_url ON articles (url)",
    "CREATE INDEX articles_content_hash ON articles (content_hash)",
    """CREATE TABLE article_revisions (
        article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        revision INTEGER NOT NULL,
        content_hash TEXT NOT NULL,
        raw_hash TEXT REFERENCES raw_inputs (hash),
        stored_at TEXT NOT NULL,
        data $JSON NOT NULL,
        PRIMARY KEY (article_id, revision)
    )""",
    *(
        f"""CREATE TABLE {name} (
        article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        "start" INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        {columns},
        data $JSON NOT NULL,
        PRIMARY KEY (article_id, seq)
    )"""
        for name, columns in (
            ("entities", "label TEXT NOT NULL, canonical TEXT"),
            ("quotes", "kind TEXT NOT NULL, speaker TEXT"),
            ("quantities", "value $FLOAT, unit TEXT"),
            ("timexes", "type TEXT NOT NULL, value TEXT"),
            ("claims", "claim_id TEXT NOT NULL, attributed_to TEXT, key TEXT"),
        )
    ),
    "CREATE INDEX entities_canonical ON entities (canonical)",
    "CREATE INDEX entities_label ON entities (label)",
    "CREATE INDEX quotes_speaker ON quotes (speaker)",
    "CREATE INDEX quantities_unit ON quantities (unit)",
    "CREATE INDEX timexes_value ON timexes (value)",
    "CREATE INDEX claims_key ON claims (key)",
    "CREATE INDEX claims_claim_id ON claims (claim_id)",
)


def m001_initial(conn: Connection) -> None:
    """Raw inputs, articles (latest revision), every revision, and one table per annotation kind."""
    for statement in INITIAL:
        conn.execute(conn.ddl(statement))


def m002_annotation_marker(conn: Connection) -> None:
    """Which NLP pipeline last annotated each article, so reruns only do what is missing."""
    conn.execute("ALTER TABLE articles ADD COLUMN annotated_with TEXT")
    conn.execute("CREATE INDEX articles_annotated_with ON articles (annotated_with)")


STORIES = (
    """CREATE TABLE stories (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        first_published TEXT,
        last_published TEXT,
        articles INTEGER NOT NULL,
        outlets INTEGER NOT NULL,
        corroborated INTEGER NOT NULL,
        single_source INTEGER NOT NULL,
        conflicting INTEGER NOT NULL,
        updated_at TEXT NOT NULL,
        data $JSON NOT NULL
    )""",
    "CREATE INDEX stories_last_published ON stories (COALESCE(last_published, ''), id)",
    """CREATE TABLE story_articles (
        article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
        story_id TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE
    )""",
    "CREATE INDEX story_articles_story ON story_articles (story_id)",
    """CREATE TABLE story_state (
        name TEXT PRIMARY KEY,
        updated_at TEXT NOT NULL,
        data $JSON NOT NULL
    )""",
)


def m003_stories(conn: Connection) -> None:
    """Stories with their facts and timeline, article membership, and the clustering/syndication state."""
    for statement in STORIES:
        conn.execute(conn.ddl(statement))


PARTITIONS = """CREATE TABLE partitions (
        path TEXT NOT NULL,
        pipeline TEXT NOT NULL,
        size INTEGER NOT NULL,
        mtime $FLOAT NOT NULL,
        head_sha256 TEXT NOT NULL,
        finished_at TEXT NOT NULL,
        data $JSON NOT NULL,
        PRIMARY KEY (path, pipeline)
    )"""


def m004_partitions(conn: Connection) -> None:
    """Input partitions (files) fully ingested and annotated, so a restarted engine run skips them."""
    conn.execute(conn.ddl(PARTITIONS))


# Full-text search over article titles and text. SQLite: an FTS5 table reading its content from
# ``articles`` (no copy), kept in sync by triggers. PostgreSQL: a GIN index on the same tsvector
# expression the search query uses (storyline.server.search), so the query can use it.
SEARCH_SQLITE = (
    "CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', content_rowid='rowid', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN "
    "INSERT INTO articles_fts (rowid, title, text) VALUES (new.rowid, new.title, new.text); END",
    "CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN "
    "INSERT INTO articles_fts (articles_fts, rowid, title, text) "
    "VALUES ('delete', old.rowid, old.title, old.text); END",
    "CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN "
    "INSERT INTO articles_fts (articles_fts, rowid, title, text) "
    "VALUES ('delete', old.rowid, old.title, old.text); "
    "INSERT INTO articles_fts (rowid, title, text) VALUES (new.rowid, new.title, new.text); END",
    "INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')",
)
SEARCH_TSVECTOR = "to_tsvector('english', COALESCE(title, '') || ' ' || text)"
SEARCH_POSTGRES = (f"CREATE INDEX articles_search ON articles USING GIN (({SEARCH_TSVECTOR}))",)


def m005_search(conn: Connection) -> None:
    """Full-text search over article titles and text (FTS5 on SQLite, a tsvector GIN index on PostgreSQL)."""
    from .sqlite import SQLiteConnection  # imported here: sqlite imports base, which imports this module

    for statement in SEARCH_SQLITE if isinstance(conn, SQLiteConnection) else SEARCH_POSTGRES:
        conn.execute(statement)


def m006_api_tokens(conn: Connection) -> None:
    """Hashed bearer tokens for the HTTP API (``storyline token create``)."""
    conn.execute("CREATE TABLE api_tokens (hash TEXT PRIMARY KEY, name TEXT, created_at TEXT NOT NULL)")


# The syndication index forgets articles older than its time window: each one's final origin is kept in
# ``article_origins`` (so a story holding it can still be rebuilt), and the index's own state is kept
# in pieces in ``story_state_items`` (one row per article and origin group, only changed rows written),
# beside its small header in ``story_state``, so no single value grows with the window.
SYNDICATION_RECORDS = (
    """CREATE TABLE article_origins (
        article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
        group_id TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        data $JSON NOT NULL
    )""",
    "CREATE INDEX article_origins_group ON article_origins (group_id)",
    """CREATE TABLE story_state_items (
        name TEXT NOT NULL,
        key TEXT NOT NULL,
        data $JSON NOT NULL,
        PRIMARY KEY (name, key)
    )""",
)


def m007_syndication_records(conn: Connection) -> None:
    """Final origins of articles that left the syndication index, and story state kept in pieces."""
    for statement in SYNDICATION_RECORDS:
        conn.execute(conn.ddl(statement))


MIGRATIONS: tuple[Migration, ...] = (
    m001_initial,
    m002_annotation_marker,
    m003_stories,
    m004_partitions,
    m005_search,
    m006_api_tokens,
    m007_syndication_records,
)


def migrate(conn: Connection, *, migrations: Sequence[Migration] = MIGRATIONS) -> int:
    """Apply the migrations ``conn``'s database lacks; return its schema version."""
    names = [_name(number, fn) for number, fn in enumerate(migrations, start=1)]
    with conn.transaction():
        conn.lock("storyline.migrations")
        conn.execute(MIGRATIONS_TABLE)
    found = version(conn)
    if found > len(migrations):
        raise StoreError(E202.format(url=conn.url, found=found, supported=len(migrations)))
    for number, (fn, name) in enumerate(zip(migrations, names, strict=True), start=1):
        if number > found:
            _apply(conn, number, name, fn)
    return len(migrations)


def version(conn: Connection) -> int:
    """The highest migration number recorded (0 for a new database)."""
    return int(conn.execute("SELECT COALESCE(MAX(number), 0) FROM migrations").fetchone()[0])


def _apply(conn: Connection, number: int, name: str, fn: Migration) -> None:
    try:
        with conn.transaction():
            conn.lock("storyline.migrations")
            # Another process may have applied it while this one waited for the lock.
            if conn.execute("SELECT 1 FROM migrations WHERE number = ?", (number,)).fetchone():
                return
            fn(conn)
            conn.execute(
                "INSERT INTO migrations (number, name, applied_at) VALUES (?, ?, ?)",
                (number, name, datetime.now(UTC).isoformat(timespec="seconds")),
            )
    except Exception as exc:
        raise StoreError(E203.format(number=number, name=name, reason=exc)) from exc
    logger.info("applied migration %03d %s to %s", number, name, conn.url)


def _name(number: int, fn: Migration) -> str:
    match = re.fullmatch(r"m(\d{3})_(\w+)", getattr(fn, "__name__", ""))
    if match is None or int(match.group(1)) != number:
        raise StoreError(E214.format(name=getattr(fn, "__name__", fn), number=number))
    return match.group(2)
