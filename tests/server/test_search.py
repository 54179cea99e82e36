"""The backend-specific SQL on both backends: full-text search (FTS5 table / tsvector index) and the
story list's JSON field extraction."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient

from storyline import api
from storyline.errors import ApiError
from storyline.model import Fact, Story
from storyline.server import create_app, search
from storyline.store import open_store
from tests.conftest import POSTGRES_URL
from tests.store.conftest import drop_schema, postgres_unreachable

ARTICLES = [
    {
        "title": "Floods close the coast road",
        "text": "Heavy rain flooded the coast road on Monday.",
        "url": "u1",
    },
    {
        "title": "Council meets",
        "text": "The council discussed flooding and the budget for roads.",
        "url": "u2",
    },
    {"title": "Budget passed", "text": "The budget passed without debate.", "url": "u3"},
]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield str(tmp_path / "search.db")
        return
    reason = postgres_unreachable()
    if reason is not None:
        pytest.skip(f"PostgreSQL not reachable: {reason}")
    schema = f"st_{secrets.token_hex(6)}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    finally:
        drop_schema(schema)


@pytest.fixture
def filled(db_url: str, tmp_path: Path) -> str:
    source = tmp_path / "articles.jsonl"
    source.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    with open_store(db_url) as store:
        assert [e.outcome for e in api.iter_ingest(store, [str(source)])] == ["stored"] * 3
    return db_url


def titles(url: str, query: str) -> list[str]:
    with open_store(url) as store:
        return [hit["title"] for hit in search.search(store, query, limit=10, offset=0)]


def test_stemmed_words_all_required(filled: str) -> None:
    assert sorted(titles(filled, "flood")) == ["Council meets", "Floods close the coast road"]
    assert titles(filled, "flooding budget") == ["Council meets"]
    assert titles(filled, "title words absent") == []


def test_titles_are_searched(filled: str) -> None:
    assert titles(filled, "passed") == ["Budget passed"]


def test_index_follows_revisions(filled: str, tmp_path: Path) -> None:
    revised = {**ARTICLES[2], "text": "The budget was rejected after a long debate."}
    source = tmp_path / "revised.jsonl"
    source.write_text(json.dumps(revised) + "\n", encoding="utf-8")
    with open_store(filled) as store:
        assert [e.outcome for e in api.iter_ingest(store, [str(source)])] == ["revised"]
    assert titles(filled, "rejected") == ["Budget passed"]
    assert titles(filled, "without") == []


def test_operators_are_plain_words(filled: str) -> None:
    assert titles(filled, 'budget OR "coast" NEAR(x) -debate*') == []
    with open_store(filled) as store, pytest.raises(ApiError, match="E604"):
        search.prepare(store, "*** ---")


def test_search_endpoint_on_each_backend(filled: str) -> None:
    with TestClient(create_app(db=filled)) as client:
        page = client.get("/api/v1/search", params={"q": "budget", "limit": 1}).json()
        assert page["total"] == 2 and len(page["items"]) == 1
        listed = client.get("/api/v1/articles", params={"q": "coast"}).json()
        assert [a["title"] for a in listed["items"]] == ["Floods close the coast road"]


def test_story_list_reads_json_fields_on_each_backend(filled: str) -> None:
    with open_store(filled) as store:
        ids = [a.id for a in store.iter_articles()]
        fact = Fact(id="f1", statement="The budget passed.", status="corroborated", independent_sources=2)
        story = Story(
            id="s1",
            title="Budget",
            articles=ids[:2],
            facts=[fact],
            origins={ids[0]: "o1", ids[1]: "o2"},
            first_published="2026-01-01",
            last_published="2026-01-02",
            outlets=["A", "B"],
        )
        store.save_story(story)
    with TestClient(create_app(db=filled)) as client:
        [item] = client.get("/api/v1/stories").json()["items"]
        page = client.get("/api/v1/stories/s1").json()
    assert item == {key: page[key] for key in item}
    assert item["independent_sources"] == 2 and item["counts"]["corroborated"] == 1
    assert item["articles"] == ids[:2] and item["outlets"] == ["A", "B"]
