"""The store pool: a store serves one request at a time and is reused by the next."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from storyline.server import create_app, ui
from storyline.server.pool import StorePool


def test_a_released_store_is_reused_and_a_held_one_is_not_shared(seeded_db: Path) -> None:
    pool = StorePool(str(seeded_db), max_idle=1)
    first = pool.acquire()
    second = pool.acquire()  # the first is still in use: a store of its own
    assert second is not first
    pool.release(first)
    pool.release(second)  # beyond max_idle: closed, not kept
    assert pool.idle == 1
    assert pool.acquire() is first
    pool.close()


def test_a_discarded_store_is_closed_and_never_handed_out_again(seeded_db: Path) -> None:
    pool = StorePool(str(seeded_db))
    store = pool.acquire()
    pool.discard(store)
    again = pool.acquire()
    assert again is not store
    assert again.count_articles() == 5
    pool.close()


def test_concurrent_requests_get_their_own_stores(seeded_db: Path) -> None:
    app = create_app(db=str(seeded_db))
    with TestClient(app) as client:

        def get(path: str) -> int:
            return client.get(path).status_code

        paths = ["/api/v1/stories", "/api/v1/articles", "/api/v1/search?q=Melania", "/ui/"] * 10
        with ThreadPoolExecutor(8) as threads:
            codes = list(threads.map(get, paths))
        assert codes == [200] * len(paths)
        assert client.get("/api/v1/stories/nope").status_code == 404
        assert 1 <= app.state.stores.idle <= 8
    assert app.state.stores.idle == 0  # closed at shutdown


def test_the_ui_story_list_is_bounded(seeded_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ui, "LIST_LIMIT", 1)
    with TestClient(create_app(db=str(seeded_db))) as client:
        page = client.get("/ui/").text
        assert page.count('<a href="/ui/stories/') == 1 and "Showing the newest 1" in page
        assert "Showing the newest" not in client.get("/ui/", params={"q": "Siegel"}).text
