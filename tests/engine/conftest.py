"""Small hand-made JSONL shards and a comparable snapshot of a whole store."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from storyline.store import Store, mask_password
from tests.conftest import POSTGRES_URL
from tests.store.conftest import drop_schema, postgres_unreachable

BRIDGE = (
    "The Harlow river bridge collapsed on Monday morning, officials said. Mayor Ann Doyle said "
    "three people were injured and the bridge had been inspected in March. Engineers from the "
    "state transport department arrived at the site on Monday afternoon."
)
BUDGET = (
    "The city council of Brenton approved a budget of 42 million dollars on Tuesday. Council "
    "leader Raj Patel said the budget funds two new schools. Opposition members said the vote "
    "was rushed and promised to challenge it."
)
SHARDS: dict[str, list[dict[str, Any]]] = {
    "a.jsonl": [
        {"url": "https://daily.example/bridge", "source": "Daily", "date": "2024-05-06", "text": BRIDGE},
        {"url": "https://daily.example/budget", "source": "Daily", "date": "2024-05-07", "text": BUDGET},
    ],
    "b.jsonl": [
        {
            "url": "https://herald.example/bridge",
            "source": "Herald",
            "date": "2024-05-06",
            "text": BRIDGE.replace("three people", "four people"),
        },
    ],
    "c.jsonl": [
        {
            "url": "https://post.example/budget",
            "source": "Post",
            "date": "2024-05-08",
            "text": BUDGET.replace("Tuesday", "Tuesday evening"),
        },
        {"url": "https://post.example/empty", "source": "Post", "date": "2024-05-08", "text": "   "},
    ],
}


def write_shards(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, records in SHARDS.items():
        lines = (json.dumps(record) for record in records)
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.fixture
def shards(tmp_path: Path) -> Path:
    return write_shards(tmp_path / "shards")


@pytest.fixture
def pg_schema() -> Iterator[str]:
    reason = postgres_unreachable()
    if reason is not None:
        pytest.skip(f"PostgreSQL not reachable at {mask_password(POSTGRES_URL)}: {reason}")
    schema = f"eng_{secrets.token_hex(6)}"
    try:
        yield schema
    finally:
        drop_schema(schema)


def snapshot(store: Store) -> dict[str, Any]:
    """Everything a run decides (articles, annotations, markers, stories), without timestamps."""
    articles = {a.id: _without_paths(a.to_dict()) for a in store.iter_articles()}
    markers = dict(store.connection.execute("SELECT id, annotated_with FROM articles").fetchall())
    stories = sorted(_story(s.to_dict()) for s in store.iter_stories())
    return {"articles": articles, "annotated_with": markers, "stories": stories}


def _without_paths(data: dict[str, Any]) -> dict[str, Any]:
    # Origins hold the input path, which differs between two runs' temporary folders.
    return {**data, "origin": Path(str(data["origin"])).name}


def _story(data: dict[str, Any]) -> str:
    data = {key: value for key, value in data.items() if key != "id"}
    return json.dumps(data, sort_keys=True, default=str)
