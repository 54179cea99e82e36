"""The storage logic shared by SQLite and PostgreSQL: one ``Store`` over one ``Connection``.

SQL is written once, with ``?`` placeholders and ``$BLOB``/``$JSON``/``$FLOAT`` type
names in DDL; each backend's ``Connection`` subclass (sqlite.py, postgres.py) adapts
placeholders, types, JSON values, transactions and write locks. Everything else, the
queries included, lives here.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import re
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from string import Template
from types import TracebackType
from typing import Any, ClassVar, NamedTuple
from urllib.parse import urlsplit, urlunsplit

from ..errors import E204, E207, E208, E209, E210, E211, E212, OptionError, StoreError
from ..model import ANNOTATION_TYPES, Article, RawDocument
from .migrations import MIGRATIONS, Migration, migrate, version
from .stories import StoryTables

logger = logging.getLogger(__name__)

Row = tuple[Any, ...]

# Articles fetched per query while streaming: bounds memory, keeps round trips few.
PAGE_SIZE = 200


class Connection:
    """A DB-API connection plus the few things its SQL dialect does differently."""

    # Column types substituted into migration DDL ($BLOB, $JSON, $FLOAT).
    types: ClassVar[dict[str, str]] = {}
    # The driver's exception base classes, turned into StoreError E212.
    errors: ClassVar[tuple[type[BaseException], ...]] = ()

    def __init__(self, raw: Any, *, url: str) -> None:
        self.raw = raw
        self.url = url  # already masked: safe to show

    def adapt(self, sql: str) -> str:
        """The shared ``?``-placeholder SQL in this driver's placeholder style."""
        return sql

    def ddl(self, sql: str) -> str:
        return Template(sql).substitute(self.types)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        with self._translate_errors(sql):
            return self.raw.execute(self.adapt(sql), params)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            with self._translate_errors(sql):
                self.raw.cursor().executemany(self.adapt(sql), rows)

    def transaction(self) -> AbstractContextManager[None]:
        raise NotImplementedError

    def lock(self, key: str) -> None:
        """Serialise writers on ``key`` until the current transaction ends."""

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Statements whose results nobody reads; a client-server backend may send them together."""
        yield

    def to_json(self, value: Any) -> Any:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    def from_json(self, value: Any) -> Any:
        return json.loads(value)

    def close(self) -> None:
        self.raw.close()

    @contextmanager
    def _translate_errors(self, sql: str) -> Iterator[None]:
        try:
            yield
        except self.errors as exc:
            statement = " ".join(sql.split())[:60]
            raise StoreError(E212.format(url=self.url, statement=statement, reason=exc)) from exc


def mask_password(url: str) -> str:
    """``url`` with any password replaced by ``***``, for messages and logs."""
    url = re.sub(r"(password=)[^&\s]*", r"\1***", url)
    parts = urlsplit(url)
    if not parts.password:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


@dataclass(frozen=True, slots=True)
class AnnotationTable:
    """One annotation kind: its table and the dataclass fields copied into queryable columns."""

    name: str
    # (column, dataclass attribute) pairs besides article_id, seq, start, end and data.
    columns: tuple[tuple[str, str], ...]

    @property
    def insert_sql(self) -> str:
        names = ["article_id", "seq", '"start"', '"end"', *(c for c, _ in self.columns), "data"]
        return f"INSERT INTO {self.name} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"

    def row(self, article_id: str, seq: int, annotation: Any, payload: Any) -> Row:
        fields = tuple(getattr(annotation, attr) for _, attr in self.columns)
        return (article_id, seq, annotation.start, annotation.end, *fields, payload)


ANNOTATION_TABLES = (
    AnnotationTable("entities", (("label", "label"), ("canonical", "canonical"))),
    AnnotationTable("quotes", (("kind", "kind"), ("speaker", "speaker"))),
    AnnotationTable("quantities", (("value", "value"), ("unit", "unit"))),
    AnnotationTable("timexes", (("type", "type"), ("value", "value"))),
    AnnotationTable("claims", (("claim_id", "id"), ("attributed_to", "attributed_to"), ("key", "key"))),
)

# Article fields with their own column; the rest of ``to_dict()`` goes to the ``data`` JSON.
ARTICLE_COLUMNS = ("id", "revision", "origin", "source", "url", "published", "title", "wire", "text")
STORED_COLUMNS = (*ARTICLE_COLUMNS, "content_hash", "word_count", "raw_hash", "stored_at", "data")
SELECT_ARTICLE = f"SELECT {', '.join(STORED_COLUMNS)} FROM articles"
INSERT_ARTICLE = (
    f"INSERT INTO articles ({', '.join(STORED_COLUMNS)}) VALUES ({', '.join('?' * len(STORED_COLUMNS))})"
)
# A new revision drops the annotation marker: its annotations must be computed again.
_ASSIGNMENTS = ", ".join(f"{c} = ?" for c in STORED_COLUMNS[1:])
UPDATE_ARTICLE = f"UPDATE articles SET {_ASSIGNMENTS}, annotated_with = NULL WHERE id = ?"
INSERT_REVISION = (
    "INSERT INTO article_revisions (article_id, revision, content_hash, raw_hash, stored_at, data) "
    "VALUES (?, ?, ?, ?, ?, ?)"
)
INSERT_RAW = (
    "INSERT INTO raw_inputs (hash, origin, format, size, stored_at, data) VALUES (?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (hash) DO NOTHING"
)
# Sort keys for iter_articles; each ends with id so keyset paging is exact.
ORDERS = {
    "published": ("COALESCE(published, '')", "id"),
    "stored_at": ("stored_at", "id"),
    "id": ("id",),
}


class Latest(NamedTuple):
    """What add_article needs to know of an article's stored revision."""

    revision: int
    content_hash: str
    raw_hash: str | None


