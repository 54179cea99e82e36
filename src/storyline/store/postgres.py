"""PostgreSQL backend (psycopg 3): the same schema and queries as SQLite, adapted here."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, ClassVar

from ..errors import E201, E205, StoreError
from .base import Connection, mask_password

try:
    import psycopg
    from psycopg import sql as pgsql
except ImportError:  # optional dependency: only PostgreSQL URLs need it
    psycopg = None  # type: ignore[assignment]

# Seconds to wait for the server before reporting it unreachable.
CONNECT_TIMEOUT = 10


class PostgresConnection(Connection):
    types: ClassVar[dict[str, str]] = {"BLOB": "BYTEA", "JSON": "JSONB", "FLOAT": "DOUBLE PRECISION"}
    errors = (psycopg.Error,) if psycopg is not None else ()

    def adapt(self, sql: str) -> str:
        return _adapt(sql)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self._translate_errors("COMMIT"), self.raw.transaction():
            yield

    @contextmanager
    def batch(self) -> Iterator[None]:
        # Pipeline mode: the statements go in one round trip instead of one each.
        with self._translate_errors("pipeline"), self.raw.pipeline():
            yield

    def lock(self, key: str) -> None:
        # A transaction-scoped advisory lock: two writers of one article id (or two migrators)
        # take turns, as BEGIN IMMEDIATE makes them do on SQLite. Scoped by schema.
        self.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended(current_schema() || ':' || ?, 0))", (key,)
        )

    def from_json(self, value: Any) -> Any:
        # psycopg already parses jsonb; the shared code writes JSON as text, which the server casts.
        return value


@functools.lru_cache(maxsize=512)
def _adapt(sql: str) -> str:
    # psycopg's placeholder is %s, so a literal % (LIKE 'x%') must be doubled.
    # Shared SQL never holds a literal '?' (pass such values as parameters).
    return sql.replace("%", "%%").replace("?", "%s")


def connect(url: str, *, schema: str | None = None) -> PostgresConnection:
    """Connect to ``url``; with ``schema``, create it if needed and work inside it."""
    if psycopg is None:
        raise StoreError(E205)
    masked = mask_password(url)
    try:
        raw = psycopg.connect(url, autocommit=True, connect_timeout=CONNECT_TIMEOUT)
    except psycopg.Error as exc:
        raise StoreError(E201.format(url=masked, reason=_first_line(exc))) from exc
    if schema is not None:
        try:
            _use_schema(raw, schema)
        except psycopg.Error as exc:
            raw.close()
            raise StoreError(E201.format(url=masked, reason=_first_line(exc))) from exc
    return PostgresConnection(raw, url=masked if schema is None else f"{masked} (schema {schema})")


def _use_schema(raw: Any, schema: str) -> None:
    name = pgsql.Identifier(schema)
    with raw.transaction():
        # CREATE SCHEMA IF NOT EXISTS is not safe against a concurrent create: take turns.
        raw.execute("SELECT pg_advisory_xact_lock(hashtextextended('storyline.schema:' || %s, 0))", [schema])
        raw.execute(pgsql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(name))
    raw.execute(pgsql.SQL("SET search_path TO {}").format(name))


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
