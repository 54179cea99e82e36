"""Databases the web tests share: the two samples analysed, and articles carrying hostile markup."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from storyline import api
from storyline.store import open_store

SEEDS = Path(__file__).resolve().parents[2] / "examples" / "seeds"

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
JS_URL = "javascript:alert(1)"
HOSTILE_LINES = [
    {
        "title": f"Mayor {SCRIPT} resigns {IMG}",
        "url": JS_URL,
        "source": f"The {IMG} Herald",
        "published": "2026-03-02",
        "text": (
            f"The mayor of Springfield, John Smith, resigned on Monday {SCRIPT} after 12 years in office.\n\n"
            f'"I am leaving {IMG} with pride," Smith told reporters. Visit <a href="{JS_URL}">here</a>.\n\n'
            f"Read this {SCRIPT} {IMG} {JS_URL} pic.twitter.com/ZYDJ — Evil Corp (@evil) March 2, 2026\n\n"
            "The council will pick a successor within 30 days."
        ),
    },
    {
        "title": "Springfield mayor John Smith steps down",
        "url": "https://example.org/smith",
        "source": "Springfield Gazette",
        "published": "2026-03-02",
        "text": (
            "Springfield mayor John Smith resigned on Monday after 12 years in office. "
            f"He said he was leaving {SCRIPT} with pride. The council will choose a successor within 30 days."
        ),
    },
]


def _analyse(db: str, paths: list[str]) -> None:
    with open_store(db) as store:
        events = list(api.iter_ingest(store, paths))
        assert all(e.outcome == "stored" for e in events), events
        assert all(e.error is None for e in api.iter_annotate(store))
        list(api.iter_update_stories(store))


@pytest.fixture(scope="session")
def seeds_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = str(tmp_path_factory.mktemp("web-seeds") / "seeds.db")
    _analyse(db, [str(SEEDS)])
    return db


@pytest.fixture(scope="session")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("web-hostile")
    path = folder / "hostile.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in HOSTILE_LINES) + "\n", encoding="utf-8")
    db = str(folder / "hostile.db")
    _analyse(db, [str(path)])
    return db


@pytest.fixture
def writable_seeds_db(seeds_db: str, tmp_path: Path) -> str:
    """A copy of the seeds database that a test may change (merge, split)."""
    copy = tmp_path / "seeds.db"
    shutil.copy(seeds_db, copy)
    return str(copy)


def make_app(db: str, **options: object) -> FastAPI:
    from storyline.server import create_app

    return create_app(db=db, **options)  # type: ignore[arg-type]


@pytest.fixture
def client_for() -> Iterator[object]:
    """``client_for(db, **create_app options)`` → a TestClient on the whole app, closed after the test."""
    clients: list[TestClient] = []

    def make(db: str, **options: object) -> TestClient:
        client = TestClient(make_app(db, **options))
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()
