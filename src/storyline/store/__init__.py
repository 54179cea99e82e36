"""The durable store: raw inputs, articles with every revision, and annotations.

``open_store("storyline.db")`` opens (creating) an SQLite file;
``open_store("postgresql://user@host/db")`` a PostgreSQL database. Both share one
schema, one set of queries and the same migrations (see ``migrations.py``).
"""

from __future__ import annotations

from ..errors import E213, OptionError
from .base import Connection, Store, mask_password

POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def open_store(url: str = "storyline.db", *, schema: str | None = None) -> Store:
    """Open the store at ``url``: a file path (SQLite) or a ``postgresql://`` URL.

    ``schema`` (PostgreSQL only) keeps every table in that schema, created if needed,
    so several stores can share one database. Missing migrations are applied.
    """
    return Store(connect(url, schema=schema))


def connect(url: str, *, schema: str | None = None) -> Connection:
    """The backend connection for ``url``, without migrating (``Store`` does that)."""
    if url.startswith(POSTGRES_SCHEMES):
        from .postgres import connect as connect_postgres

        return connect_postgres(url, schema=schema)
    if schema is not None:
        raise OptionError(E213.format(url=mask_password(url)))
    from .sqlite import connect as connect_sqlite

    return connect_sqlite(url)


__all__ = ["Connection", "Store", "connect", "mask_password", "open_store"]
