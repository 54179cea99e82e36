"""Open stores kept between requests: opening a PostgreSQL connection (and checking its migrations)
costs tens of milliseconds, more than most reads.

A checkout pool, not one store per thread: FastAPI may run a request's dependency and its endpoint
on different worker threads, so a store belongs to one request at a time, whatever thread serves it.
"""

from __future__ import annotations

import contextlib
import threading

from ..store import Store, open_store

# Idle stores kept open; more may be open at once under load, the extra ones are closed on release.
MAX_IDLE = 8


class StorePool:
    def __init__(self, db: str, *, max_idle: int = MAX_IDLE) -> None:
        self.db = db
        self.max_idle = max_idle
        self._idle: list[Store] = []
        self._lock = threading.Lock()
        self._closed = False

    def acquire(self) -> Store:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        return open_store(self.db)

    def release(self, store: Store) -> None:
        """Give back a store whose request ended normally."""
        with self._lock:
            if not self._closed and len(self._idle) < self.max_idle:
                self._idle.append(store)
                return
        store.close()

    def discard(self, store: Store) -> None:
        """Close a store whose request failed unexpectedly: its connection may be broken."""
        with contextlib.suppress(Exception):  # already broken: nothing more to release
            store.close()

    def close(self) -> None:
        with self._lock:
            idle, self._idle, self._closed = self._idle, [], True
        for store in idle:
            store.close()

    @property
    def idle(self) -> int:
        return len(self._idle)
