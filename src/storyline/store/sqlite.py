"""SQLite backend: one file, WAL journal, foreign keys on, waits for a busy writer."""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import ClassVar

from ..errors import E201, StoreError
from .base import Connection

# Milliseconds a writer waits for another process's write lock before giving up.
BUSY_TIMEOUT_MS = 30_000
PRAGMAS = (
    f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}",
    "PRAGMA foreign_keys = ON",
    # Safe with WAL: a killed process loses nothing committed; only a power cut may lose the last commits.
    "PRAGMA synchronous = NORMAL",
)


class SQLiteConnection(Connection):
    types: ClassVar[dict[str, str]] = {"BLOB": "BLOB", "JSON": "TEXT", "FLOAT": "REAL"}
    errors = (sqlite3.Error,)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        # IMMEDIATE takes the write lock at once, so read-then-write needs no further locking.
        self.execute("BEGIN IMMEDIATE")
        try:
            yield
            self.execute("COMMIT")
        except BaseException:
            if self.raw.in_transaction:
                self.raw.rollback()
            raise

    def close(self) -> None:
        if self.raw.in_transaction:
            self.raw.rollback()
        self.raw.close()


def connect(path: str) -> SQLiteConnection:
    """Open (creating if needed) the SQLite database at ``path``; E201 if it cannot be used."""
    path = os.path.expanduser(path)
    try:
        # A store may be opened in one thread and used in another (the HTTP API opens one per request in
        # a worker thread); it is never used by two threads at once, so the same-thread check is off.
        raw = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as exc:
        raise StoreError(E201.format(url=path, reason=exc)) from exc
    try:
        for pragma in PRAGMAS:
            raw.execute(pragma)
        _use_wal(raw)
    except sqlite3.Error as exc:
        raw.close()
        raise StoreError(E201.format(url=path, reason=exc)) from exc
    return SQLiteConnection(raw, url=path)


def _use_wal(raw: sqlite3.Connection) -> None:
    """Switch to WAL. Two processes creating the same new database at once may both try; the switch
    answers "database is locked" at once instead of waiting on the busy timeout, so retry until then."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            raw.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)
