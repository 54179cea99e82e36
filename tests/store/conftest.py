"""The ``store`` fixture: every storage test runs on SQLite and on PostgreSQL.

PostgreSQL tests work in a schema of their own (``st_<random>``), dropped afterwards,
because other test runs may use the same database at the same time.
"""

from __future__ import annotations

import functools
import secrets
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from storyline.store import Store, connect, mask_password
from storyline.store.migrations import MIGRATIONS, Migration
from tests.conftest import POSTGRES_URL


@dataclass(frozen=True)
class Location:
    """Where one test's database lives; ``open`` can be called again to reopen it."""

    backend: str
    url: str
    schema: str | None = None

    def open(self, *, migrations: Sequence[Migration] = MIGRATIONS) -> Store:
        return Store(connect(self.url, schema=self.schema), migrations=migrations)


@functools.cache
def postgres_unreachable() -> str | None:
    """Why PostgreSQL cannot be used for tests, or None when it can."""
    try:
        import psycopg
    except ImportError as exc:
        return f"psycopg not installed ({exc})"
    try:
        psycopg.connect(POSTGRES_URL, connect_timeout=3).close()
    except psycopg.Error as exc:
        return str(exc).strip().splitlines()[0]
    return None


def drop_schema(schema: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Location]:
    if request.param == "sqlite":
        yield Location("sqlite", str(tmp_path / "test.db"))
        return
    reason = postgres_unreachable()
    if reason is not None:
        pytest.skip(f"PostgreSQL not reachable at {mask_password(POSTGRES_URL)}: {reason}")
    schema = f"st_{secrets.token_hex(6)}"
    try:
        yield Location("postgres", POSTGRES_URL, schema)
    finally:
        drop_schema(schema)


@pytest.fixture
def store(location: Location) -> Iterator[Store]:
    with location.open() as opened:
        yield opened