class Store(StoryTables):
    """Articles, their revisions, raw inputs and annotations in one database.

    Open with :func:`storyline.store.open_store`; use as a context manager.
    ``connection`` is public so later modules (stories, facts) can add their own
    tables through new migrations and query them with the same shared SQL.
    """

    def __init__(self, connection: Connection, *, migrations: Sequence[Migration] = MIGRATIONS) -> None:
        self.connection = connection
        try:
            migrate(connection, migrations=migrations)
        except BaseException:
            connection.close()
            raise

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self.connection.close()

    def schema_version(self) -> int:
        """The number of the last migration applied to this database."""
        return version(self.connection)

    # -- writing ---------------------------------------------------------------------------------

    def add_article(self, raw: RawDocument, article: Article) -> str:
        """Store ``raw`` verbatim and ``article`` with its annotations, in one transaction.

        Returns ``"stored"`` (new id), ``"unchanged"`` (same id and content: nothing
        written) or ``"revised"`` (same id, new content: a new revision, the old one
        kept). Sets ``article.raw_hash`` and ``article.revision`` to the stored values.
        """
        # Checked before taking the write lock so re-ingesting writes nothing at all.
        if _same_content(article, self._latest(article.id)):
            return "unchanged"
        article.raw_hash = hashlib.sha256(raw.data).hexdigest()
        with self.connection.transaction():
            self.connection.lock(article.id)
            latest = self._latest(article.id)
            if _same_content(article, latest):  # stored meanwhile by another writer
                return "unchanged"
            return self._write_article(raw, article, latest)

    def save_annotations(self, article: Article, *, pipeline: str | None = None) -> None:
        """Replace every stored annotation of ``article`` with its current ones, atomically.

        ``pipeline`` names the stages that produced them (see :meth:`unannotated_ids`).
        """
        with self.connection.transaction():
            self.connection.lock(article.id)
            latest = self._latest(article.id)
            if latest is None:
                raise StoreError(E204.format(id=article.id))
            if latest.content_hash != article.content_hash:
                raise StoreError(E211.format(id=article.id, revision=latest.revision))
            rows = self._annotation_rows(article)
            with self.connection.batch():
                self._write_annotations(article.id, rows, existing=True)
                self.connection.execute(
                    "UPDATE articles SET annotated_with = ? WHERE id = ?", (pipeline, article.id)
                )

    def unannotated_ids(self, pipeline: str) -> list[str]:
        """Ids of the articles not yet annotated by exactly ``pipeline``, in publication order."""
        rows = self.connection.execute(
            "SELECT id FROM articles WHERE annotated_with IS NULL OR annotated_with <> ? "
            "ORDER BY COALESCE(published, ''), id",
            (pipeline,),
        ).fetchall()
        return [row[0] for row in rows]

    def _write_article(self, raw: RawDocument, article: Article, latest: Latest | None) -> str:
        stored_at = _now()
        article.revision = 1 if latest is None else latest.revision + 1
        # Everything is serialised before the first write, so a bad field writes nothing.
        data = _article_json(article)
        row = self._article_row(article, data, stored_at)
        revision_row = self._revision_row(article, data, stored_at)
        annotation_rows = self._annotation_rows(article)
        if latest is not None:
            self._archive_annotations(article.id, latest.revision)
        with self.connection.batch():
            raw_row = (article.raw_hash, raw.origin, raw.format, len(raw.data), stored_at, raw.data)
            self.connection.execute(INSERT_RAW, raw_row)
            if latest is None:
                self.connection.execute(INSERT_ARTICLE, row)
            else:
                self.connection.execute(UPDATE_ARTICLE, (*row[1:], article.id))
            self.connection.execute(INSERT_REVISION, revision_row)
            # A new id has no annotation rows yet: skip the deletes.
            self._write_annotations(article.id, annotation_rows, existing=latest is not None)
        return "stored" if latest is None else "revised"

    def _article_row(self, article: Article, data: dict[str, Any], stored_at: str) -> Row:
        rest = {k: v for k, v in data.items() if k not in ARTICLE_COLUMNS}
        scalars = tuple(data[c] for c in ARTICLE_COLUMNS)
        extra = (article.content_hash, article.word_count, article.raw_hash, stored_at)
        return (*scalars, *extra, self._json(article.id, rest))

    def _revision_row(self, article: Article, data: dict[str, Any], stored_at: str) -> Row:
        payload = self._json(article.id, data)
        return (article.id, article.revision, article.content_hash, article.raw_hash, stored_at, payload)

    def _archive_annotations(self, article_id: str, revision: int) -> None:
        """Copy the annotations of the revision being superseded into its revision row."""
        data = self.connection.from_json(
            self.connection.execute(
                "SELECT data FROM article_revisions WHERE article_id = ? AND revision = ?",
                (article_id, revision),
            ).fetchone()[0]
        )
        data.update(self._load_annotations([article_id])[article_id])
        self.connection.execute(
            "UPDATE article_revisions SET data = ? WHERE article_id = ? AND revision = ?",
            (self._json(article_id, data), article_id, revision),
        )

    def _annotation_rows(self, article: Article) -> list[list[Row]]:
        """Insert rows per annotation table, in ``ANNOTATION_TABLES`` order."""
        return [self._table_rows(article, table) for table in ANNOTATION_TABLES]

    def _table_rows(self, article: Article, table: AnnotationTable) -> list[Row]:
        rows = []
        for seq, annotation in enumerate(getattr(article, table.name)):
            payload = self._json(article.id, _fields(annotation), where=f"{table.name}[{seq}]")
            rows.append(table.row(article.id, seq, annotation, payload))
        return rows

    def _write_annotations(self, article_id: str, rows: list[list[Row]], *, existing: bool) -> None:
        for table, table_rows in zip(ANNOTATION_TABLES, rows, strict=True):
            if existing:
                self.connection.execute(f"DELETE FROM {table.name} WHERE article_id = ?", (article_id,))
            self.connection.executemany(table.insert_sql, table_rows)

    def _json(self, article_id: str, value: dict[str, Any], *, where: str = "field") -> Any:
        try:
            return self.connection.to_json(value)
        except (TypeError, ValueError) as exc:
            field = next((k for k, v in value.items() if not _serialisable(v)), "?")
            raise StoreError(E210.format(id=article_id, field=f"{where} {field!r}", reason=exc)) from exc

    # -- reading ---------------------------------------------------------------------------------

    def get_article(self, article_id: str, *, revision: int | None = None) -> Article:
        """The latest revision of ``article_id`` (or the given one), annotations loaded."""
        row = self.connection.execute(f"{SELECT_ARTICLE} WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            raise StoreError(E204.format(id=article_id))
        if revision is None or revision == row[1]:
            return self._articles_from_rows([row])[0]
        return self._old_revision(article_id, revision)

    def iter_articles(self, *, order: str = "published") -> Iterator[Article]:
        """Every article's latest revision, streamed page by page in ``order``."""
        if order not in ORDERS:
            raise OptionError(E207.format(choices=", ".join(ORDERS), value=order))
        keys = ORDERS[order]
        after: tuple[Any, ...] | None = None
        while rows := self._page(keys, after):
            yield from self._articles_from_rows([row[len(keys) :] for row in rows])
            after = tuple(rows[-1][: len(keys)])

    def count_articles(self) -> int:
        return int(self.connection.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    def article_ids(self) -> list[str]:
        """Every article id in publication order, without loading the articles."""
        rows = self.connection.execute("SELECT id FROM articles ORDER BY COALESCE(published, ''), id")
        return [row[0] for row in rows.fetchall()]

    def revisions(self, article_id: str) -> list[dict[str, Any]]:
        """Every stored revision of ``article_id``, oldest first: revision, content_hash, stored_at."""
        rows = self.connection.execute(
            "SELECT revision, content_hash, stored_at FROM article_revisions WHERE article_id = ? "
            "ORDER BY revision",
            (article_id,),
        ).fetchall()
        if not rows:
            raise StoreError(E204.format(id=article_id))
        return [{"revision": r[0], "content_hash": r[1], "stored_at": r[2]} for r in rows]

    def get_raw(self, raw_hash: str) -> bytes:
        """The verbatim input whose sha256 is ``raw_hash``."""
        row = self.connection.execute("SELECT data FROM raw_inputs WHERE hash = ?", (raw_hash,)).fetchone()
        if row is None:
            raise StoreError(E209.format(hash=raw_hash))
        return bytes(row[0])

    def _latest(self, article_id: str) -> Latest | None:
        row = self.connection.execute(
            "SELECT revision, content_hash, raw_hash FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        return None if row is None else Latest(int(row[0]), str(row[1]), row[2])

    def _page(self, keys: tuple[str, ...], after: tuple[Any, ...] | None) -> list[Any]:
        columns = ", ".join(keys)
        where = "" if after is None else f"WHERE ({columns}) > ({', '.join('?' * len(keys))}) "
        sql = f"SELECT {columns}, {', '.join(STORED_COLUMNS)} FROM articles {where}ORDER BY {columns} LIMIT ?"
        return list(self.connection.execute(sql, (*(after or ()), PAGE_SIZE)).fetchall())

    def _articles_from_rows(self, rows: Sequence[Sequence[Any]]) -> list[Article]:
        annotations = self._load_annotations([row[0] for row in rows])
        return [self._article_from_row(row, annotations[row[0]]) for row in rows]

    def _article_from_row(self, row: Sequence[Any], annotations: dict[str, list[dict[str, Any]]]) -> Article:
        values = dict(zip(STORED_COLUMNS, row, strict=True))
        data = {**self.connection.from_json(values.pop("data")), **values, **annotations}
        return Article.from_dict(data)

    def _old_revision(self, article_id: str, revision: int) -> Article:
        row = self.connection.execute(
            "SELECT data, raw_hash FROM article_revisions WHERE article_id = ? AND revision = ?",
            (article_id, revision),
        ).fetchone()
        if row is None:
            known = [r["revision"] for r in self.revisions(article_id)]
            raise StoreError(E208.format(id=article_id, revision=revision, known=known))
        return Article.from_dict({**self.connection.from_json(row[0]), "raw_hash": row[1]})

    def _load_annotations(self, article_ids: Sequence[str]) -> dict[str, dict[str, list[dict[str, Any]]]]:
        """Annotation payloads per article id and kind, in stored order."""
        loaded: dict[str, dict[str, list[dict[str, Any]]]] = {
            i: {t.name: [] for t in ANNOTATION_TABLES} for i in article_ids
        }
        marks = ", ".join("?" * len(article_ids))
        for table in ANNOTATION_TABLES:
            rows = self.connection.execute(
                f"SELECT article_id, data FROM {table.name} WHERE article_id IN ({marks}) "
                "ORDER BY article_id, seq",
                tuple(article_ids),
            )
            for article_id, data in rows:
                loaded[article_id][table.name].append(self.connection.from_json(data))
        return loaded


def _same_content(article: Article, latest: Latest | None) -> bool:
    """True when ``latest`` holds ``article``'s content; then point ``article`` at the stored revision."""
    if latest is None or latest.content_hash != article.content_hash:
        return False
    article.revision, article.raw_hash = latest.revision, latest.raw_hash
    return True


def _article_json(article: Article) -> dict[str, Any]:
    """``to_dict()`` without the annotations, which live in their own tables."""
    empty: dict[str, Any] = {name: [] for name in ANNOTATION_TYPES}
    data = dataclasses.replace(article, **empty).to_dict()
    for name in ANNOTATION_TYPES:
        data.pop(name)
    return data


def _fields(annotation: Any) -> dict[str, Any]:
    # Shallow, unlike dataclasses.asdict: annotation fields are scalars or lists of
    # scalars, serialised at once, so the deep copy asdict makes is wasted work.
    return {name: getattr(annotation, name) for name in annotation.__dataclass_fields__}


def _serialisable(value: Any) -> bool:
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return False
    return True


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")
